/**
 * History retention: versions older than a collection's `history_days` are
 * removed in small batches (each a short transaction of its own, so writers
 * are never blocked for long). The version that was live at the cut-off is
 * kept so that reads at the retention floor still see the document. With
 * `history_days: 0` only the current version of each document is kept.
 */
import type { Store } from './store.js';

const MICROS_PER_DAY = 86_400_000_000n;

/** Removes up to `limit` expired versions across collections; returns how many were removed. */
export function trimHistory(store: Store, nowMicros: bigint, limit: number): number {
  let removed = 0;
  const colls = store.db.prepare(`SELECT oid, body FROM schema_objects WHERE kind = 'collections'`).all() as { oid: bigint; body: string }[];
  for (const c of colls) {
    if (removed >= limit) break;
    const days = (JSON.parse(c.body) as { history_days?: number | null }).history_days;
    if (typeof days !== 'number' || days < 0) continue;
    // history_days 0 keeps only each document's current version.
    const cutoff = nowMicros - BigInt(days) * MICROS_PER_DAY;
    // A version is expired when a newer version of the same document also lies before the cut-off.
    const result = store.db
      .prepare(
        `DELETE FROM versions WHERE (coll, id, ts) IN (
           SELECT v.coll, v.id, v.ts FROM versions v
           WHERE v.coll = ? AND v.ts < ?
             AND EXISTS (SELECT 1 FROM versions w WHERE w.coll = v.coll AND w.id = v.id AND w.ts > v.ts AND w.ts <= ?)
           LIMIT ?)`,
      )
      .run(c.oid, cutoff, cutoff, limit - removed);
    removed += result.changes;
    const entries = store.db
      .prepare(`DELETE FROM index_history WHERE (idx, key, added) IN (SELECT idx, key, added FROM index_history WHERE coll = ? AND removed < ? LIMIT ?)`)
      .run(c.oid, cutoff, Math.max(1, limit - removed));
    removed += entries.changes;
  }
  return removed;
}
