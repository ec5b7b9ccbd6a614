/**
 * History retention: how far back a collection's documents can be read, and
 * the removal of versions older than that.
 *
 * A collection's history floor, as of a transaction at `ts`, is
 * `ts - history_days` (30 days when unset, Fauna's v4 default), never below
 * the collection's floor mark, less a grace period of 15 minutes (Fauna's
 * "MVT offset": with `history_days: 0` the last 15 minutes can still be read,
 * so set cursors and `At` a moment ago keep working). Reads of a document or
 * a set at a time below the floor fail with `bad request`; history (events)
 * below it is not shown.
 *
 * The floor mark keeps the floor from moving back when `history_days` is
 * raised: versions trimmed under the old setting are gone, so the times they
 * served stay out of reach.
 *
 * Versions older than the floor are removed in small batches (each a short
 * transaction of its own, so writers are never blocked for long). The
 * version that was live at the floor is kept so that reads at the floor still
 * see the document.
 */
import { decodeFields } from './codec.js';
import type { Store } from './store.js';

const MICROS_PER_DAY = 86_400_000_000n;

/** Fauna's v4 default retention for a collection's document history. */
export const DEFAULT_HISTORY_DAYS = 30n;

/** How much longer than `history_days` history stays readable (Fauna's Collection.MVTOffset). */
export const HISTORY_GRACE_MICROS = 15n * 60n * 1_000_000n;

/** The `meta` key of a collection's floor mark. */
export function floorMarkKey(collOid: bigint): string {
  return `history_floor:${collOid}`;
}

/** A collection's `history_days` field: an integer, or unset (the default). */
export function historyDays(value: unknown): bigint {
  return typeof value === 'bigint' && value >= 0n ? value : DEFAULT_HISTORY_DAYS;
}

/** The oldest time readable as of `ts` under `days` of retention and a floor mark (µs, never below 0). */
export function historyFloor(days: bigint, mark: bigint | null, ts: bigint): bigint {
  const byDays = ts - days * MICROS_PER_DAY;
  const floor = (mark !== null && mark > byDays ? mark : byDays) - HISTORY_GRACE_MICROS;
  return floor > 0n ? floor : 0n;
}

/** A collection's floor mark (null when it has none). */
export function floorMark(store: Store, collOid: bigint): bigint | null {
  const v = store.getMeta(floorMarkKey(collOid));
  return v === null ? null : BigInt(v);
}

/**
 * Records, when a collection's `history_days` changes at `ts` from
 * `previousDays`, that nothing before `ts - previousDays` is readable any more
 * (that history may already be trimmed).
 */
export function raiseFloorMark(store: Store, collOid: bigint, previousDays: bigint, ts: bigint): void {
  const mark = ts - previousDays * MICROS_PER_DAY;
  const current = floorMark(store, collOid);
  if (current === null || mark > current) store.setMeta(floorMarkKey(collOid), mark);
}

/** Removes up to `limit` expired versions across collections; returns how many were removed. */
export function trimHistory(store: Store, nowMicros: bigint, limit: number): number {
  let removed = 0;
  const colls = store.db.prepare(`SELECT oid, body FROM schema_objects WHERE kind = 'collections'`).all() as { oid: bigint; body: string }[];
  for (const c of colls) {
    if (removed >= limit) break;
    const days = historyDays(decodeFields(c.body).history_days);
    const cutoff = historyFloor(days, floorMark(store, c.oid), nowMicros);
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
