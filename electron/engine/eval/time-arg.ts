/**
 * A point in time given as a Time or as integer microseconds (At, Get's ts, Paginate's ts).
 */
import { invalidArgument, type Position } from '../errors.js';
import { FTime, type Value } from '../values/value.js';
import { typeName } from './cast.js';

export function timeArgMicros(v: Value | undefined, position: Position): bigint {
  if (v instanceof FTime) return v.micros;
  if (typeof v === 'bigint') return v;
  throw invalidArgument(`Time or Integer expected, ${typeName(v)} provided.`, position);
}
