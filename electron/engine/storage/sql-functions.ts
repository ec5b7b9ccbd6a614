/**
 * SQL functions that the engine's own statements call, registered on every
 * connection a Store opens. They let SQLite compute index keys while building
 * an index (eval/indexes/sql-entries.ts) with the one encoder there is (keys.ts).
 *
 * `sr_defer(id)`: notes a document that a statement run under
 * collectDeferred leaves to the general path (an index build's documents
 * whose fields SQL cannot index); false.
 *
 * `sr_entry_key(shape, coll, id >> 32, id & 4294967295, json...)`: the key of
 * one index entry, as a blob, in one call. `shape` has a letter per
 * component of the key: `t` a term scalar (with the byte telling an integer
 * from a double, as writeTerm), `v` a value scalar, `r` the document's ref
 * (its `id`, given in two halves, in the collection whose oid is `coll`: the
 * caller registers the collection's path bytes with setRefScope first). Each `t` and `v` takes the
 * next `json` argument: the field's stored JSON text (a number, string,
 * boolean or null; SQL NULL, a missing field, and a plain object index as
 * null, as in entries.ts). NULL when an argument is anything else (an array
 * or a tagged value: the caller selects the fields it can index).
 */
import { decodeValue } from './codec.js';
import { scratchWriter, writeDocRefKeyHalves, writeIntegerText, writeTerm, writeValue, type Writer } from './keys.js';
import type { SqliteDb } from './open.js';

/** JSON text of an integer as JSON.stringify writes one (no exponent, no leading zeros, no '-0'). */
const INTEGER_TEXT = /^(?:0|-?[1-9][0-9]*)$/;

/**
 * Writes the key of the field whose stored JSON is `json` (null: absent); a
 * plain object indexes as null. False for an array or a tagged value.
 */
function writeScalarJson(w: Writer, json: string | null, asTerm: boolean): boolean {
  if (json === null || (json.charCodeAt(0) === 0x7b /* { */ && !json.startsWith('{"@'))) {
    writeValue(w, null);
    return true;
  }
  if (INTEGER_TEXT.test(json)) {
    // The common case without decoding: the key of an integer is made from its digits.
    writeIntegerText(w, json);
    if (asTerm) w.byte(0); // as writeTerm does for an integer
    return true;
  }
  const v = decodeValue(json);
  if (v !== null && typeof v === 'object') return false;
  if (asTerm) writeTerm(w, v);
  else writeValue(w, v);
  return true;
}

/** Collection oid -> the bytes after a document id in the key of a ref to one of its documents (refScopeBytes). */
const refScopes = new Map<number, Uint8Array>();

export function setRefScope(coll: bigint, scope: Uint8Array): void {
  refScopes.set(Number(coll), scope);
}

/** Writes the key of one entry into the shared writer; false when an argument is an array or a tagged value. */
function writeEntryKey(shape: string, idHi: number, idLo: number, scope: Uint8Array, scalars: readonly unknown[]): boolean {
  const w = scratchWriter.reset();
  let next = 0;
  for (let i = 0; i < shape.length; i++) {
    const c = shape.charCodeAt(i);
    if (c === 0x72 /* r */) {
      writeDocRefKeyHalves(w, idHi, idLo, scope);
      continue;
    }
    const json = scalars[next++];
    if (!writeScalarJson(w, typeof json === 'string' ? json : null, c === 0x74 /* t */)) return false;
  }
  return true;
}

const ID_HALVES = new DataView(new ArrayBuffer(8));

/** The key sr_entry_key makes (a copy of its own), or null when an argument is an array or a tagged value. */
export function entryKey(shape: string, id: bigint, scope: Uint8Array, scalars: readonly unknown[]): Buffer | null {
  ID_HALVES.setBigInt64(0, id);
  return writeEntryKey(shape, ID_HALVES.getInt32(0), ID_HALVES.getUint32(4), scope, scalars) ? scratchWriter.result() : null;
}

/** Ids handed to sr_defer while collectDeferred runs (null otherwise). */
let deferred: bigint[] | null = null;

/** Runs `statement`, returning the ids it handed to sr_defer, in the order it did. */
export function collectDeferred(statement: () => void): bigint[] {
  const outer = deferred;
  const ids: bigint[] = [];
  deferred = ids;
  try {
    statement();
  } finally {
    deferred = outer;
  }
  return ids;
}

export function registerSqlFunctions(db: SqliteDb): void {
  // sr_defer(id): notes a document a statement leaves to another path; false (0).
  db.function('sr_defer', { deterministic: false, safeIntegers: true }, (id: unknown) => {
    if (deferred === null) throw new Error('sr_defer: no statement is collecting deferred documents');
    deferred.push(id as bigint);
    return 0n;
  });
  // Integers arrive as numbers: the collection oid, and the document id in two 32-bit halves.
  db.function('sr_entry_key', { deterministic: true, safeIntegers: false, varargs: true }, (shape: unknown, coll: unknown, idHi: unknown, idLo: unknown, ...scalars: unknown[]) => {
    const scope = refScopes.get(coll as number);
    if (scope === undefined) throw new Error(`sr_entry_key: no scope registered for collection ${String(coll)}`);
    // A view of the shared writer: SQLite copies a function's result before the next call.
    return writeEntryKey(String(shape), idHi as number, idLo as number, scope, scalars) ? scratchWriter.view() : null;
  });
}
