/**
 * The floor for building an index over 1 M documents: the parts any build of
 * the engine's entries must do, each measured alone in its cheapest form,
 * against the hand-written baseline's whole build.
 *
 * - reading every document's indexed field: a plain scan of the stored
 *   versions (one per document here), as a layout keeping current
 *   documents apart would read them, without finding newest versions;
 * - making the keys: the engine's key encoder called in JavaScript for each
 *   document, without SQL's function-call layer;
 * - sorting and inserting the entries: the rows the engine's build wrote,
 *   already computed, inserted in key order into a fresh table of the same
 *   shape, and into one holding the key alone (the narrowest entry the
 *   order-preserving encoding allows).
 */
import { join } from 'node:path';
import { collectionRef } from '../electron/engine/values/value.js';
import { refScopeBytes } from '../electron/engine/storage/keys.js';
import { entryKey } from '../electron/engine/storage/sql-functions.js';
import { baselineDb } from './harness.js';
import { runLargeIndex } from './cases/large-index.js';

function millis(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

export function buildFloor(dir: string, quick: boolean): string[] {
  const { build } = runLargeIndex({ dir, quick });
  const db = baselineDb(join(dir, 'large-engine.db'));
  try {
    const coll = db.prepare(`SELECT oid FROM schema_objects WHERE kind = 'collections' AND name = 'items'`).pluck().get() as number;
    const idx = db.prepare(`SELECT oid FROM schema_objects WHERE kind = 'indexes' AND name = 'items_by_n'`).pluck().get() as number;

    let seen = 0;
    const read = millis(() => {
      seen = db.prepare(`SELECT count(*) FROM versions WHERE coll = ? AND (body -> '$.data.n') IS NOT NULL`).pluck().get(coll) as number;
    });

    const docs = db.prepare(`SELECT id, body -> '$.data.n' FROM versions WHERE coll = ? ORDER BY id`).raw().safeIntegers(true).all(coll) as [bigint, string][];
    const scope = refScopeBytes(collectionRef('items'));
    let bytes = 0;
    const keys = millis(() => {
      for (const [id, n] of docs) bytes += entryKey('vr', id, scope, [n])!.length;
    });

    // The entries as the build wrote them, in document order (the order a build reads documents in).
    db.exec(`CREATE TABLE floor_rows AS SELECT idx, key, ukey, coll, id, vals, ts FROM index_entries WHERE idx = ${idx} ORDER BY id`);
    db.exec(`CREATE TABLE floor_entries (idx INTEGER NOT NULL, key BLOB NOT NULL, ukey BLOB, coll INTEGER NOT NULL, id INTEGER NOT NULL, vals TEXT NOT NULL, ts INTEGER NOT NULL, PRIMARY KEY (idx, key)) STRICT, WITHOUT ROWID`);
    db.exec(`CREATE TABLE floor_keys (idx INTEGER NOT NULL, key BLOB NOT NULL, PRIMARY KEY (idx, key)) STRICT, WITHOUT ROWID`);
    const write = millis(() => db.exec('BEGIN IMMEDIATE; INSERT INTO floor_entries SELECT * FROM floor_rows ORDER BY key; COMMIT'));
    const writeKeys = millis(() => db.exec('BEGIN IMMEDIATE; INSERT INTO floor_keys SELECT idx, key FROM floor_rows ORDER BY key; COMMIT'));
    if (seen !== docs.length) throw new Error(`read ${seen} fields of ${docs.length} documents`);
    // The keys made here are the ones the build stored (same count and bytes).
    const stored = db.prepare(`SELECT count(*), sum(length(key)) FROM index_entries WHERE idx = ?`).raw().get(idx) as [number, number];
    if (stored[0] !== docs.length || stored[1] !== bytes) throw new Error(`made ${docs.length} keys of ${bytes} bytes; the build stored ${stored[0]} of ${stored[1]}`);

    const floor = read + keys + write;
    const floorKeys = read + keys + writeKeys;
    const b = build.baseline;
    const line = (label: string, ms: number): string => `  ${label.padEnd(64)} ${ms.toFixed(0).padStart(5)} ms  ${(ms / b).toFixed(2)}x`;
    return [
      `  ${docs.length} documents; times and their ratio to the baseline's whole build`,
      line('the engine, CreateIndex until active', build.engine),
      line('the baseline, INSERT ... SELECT into a (value, id) table', b),
      line('read every indexed field (plain scan, no newest-version search)', read),
      line(`make the keys (the key encoder in JS, ${(bytes / docs.length).toFixed(0)} bytes each)`, keys),
      line('sort and insert the entries (computed, the same row shape)', write),
      line('sort and insert the keys alone', writeKeys),
      line('floor: read + keys + entries', floor),
      line('floor with entries of the key alone', floorKeys),
    ];
  } finally {
    db.close();
  }
}
