/**
 * SQL functions that the engine's own statements call, registered on every
 * connection a Store opens.
 *
 * `sr_scalar_key(json, as_term)`: the hex of the order-preserving key
 * (keys.ts) of the scalar whose stored JSON text is `json` (a number, string,
 * boolean or null; SQL NULL, a missing field, is null too). With `as_term`
 * the key carries the byte telling an integer from a double, as index terms
 * do (writeTerm in keys.ts). It lets SQLite compute index keys while building
 * an index (eval/indexes/sql-entries.ts) with the one encoder there is.
 */
import { decodeValue } from './codec.js';
import { scratchWriter, writeIntegerText, writeTerm, writeValue, writtenHex } from './keys.js';
import type { SqliteDb } from './open.js';

const NULL_KEY_HEX = 'f0';

/** JSON text of an integer as JSON.stringify writes one (no exponent, no leading zeros, no '-0'). */
const INTEGER_TEXT = /^(?:0|-?[1-9][0-9]*)$/;

export function scalarKeyHex(json: string | null, asTerm: boolean): string | null {
  if (json === null) return NULL_KEY_HEX;
  const w = scratchWriter.reset();
  if (INTEGER_TEXT.test(json)) {
    // The common case without decoding: the key of an integer is made from its digits.
    writeIntegerText(w, json);
    if (asTerm) w.byte(0); // as writeTerm does for an integer
    return writtenHex(w);
  }
  const v = decodeValue(json);
  if (v !== null && typeof v === 'object') return null; // not a scalar: the caller selects scalars only
  if (asTerm) writeTerm(w, v);
  else writeValue(w, v);
  return writtenHex(w);
}

export function registerSqlFunctions(db: SqliteDb): void {
  db.function('sr_scalar_key', { deterministic: true, safeIntegers: false }, (json: unknown, asTerm: unknown) =>
    scalarKeyHex(typeof json === 'string' ? json : null, asTerm === 1),
  );
}
