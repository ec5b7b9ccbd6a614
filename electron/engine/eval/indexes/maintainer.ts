/**
 * Keeps index entries in step with document writes, inside the writing
 * transaction, so reads later in the same query see them. Uniqueness is
 * enforced by a UNIQUE constraint on (index, terms + values): a concurrent
 * writer cannot slip past it.
 */
import { FaunaError } from '../../errors.js';
import type { SchemaDoc } from '../../storage/schema-cache.js';
import type { IndexMaintainer, StoredDoc, Transaction } from '../../storage/transaction.js';
import { Ref, collectionRef, isObject, type FObject, type Value } from '../../values/value.js';
import { DEFAULT_LIMITS, EvalContext } from '../context.js';
import { indexesOf, type IndexDef } from './definition.js';
import { entriesFor, type IndexEntry } from './entries.js';

export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function notUnique(): FaunaError {
  return new FaunaError('instance not unique', 'document is not unique.', []);
}

/** Entries (index oid : key) this transaction moved to the index history. */
const removedInTxn = new WeakMap<Transaction, Set<string>>();

/** True when this transaction removed index entries that re-adding would have to take back from the history. */
export function hasRemovalsInTxn(tx: Transaction): boolean {
  return (removedInTxn.get(tx)?.size ?? 0) > 0;
}
function removedNow(tx: Transaction): Set<string> {
  let set = removedInTxn.get(tx);
  if (set === undefined) {
    set = new Set();
    removedInTxn.set(tx, set);
  }
  return set;
}

const undoStatements = new WeakMap<object, { get(...args: unknown[]): unknown }>();
/** Takes back this transaction's removal of an entry from the index history; returns when it was added. */
function undoRemoval(tx: Transaction, idx: bigint, key: Buffer): { added: bigint } | undefined {
  const db = tx.store.db;
  let stmt = undoStatements.get(db);
  if (stmt === undefined) {
    stmt = db.prepare('DELETE FROM index_history WHERE idx = ? AND key = ? AND removed = ? RETURNING added');
    undoStatements.set(db, stmt);
  }
  return stmt.get(idx, key, tx.ts) as { added: bigint } | undefined;
}

/**
 * Moves one document's entries in one index from what its previous version
 * produced (`before`) to what its new version produces (`after`). Both sides
 * are computed from the document, so no lookup of its stored entries is
 * needed; removed entries go to the index history. With `before` null every
 * entry of `after` is added (adding one that exists is a no-op), which is how
 * builds and history edits use it.
 */
export function reindexDoc(tx: Transaction, ctx: EvalContext, def: IndexDef, coll: SchemaDoc, id: bigint, before: StoredDoc | null, after: FObject | null, afterTs: bigint = tx.ts): void {
  if (before !== null && after !== null && indexedFieldsUnchanged(def, before.fields, after)) return;
  const store = tx.store;
  const ref = new Ref(id.toString(), collectionRef(coll.row.name));
  const old = before === null ? [] : entriesFor(ctx, def, ref, before.ts, before.fields);
  // `afterTs`: the ts of the `after` version (a build indexes stored documents at their own ts).
  const next = after === null ? [] : entriesFor(ctx, def, ref, afterTs, after);
  if (old.length === 0 && next.length === 0) return;
  const nextKeys = new Set(next.map((e) => e.key.toString('latin1')));
  const oldKeys = new Set<string>();
  for (const e of old) {
    const k = e.key.toString('latin1');
    oldKeys.add(k);
    if (nextKeys.has(k)) continue;
    const removed = store.deleteEntry(def.oid, e.key);
    if (removed !== undefined && removed.ts < tx.ts) {
      store.recordEntryHistory(def.oid, e.key, removed.ts, tx.ts, coll.row.oid, id, removed.vals);
      removedNow(tx).add(`${def.oid}:${k}`);
    }
  }
  for (const e of next) {
    if (oldKeys.has(e.key.toString('latin1'))) continue;
    // An entry removed earlier in this same transaction and added back never
    // left the index as far as history goes: drop that removal, keep its age.
    const undone = removedNow(tx).delete(`${def.oid}:${e.key.toString('latin1')}`) ? undoRemoval(tx, def.oid, e.key) : undefined;
    try {
      store.insertEntry(def.oid, e.key, e.ukey, coll.row.oid, id, e.vals, undone === undefined ? afterTs : undone.added);
    } catch (err) {
      if (isUniqueViolation(err)) throw notUnique();
      throw err;
    }
  }
}

/** One stored version of a document: its ts and fields (null for a delete). */
export interface DocVersion {
  ts: bigint;
  fields: FObject | null;
}

const historyDeletes = new WeakMap<object, { run(...args: unknown[]): unknown }>();
/** Drops every index history row of one entry key (a key names one document). */
function forgetKeyHistory(tx: Transaction, idx: bigint, key: Buffer): void {
  const db = tx.store.db;
  let stmt = historyDeletes.get(db);
  if (stmt === undefined) {
    stmt = db.prepare('DELETE FROM index_history WHERE idx = ? AND key = ?');
    historyDeletes.set(db, stmt);
  }
  stmt.run(idx, key);
}

/** The keys of every entry any of the versions produces in an index. */
export function versionKeys(ctx: EvalContext, def: IndexDef, ref: Ref, versions: readonly DocVersion[]): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const v of versions) {
    if (v.fields === null) continue;
    for (const e of entriesFor(ctx, def, ref, v.ts, v.fields)) keys.set(e.key.toString('latin1'), e.key);
  }
  return keys;
}

/**
 * Rebuilds one document's entries in one index, current and past, from its
 * versions in ts order: after a history edit (Insert, Remove) any past state
 * of the document may have changed. The rows of `staleKeys` (every key its
 * entries had before the edit) are dropped first. An entry is live from the
 * version that first produces it until the next version that does not
 * (a history row), or is current when the newest version still produces it.
 */
