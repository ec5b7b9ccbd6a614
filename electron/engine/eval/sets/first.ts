/**
 * The first element of a set, as Get and Exists use it.
 */
import type { Position } from '../../errors.js';
import { Ref, type SetRef } from '../../values/value.js';
import type { EvalContext } from '../context.js';
import { sourceOf } from './source.js';

export function firstOfSet(ctx: EvalContext, set: SetRef, position: Position, atTs: bigint | null = null): Ref | null {
  const source = sourceOf(ctx, set, { atTs: atTs ?? ctx.readTs, position });
  for (const entry of source.scan(null, null, false)) {
    // Sets of values carry the ref of the document that produced each entry.
    return entry.ref instanceof Ref ? entry.ref : null;
  }
  return null;
}
