/**
 * Building an index over the documents already in its sources.
 *
 * Small sources (up to SYNC_BUILD_LIMIT documents), and unique indexes at
 * any size, are indexed in the creating transaction and the index is active
 * at once. Larger ones are built in the background: the index is created
 * with `active: false` (Match on it fails with "Index 'x' is not active."
 * until done) and `backgroundStep` indexes a batch of documents per short
 * write transaction, remembering its place in `meta`, until every document
 * is covered and the index turns active. Writes made meanwhile maintain the
 * index as usual, so the build and concurrent writers agree (re-indexing a
 * document is idempotent). A step that fails on the documents themselves
 * stops the build for good (failBuild): the index stays inactive.
 */
import { ACTION_DELETE, ACTION_UPDATE } from '../../storage/schema-sql.js';
import type { SchemaDoc } from '../../storage/schema-cache.js';
import type { Transaction } from '../../storage/transaction.js';
import { decodeFields, encodeFields } from '../../storage/codec.js';
import { newObject } from '../../values/value.js';
import { EvalContext, DEFAULT_LIMITS } from '../context.js';
import { indexDef, type IndexDef } from './definition.js';
import { addDocEntries, hasRemovalsInTxn, isUniqueViolation, notUnique, type BuildDoc } from './maintainer.js';
import { LARGE_BATCH, runSqlEntries, sqlEntryPlan, type SqlEntryPlan } from './sql-entries.js';

const DELETE = BigInt(ACTION_DELETE);

export const SYNC_BUILD_LIMIT = 10_000;
const META_PREFIX = 'index_build:';

interface BuildState {
  /** Source collection oids still to do, in order, and the next id in the first. */
  colls: string[];
  nextId: string;
  done: number;
  total: number;
  /** Why the build stopped for good (failBuild); the index stays inactive. */
  failed?: string;
}

function sourceCollections(tx: Transaction, def: IndexDef): SchemaDoc[] {
  return tx.listSchema('collections', def.db).filter((c) => def.sources.some((s) => s.collection === '_' || s.collection === c.row.name));
}

export function countSourceDocs(tx: Transaction, def: IndexDef): number {
  return sourceCollections(tx, def).reduce((n, c) => n + tx.store.countDocs(c.row.oid), 0);
}

/**
 * The live documents among stored rows [id, ts, action, body], decoded one at
 * a time as entries are made, so each document's fields are short-lived.
 */
function* liveDocs(ctx: EvalContext, rows: Iterable<[bigint, bigint | null, bigint | null, string | null]>): Iterable<BuildDoc> {
  for (const [id, ts, action, body] of rows) {
    ctx.tick();
    if (ts === null || action === DELETE || body === null) continue;
    yield { id, ts, fields: decodeFields(body) };
  }
}

/** The most documents the general path reads at once (their bodies are held while their entries are made). */
const GENERAL_BATCH = 20_000;

/** Indexes up to `limit` documents of one collection from `fromId`; returns the next id or null when done. */
function indexBatch(ctx: EvalContext, def: IndexDef, coll: SchemaDoc, fromId: bigint, limit: number): { next: bigint | null; count: number } {
  const plan = sqlEntryPlan(def);
  if (plan !== null && !hasRemovalsInTxn(ctx.txn)) return sqlIndexBatch(ctx, def, plan, coll, fromId, limit);
  const take = Math.min(limit, GENERAL_BATCH);
  const rows = ctx.txn.store.scanLiveDocs(coll.row.oid, fromId, take);
  addDocEntries(ctx.txn, ctx, def, coll, liveDocs(ctx, rows));
  return { next: rows.length < take ? null : rows[rows.length - 1]![0] + 1n, count: rows.length };
}

/** indexBatch with SQLite computing the entries of the documents it can (sql-entries.ts), the rest as usual. */
function sqlIndexBatch(ctx: EvalContext, def: IndexDef, plan: SqlEntryPlan, coll: SchemaDoc, fromId: bigint, limit: number): { next: bigint | null; count: number } {
  const store = ctx.txn.store;
  const last = store.nthLiveId(coll.row.oid, fromId, limit);
  const hi = last ?? MAX_ID;
  const large = limit >= LARGE_BATCH && (last !== null || store.nthLiveId(coll.row.oid, fromId, LARGE_BATCH) !== null);
  let rest: Iterable<[bigint, bigint | null, bigint | null, string | null]>;
  try {
    rest = runSqlEntries(store, plan, def, coll, fromId, hi, large);
  } catch (err) {
    if (isUniqueViolation(err)) throw notUnique();
    throw err;
  }
  addDocEntries(ctx.txn, ctx, def, coll, liveDocs(ctx, rest));
  ctx.tick();
  return { next: last === null || last === MAX_ID ? null : last + 1n, count: last === null ? store.countLiveIds(coll.row.oid, fromId, hi) : limit };
}