export function rebuildDocEntries(tx: Transaction, ctx: EvalContext, def: IndexDef, coll: SchemaDoc, id: bigint, versions: readonly DocVersion[], staleKeys: Iterable<Buffer>): void {
  const store = tx.store;
  for (const key of staleKeys) {
    store.deleteEntry(def.oid, key);
    forgetKeyHistory(tx, def.oid, key);
  }
  const ref = new Ref(id.toString(), collectionRef(coll.row.name));
  let live = new Map<string, { entry: IndexEntry; added: bigint }>();
  for (const v of versions) {
    const next = new Map<string, { entry: IndexEntry; added: bigint }>();
    if (v.fields !== null) {
      for (const e of entriesFor(ctx, def, ref, v.ts, v.fields)) {
        const k = e.key.toString('latin1');
        next.set(k, live.get(k) ?? { entry: e, added: v.ts });
      }
    }
    for (const [k, gone] of live) {
      if (!next.has(k)) store.recordEntryHistory(def.oid, gone.entry.key, gone.added, v.ts, coll.row.oid, id, gone.entry.vals);
    }
    live = next;
  }
  for (const { entry, added } of live.values()) {
    try {
      store.insertEntry(def.oid, entry.key, entry.ukey, coll.row.oid, id, entry.vals, added);
    } catch (err) {
      if (isUniqueViolation(err)) throw notUnique();
      throw err;
    }
  }
}

/** One document version to index in a build: its id, the version's ts and fields. */
export interface BuildDoc {
  id: bigint;
  ts: bigint;
  fields: FObject;
}

/**
 * Adds every entry of the given document versions (as reindexDoc with
 * `before` null would, document by document), sorted by key and written in
 * bulk. Falls back to reindexDoc when this transaction has removed entries
 * that a re-add would have to take back from the history.
 */
export function addDocEntries(tx: Transaction, ctx: EvalContext, def: IndexDef, coll: SchemaDoc, docs: Iterable<BuildDoc>): void {
  const removed = removedInTxn.get(tx);
  if (removed !== undefined && removed.size > 0) {
    for (const d of docs) reindexDoc(tx, ctx, def, coll, d.id, null, d.fields, d.ts);
    return;
  }
  const collection = collectionRef(coll.row.name);
  const rows: { key: Buffer; ukey: Buffer | null; id: bigint; vals: string; ts: bigint; order: string }[] = [];
  for (const d of docs) {
    const ref = new Ref(d.id.toString(), collection);
    for (const e of entriesFor(ctx, def, ref, d.ts, d.fields)) rows.push({ key: e.key, ukey: e.ukey, id: d.id, vals: e.vals, ts: d.ts, order: e.key.toString('latin1') });
  }
  // Latin-1 strings compare code unit by code unit: the keys' byte order, faster than Buffer.compare.
  rows.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
  try {
    tx.store.insertEntries(def.oid, coll.row.oid, rows);
  } catch (err) {
    if (isUniqueViolation(err)) throw notUnique();
    throw err;
  }
}

/**
 * The value at a field path of a document's stored fields (`undefined` if
 * absent). Where the path meets an array by name, or a ref or other non-object
 * value, that whole value is returned: equal wholes mean equal entries.
 */
function fieldAt(fields: FObject, path: (string | number)[]): Value | undefined {
  let v: Value | undefined = fields;
  for (const step of path) {
    if (v === undefined) return undefined;
    if (Array.isArray(v)) {
      if (typeof step !== 'number') return v;
      v = v[step];
    }
    else if (isObject(v) && typeof step === 'string') v = v[step];
    else if (isObject(v)) return undefined;
    else return v; // a ref, time, ... walked into: compare it whole
  }
  return v;
}

/** Structural equality of stored values (types must match: 1 and 1.0 differ). */
function sameValue(a: Value | undefined, b: Value | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (Array.isArray(b)) return false;
  if (a instanceof Ref) return b instanceof Ref && a.id === b.id && sameValue(a.collection, b.collection) && sameValue(a.database, b.database);
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => sameValue(a[k], b[k]));
  }
  return false;
}

/**
 * True when an update cannot change the index's entries: every term and value
 * is a plain field of the stored document (not ts, not a binding) and each
 * field holds the same value before and after.
 */
function indexedFieldsUnchanged(def: IndexDef, before: FObject, after: FObject): boolean {
  for (const ex of [...def.terms, ...def.values]) {
    if (ex.kind !== 'field') return false;
    const head = ex.path[0];
    if (head === 'ts') return false;
    if (head === 'ref') continue;
    if (!sameValue(fieldAt(before, ex.path), fieldAt(after, ex.path))) return false;
  }
  return true;
}

export class EntryMaintainer implements IndexMaintainer {
  onWrite(tx: Transaction, coll: SchemaDoc, id: bigint, before: StoredDoc | null, after: FObject | null): void {
    const indexes = indexesOf({ txn: tx }, coll);
    if (indexes.length === 0) return;
    const ctx = new EvalContext(tx, DEFAULT_LIMITS);
    for (const def of indexes) reindexDoc(tx, ctx, def, coll, id, before, after);
  }

  onCollectionDropped(tx: Transaction, coll: SchemaDoc): void {
    const ctx = new EvalContext(tx, DEFAULT_LIMITS);
    // Indexes that also cover other collections lose this collection's entries.
    for (const def of indexesOf(ctx, coll)) {
      tx.store.db.prepare('DELETE FROM index_entries WHERE idx = ? AND coll = ?').run(def.oid, coll.row.oid);
    }
  }
}
