/**
 * Keeps index entries in step with document writes, inside the writing
 * transaction, so reads later in the same query see them. Uniqueness is
 * enforced by a UNIQUE constraint on (index, terms + values): a concurrent
 * writer cannot slip past it.
 */
import { FaunaError } from '../../errors.js';
import type { SchemaDoc } from '../../storage/schema-cache.js';
import type { IndexMaintainer, Transaction } from '../../storage/transaction.js';
import { Ref, collectionRef, type FObject } from '../../values/value.js';
import { DEFAULT_LIMITS, EvalContext } from '../context.js';
import { indexesOf, type IndexDef } from './definition.js';
import { entriesFor } from './entries.js';

export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function notUnique(): FaunaError {
  return new FaunaError('instance not unique', 'document is not unique.', []);
}

/** Writes the entries of one document into one index, replacing what it had. */
export function reindexDoc(tx: Transaction, ctx: EvalContext, def: IndexDef, coll: SchemaDoc, id: bigint, after: FObject | null): void {
  const store = tx.store;
  const old = store.entriesOfDoc(def.oid, coll.row.oid, id);
  const ref = new Ref(id.toString(), collectionRef(coll.row.name));
  const next = after === null ? [] : entriesFor(ctx, def, ref, tx.ts, after);
  const nextKeys = new Set(next.map((e) => e.key.toString('latin1')));
  const oldKeys = new Set<string>();
  for (const e of old) {
    const k = e.key.toString('latin1');
    oldKeys.add(k);
    if (nextKeys.has(k)) continue;
    store.deleteEntry(def.oid, e.key);
    if (e.ts < tx.ts) store.recordEntryHistory(def.oid, e.key, e.ts, tx.ts, coll.row.oid, id, e.vals);
  }
  for (const e of next) {
    if (oldKeys.has(e.key.toString('latin1'))) continue;
    try {
      store.insertEntry(def.oid, e.key, e.ukey, coll.row.oid, id, e.vals, tx.ts);
    } catch (err) {
      if (isUniqueViolation(err)) throw notUnique();
      throw err;
    }
  }
}

export class EntryMaintainer implements IndexMaintainer {
  onWrite(tx: Transaction, coll: SchemaDoc, id: bigint, _before: FObject | null, after: FObject | null): void {
    const ctx = new EvalContext(tx, DEFAULT_LIMITS);
    for (const def of indexesOf(ctx, coll)) reindexDoc(tx, ctx, def, coll, id, after);
  }

  onCollectionDropped(tx: Transaction, coll: SchemaDoc): void {
    const ctx = new EvalContext(tx, DEFAULT_LIMITS);
    // Indexes that also cover other collections lose this collection's entries.
    for (const def of indexesOf(ctx, coll)) {
      tx.store.db.prepare('DELETE FROM index_entries WHERE idx = ? AND coll = ?').run(def.oid, coll.row.oid);
    }
  }
}