const MAX_ID = 9223372036854775807n;

/** Builds every entry now (inside the current transaction). */
export function buildNow(ctx: EvalContext, def: IndexDef): void {
  for (const coll of sourceCollections(ctx.txn, def)) {
    let from: bigint | null = -9223372036854775808n;
    // Large batches (unique indexes are built at once at any size): each batch's entries land all
    // over the index built so far, so fewer batches rewrite fewer pages.
    while (from !== null) from = indexBatch(ctx, def, coll, from, 1_000_000).next;
  }
}

/** Marks an index active (a maintenance write: no ledger entry of its own). */
export function activate(tx: Transaction, doc: SchemaDoc): void {
  const fields = newObject();
  for (const k of Object.keys(doc.fields)) fields[k] = doc.fields[k]!;
  fields.active = true;
  tx.store.updateSchema({ ...doc.row, ts: tx.ts, body: encodeFields(fields) }, ACTION_UPDATE);
  tx.markSchemaChanged();
}

/** Schedules a background build of a large index over `total` documents (countSourceDocs). */
export function scheduleBuild(tx: Transaction, def: IndexDef, total: number): void {
  const state: BuildState = { colls: sourceCollections(tx, def).map((c) => c.row.oid.toString()), nextId: '-9223372036854775808', done: 0, total };
  tx.store.setMeta(`${META_PREFIX}${def.oid}`, JSON.stringify(state));
}

/** Background builds: index oid -> progress, and why a build stopped, if it did. */
export function pendingBuilds(tx: Transaction): { oid: bigint; done: number; total: number; failed: string | null }[] {
  const rows = tx.store.db.prepare(`SELECT key, value FROM meta WHERE key LIKE '${META_PREFIX}%'`).all() as { key: string; value: string }[];
  return rows.map((r) => {
    const s = JSON.parse(r.value) as BuildState;
    return { oid: BigInt(r.key.slice(META_PREFIX.length)), done: s.done, total: s.total, failed: s.failed ?? null };
  });
}

/**
 * Stops the build buildStep would run next, for good, with the error that
 * made its step fail (a step that fails once fails again: the documents are
 * the same). Its index stays inactive. Returns true when there was one.
 */
export function failBuild(tx: Transaction, reason: string): boolean {
  const pending = pendingBuilds(tx).find((b) => b.failed === null);
  if (pending === undefined) return false;
  const key = `${META_PREFIX}${pending.oid}`;
  const state = JSON.parse(String(tx.store.getMeta(key))) as BuildState;
  state.failed = reason;
  tx.store.setMeta(key, JSON.stringify(state));
  return true;
}

/**
 * Runs one batch of one pending background build inside `tx` (a write
 * transaction). Returns true when there was work to do.
 */
export function buildStep(tx: Transaction, batch: number): boolean {
  const pending = pendingBuilds(tx).find((b) => b.failed === null);
  if (pending === undefined) return false;
  const key = `${META_PREFIX}${pending.oid}`;
  const doc = tx.getSchemaByOid(pending.oid);
  if (doc === null) {
    tx.store.db.prepare('DELETE FROM meta WHERE key = ?').run(key);
    return true;
  }
  const def = indexDef(doc);
  const state = JSON.parse(String(tx.store.getMeta(key))) as BuildState;
  const ctx = new EvalContext(tx, { ...DEFAULT_LIMITS, timeoutMs: 3_600_000 });
  let budget = batch;
  while (budget > 0 && state.colls.length > 0) {
    const coll = tx.getSchemaByOid(BigInt(state.colls[0]!));
    if (coll === null) {
      state.colls.shift();
      state.nextId = '-9223372036854775808';
      continue;
    }
    const { next, count } = indexBatch(ctx, def, coll, BigInt(state.nextId), budget);
    budget -= count;
    state.done += count;
    if (next === null) {
      state.colls.shift();
      state.nextId = '-9223372036854775808';
    } else {
      state.nextId = next.toString();
    }
  }
  if (state.colls.length === 0) {
    tx.store.db.prepare('DELETE FROM meta WHERE key = ?').run(key);
    activate(tx, doc);
  } else {
    tx.store.setMeta(key, JSON.stringify(state));
  }
  return true;
}
