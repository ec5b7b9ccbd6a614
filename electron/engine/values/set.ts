/**
 * Set descriptions. A set is a value describing what to read; it stays lazy
 * until paginated or iterated. Each node renders back to Fauna's `@set` form.
 */
import type { LambdaValue, Ref, Value } from './value.js';
import type { SetRef } from './value.js';

export type SetNode =
  | { kind: 'documents'; collection: Ref }
  | { kind: 'native'; native: Ref }
  | { kind: 'match'; index: Ref; terms: Value[] }
  | { kind: 'union' | 'intersection' | 'difference'; sets: SetRef[] }
  | { kind: 'distinct'; set: SetRef }
  | { kind: 'join'; source: SetRef; with: LambdaValue | Ref }
  | { kind: 'range'; set: SetRef; from: Value; to: Value }
  | { kind: 'reverse'; set: SetRef }
  | { kind: 'filter'; set: SetRef; lambda: LambdaValue }
  | { kind: 'singleton'; ref: Ref }
  | { kind: 'events'; source: SetRef | Ref }
  | { kind: 'ledger' };
