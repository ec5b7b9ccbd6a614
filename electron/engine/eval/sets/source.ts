/**
 * How sets are read. Every set kind turns into a SetSource: entries in Fauna's
 * set order, each with its order key (the encoded tuple of covered values and
 * ref), read lazily between key bounds in either direction. Pagination,
 * Count, Get-first and the set combinators are all written against this.
 */
import { invalidArgument, type Position } from '../../errors.js';
import type { SetNode } from '../../values/set.js';
import type { Ref, SetRef, Value } from '../../values/value.js';
import type { EvalContext } from '../context.js';

export interface SetEntry {
  /** Order key: encodeKey([...values, ref]) in this set's key space. */
  key: Buffer;
  /** Covered values (empty for sets of refs). */
  values: Value[];
  /** The document the entry belongs to. */
  ref: Ref;
  /** The cursor a page gives for this entry, when not [...values, ref] (event sets). */
  cursor?: Value;
}

export interface SetSource {
  /** Number of covered values; 0 for sets of refs. */
  readonly arity: number;
  /** Encodes a cursor (a tuple prefix) into this set's key space. */
  keyOf(tuple: Value[]): Buffer;
  /** Entries with lo <= key < hi (either bound may be null), ascending or descending. */
  scan(lo: Buffer | null, hi: Buffer | null, descending: boolean): Iterable<SetEntry>;
}

/** What the set was read at: the transaction's snapshot, or an earlier time (At / ts). */
export interface ReadOptions {
  atTs: bigint | null;
  position: Position;
}

type SourceFactory = (ctx: EvalContext, node: never, options: ReadOptions) => SetSource;
const factories = new Map<string, SourceFactory>();

export function defineSetKind<K extends SetNode['kind']>(kind: K, factory: (ctx: EvalContext, node: SetNode & { kind: K }, options: ReadOptions) => SetSource): void {
  factories.set(kind, factory as SourceFactory);
}

export function sourceOf(ctx: EvalContext, set: SetRef, options: ReadOptions): SetSource {
  const factory = factories.get(set.node.kind);
  if (factory === undefined) throw invalidArgument(`Sets of kind ${set.node.kind} cannot be read.`, options.position);
  return factory(ctx, set.node as never, options);
}

/** The element an entry contributes to a page: the ref, the single value, or the value tuple. */
export function entryElement(source: SetSource, entry: SetEntry): Value {
  if (source.arity === 0) return entry.ref;
  if (source.arity === 1) return entry.values[0]!;
  return entry.values;
}

/** The cursor tuple of an entry: its values followed by its ref. */
export function entryCursor(entry: SetEntry): Value {
  return entry.cursor ?? [...entry.values, entry.ref];
}

/** Normalises a cursor argument (a scalar or a tuple prefix) into a tuple. */
export function cursorTuple(v: Value): Value[] {
  return Array.isArray(v) ? v : [v];
}
