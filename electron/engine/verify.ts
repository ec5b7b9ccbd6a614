/**
 * Checks a database: SQLite's integrity check, and the index verifier — every
 * index entry belongs to a live document with those terms and values, and
 * every document has exactly the entries it should.
 */
import { DEFAULT_LIMITS, EvalContext } from './eval/index.js';
import { entryKeyTuple, indexDef } from './eval/indexes/definition.js';
import { entriesFor } from './eval/indexes/entries.js';
import type { Engine } from './engine.js';
import { decodeEntryValues } from './storage/codec.js';
import { encodeKey } from './storage/keys.js';
import { Transaction } from './storage/transaction.js';
import { Ref, collectionRef } from './values/value.js';

export interface VerifyReport {
  ok: boolean;
  integrity: string[];
  problems: string[];
  indexes: number;
  entries: number;
}

export function verifyDatabase(engine: Engine, options: { integrity?: boolean } = {}): VerifyReport {
  const integrity = options.integrity === false ? ['ok'] : (engine.db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[]).map((r) => r.integrity_check);
  const problems: string[] = [];
  let entries = 0;
  let indexes = 0;
  const txn = Transaction.begin(engine.store, engine.schemaCache, false, null);
  try {
    const ctx = new EvalContext(txn, { ...DEFAULT_LIMITS, timeoutMs: 3_600_000 });
    const store = engine.store;
    // A document is live exactly when its newest version is not a delete (index builds rely on it).
    const unlisted = store.db
      .prepare('SELECT coll, id FROM (SELECT coll, id, max(ts), action FROM versions GROUP BY coll, id) v WHERE action != 2 AND NOT EXISTS (SELECT 1 FROM live l WHERE l.coll = v.coll AND l.id = v.id) LIMIT 20')
      .raw()
      .all() as [bigint, bigint][];
    for (const [coll, id] of unlisted) problems.push(`collection ${coll}: document ${id} has a current version but is not listed as live`);
    for (const db of [0n, ...txn.listSchema('databases', 0n).map((d) => d.row.oid)]) {
      for (const indexDoc of txn.listSchema('indexes', db)) {
        indexes++;
        const def = indexDef(indexDoc);
        const expected = new Map<string, { doc: string; vals: string }>();
        for (const coll of txn.listSchema('collections', db)) {
          if (!def.sources.some((s) => s.collection === '_' || s.collection === coll.row.name)) continue;
          const ids = store.db.prepare('SELECT id FROM live WHERE coll = ?').pluck().all(coll.row.oid) as bigint[];
          for (const id of ids) {
            const doc = txn.getDoc(coll, id);
            if (doc === null) {
              problems.push(`collection ${coll.row.name}: document ${id} is listed as live but has no current version`);
              continue;
            }
            const ref = new Ref(id.toString(), collectionRef(coll.row.name));
            for (const e of entriesFor(ctx, def, ref, doc.ts, doc.fields)) expected.set(e.key.toString('hex'), { doc: `${coll.row.name}/${id}`, vals: e.vals });
          }
        }
        const actual = store.db.prepare('SELECT key, coll, id, vals FROM index_entries WHERE idx = ?').iterate(def.oid) as IterableIterator<{ key: Buffer; coll: bigint; id: bigint; vals: string }>;
        const seen = new Set<string>();
        const valueReverse = def.keyReverse.slice(def.terms.length);
        for (const row of actual) {
          entries++;
          const k = row.key.toString('hex');
          seen.add(k);
          const wanted = expected.get(k);
          if (wanted === undefined) problems.push(`index ${def.name}: entry for ${row.coll}/${row.id} does not match a live document`);
          else if (wanted.vals !== row.vals) problems.push(`index ${def.name}: entry for ${row.coll}/${row.id} stores values ${row.vals}, expected ${wanted.vals}`);
          // Reads rebuild an entry's order key from its stored values and ref: they must agree.
          const collName = txn.getSchemaByOid(row.coll)?.row.name ?? String(row.coll);
          const ref = new Ref(row.id.toString(), collectionRef(collName));
          const suffix = encodeKey(entryKeyTuple(def, decodeEntryValues(row.vals, () => ref, def.valueIsOwnRef), ref), valueReverse);
          if (suffix.length > row.key.length || !row.key.subarray(row.key.length - suffix.length).equals(suffix)) {
            problems.push(`index ${def.name}: entry for ${row.coll}/${row.id} has values that do not encode to its key`);
          }
        }
        // An index still building in the background has the entries of the documents built so far
        // (and of those written meanwhile): each must be right, but others are still to come.
        const building = indexDoc.fields.active !== true;
        if (!building) for (const [k, { doc }] of expected) if (!seen.has(k)) problems.push(`index ${def.name}: document ${doc} is missing an entry`);
      }
    }
  } finally {
    txn.rollback();
  }
  return { ok: integrity.length === 1 && integrity[0] === 'ok' && problems.length === 0, integrity, problems, indexes, entries };
}
