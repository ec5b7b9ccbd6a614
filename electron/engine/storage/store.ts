/**
 * Prepared statements over one SQLite connection: the only place that speaks
 * SQL. Everything above this works with rows and values.
 */
import type Database from 'better-sqlite3';
import { ACTION_CREATE, ACTION_DELETE, ACTION_UPDATE } from './schema-sql.js';

const DELETE = BigInt(ACTION_DELETE);
import type { SqliteDb } from './open.js';
import { registerSqlFunctions } from './sql-functions.js';
import { DecodedDocs } from './decoded-docs.js';

export interface SchemaRow {
  db: bigint;
  kind: string;
  name: string;
  oid: bigint;
  ts: bigint;
  body: string;
}

export interface DocRow {
  ts: bigint;
  body: string;
}

/** A document's newest version (body null when it is a deletion) and the clock, from one snapshot. */
export interface DocWithClock {
  lastTs: bigint;
  schemaGen: bigint;
  ts: bigint;
  body: string | null;
}

export interface VersionRow {
  id: bigint;
  ts: bigint;
  action: bigint;
  body: string | null;
}

/** Entries read by scanEntryBatch: JSON lists without their brackets of ids, stored values and (when asked) collection oids. */
export interface EntryBatch {
  ids: string;
  vals: string;
  colls: string | null;
}

export interface EntryRow {
  key: Buffer;
  coll: bigint;
  id: bigint;
  vals: string;
  ts: bigint;
}

export interface LedgerRow {
  ts: bigint;
  origin: string;
  query: string;
  writes: string;
}

type Stmt = Database.Statement<unknown[], unknown>;

const MAX_LIMITED_STATEMENTS = 256;

/**
 * scanEntryBatch's statements, by (withColl, upper bound, descending). The
 * LIMIT subquery runs as a co-routine whose rows the aggregates consume in
 * ORDER BY order.
 */
const ENTRY_BATCH_SQL: readonly string[] = [false, true].flatMap((withColl) =>
  [false, true].flatMap((bounded) =>
    [false, true].map(
      (descending) => `SELECT '"' || group_concat(id, '","') || '"', group_concat(vals, ','), ${withColl ? "group_concat(coll, ',')" : 'NULL'} FROM (
      SELECT coll, id, vals FROM index_entries WHERE idx = ? AND key >= ? ${bounded ? 'AND key < ?' : ''} ORDER BY key ${descending ? 'DESC' : 'ASC'} LIMIT ?)`,
    ),
  ),
);

export class Store {
  private readonly stmts = new Map<string, Stmt>();
  /** Statements by SQL (with `LIMIT ?`) and limit: plain ones, and raw ones (see limited). */
  private readonly limitedStmts = new Map<string, Map<number, Stmt>>();
  private readonly limitedRawStmts = new Map<string, Map<number, Stmt>>();
  /** Recently decoded document bodies, shared by this connection's transactions. */
  readonly decodedDocs = new DecodedDocs();

  constructor(readonly db: SqliteDb) {
    registerSqlFunctions(db);
  }

  /**
   * A cached statement reading at most `limit` rows, the limit written into
   * the SQL in place of `LIMIT ?`: a LIMIT bound as a parameter costs SQLite
   * ~8 µs more on every run (measured), most of the cost of a small page.
   * `raw` statements return rows as arrays, numbers as JS numbers.
   */
  private limited(sql: string, limit: number, raw = false): Stmt {
    const n = Math.max(0, Math.floor(limit));
    const bySql = raw ? this.limitedRawStmts : this.limitedStmts;
    let byLimit = bySql.get(sql);
    if (byLimit === undefined) {
      byLimit = new Map();
      bySql.set(sql, byLimit);
    }
    let s = byLimit.get(n);
    if (s === undefined) {
      // Page sizes are few in practice; a caller cycling through many cannot grow the cache without bound.
      if (byLimit.size >= MAX_LIMITED_STATEMENTS) byLimit.clear();
      const text = sql.replace('LIMIT ?', `LIMIT ${n}`);
      s = raw ? this.db.prepare(text).raw().safeIntegers(false) : this.db.prepare(text);
      byLimit.set(n, s);
    }
    return s;
  }

  /** A cached prepared statement. */
  private q(sql: string): Stmt {
    let s = this.stmts.get(sql);
    if (s === undefined) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  // --- transactions -------------------------------------------------------

  /**
   * True while a group of write transactions shares one SQLite transaction
   * (see beginGroup): each of them is then a savepoint inside it.
   */
  private grouped = false;

  begin(write: boolean): void {
    if (this.grouped) this.q('SAVEPOINT sr_txn').run();
    else this.q(write ? 'BEGIN IMMEDIATE' : 'BEGIN').run();
  }

  commit(): void {
    this.q(this.grouped ? 'RELEASE sr_txn' : 'COMMIT').run();
  }

  rollback(): void {
    if (this.grouped) {
      this.q('ROLLBACK TO sr_txn').run();
      this.q('RELEASE sr_txn').run();
    } else if (this.db.inTransaction) {
      this.q('ROLLBACK').run();
    }
  }

  /**
   * Starts a group commit: write transactions begun until commitGroup are
   * savepoints of one SQLite transaction, so their changes reach the disk
   * with one sync. Each still commits or rolls back on its own.
   */
  beginGroup(): void {
    if (this.grouped) throw new Error('a group is already open');
    this.q('BEGIN IMMEDIATE').run();
    this.grouped = true;
  }

  /** Commits the group: every transaction released in it becomes durable at once. */
  commitGroup(): void {
    this.grouped = false;
    this.q('COMMIT').run();
  }

  /** Abandons the group and everything its transactions wrote. */
  rollbackGroup(): void {
    this.grouped = false;
    if (this.db.inTransaction) this.q('ROLLBACK').run();
  }

  /** The clock and schema generation, read together at the start of a transaction. */
  txnMeta(): { lastTs: bigint; schemaGen: bigint } {
    const row = this.q('SELECT last_ts, schema_gen FROM clock WHERE id = 1').raw().get() as [bigint, bigint] | undefined;
    return row === undefined ? { lastTs: 0n, schemaGen: 0n } : { lastTs: row[0], schemaGen: row[1] };
  }

  /** The last committed transaction's timestamp. */
  lastTs(): bigint {
    return this.txnMeta().lastTs;
  }

  /** Advances the clock at commit; `schemaGen` when the transaction changed the schema. */
  setClock(lastTs: bigint, schemaGen: bigint | null): void {
    if (schemaGen === null) this.q('UPDATE clock SET last_ts = ? WHERE id = 1').run(lastTs);
    else this.q('UPDATE clock SET last_ts = ?, schema_gen = ? WHERE id = 1').run(lastTs, schemaGen);
  }

  // --- meta ---------------------------------------------------------------

  getMeta(key: string): bigint | string | null {
    return (this.q('SELECT value FROM meta WHERE key = ?').pluck().get(key) as bigint | string | undefined) ?? null;
  }

  setMeta(key: string, value: bigint | string): void {
    this.q('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** Allocates a fresh internal id for a schema object (inside a write transaction). */
  allocateOid(): bigint {
    const next = BigInt(this.getMeta('next_oid') ?? 1024n);
    this.setMeta('next_oid', next + 1n);
    return next;
  }

  // --- schema objects -------------------------------------------------------

  getSchema(db: bigint, kind: string, name: string): SchemaRow | undefined {
    return this.q('SELECT db, kind, name, oid, ts, body FROM schema_objects WHERE db = ? AND kind = ? AND name = ?').get(db, kind, name) as SchemaRow | undefined;
  }

  getSchemaByOid(oid: bigint): SchemaRow | undefined {
    return this.q('SELECT db, kind, name, oid, ts, body FROM schema_objects WHERE oid = ?').get(oid) as SchemaRow | undefined;
  }

  listSchema(db: bigint, kind: string): SchemaRow[] {
    return this.q('SELECT db, kind, name, oid, ts, body FROM schema_objects WHERE db = ? AND kind = ? ORDER BY oid').all(db, kind) as SchemaRow[];
  }

  insertSchema(row: SchemaRow, action: number): void {
    this.q('INSERT INTO schema_objects (db, kind, name, oid, ts, body) VALUES (?, ?, ?, ?, ?, ?)').run(row.db, row.kind, row.name, row.oid, row.ts, row.body);
    this.recordSchemaHistory(row, action);
  }

  updateSchema(row: SchemaRow, action: number): void {
    this.q('UPDATE schema_objects SET name = ?, ts = ?, body = ? WHERE oid = ?').run(row.name, row.ts, row.body, row.oid);
    this.recordSchemaHistory(row, action);
  }

  deleteSchema(row: SchemaRow, ts: bigint): void {
    this.q('DELETE FROM schema_objects WHERE oid = ?').run(row.oid);
    this.recordSchemaHistory({ ...row, ts, body: row.body }, ACTION_DELETE);
  }

  private recordSchemaHistory(row: SchemaRow, action: number): void {
    this.q('INSERT OR REPLACE INTO schema_history (oid, ts, action, db, kind, name, body) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      row.oid,
      row.ts,
      BigInt(action),
      row.db,
      row.kind,
      row.name,
      action === ACTION_DELETE ? null : row.body,
    );
  }

  // --- documents -------------------------------------------------------------

  /** The current version of a live document. */
  getDoc(coll: bigint, id: bigint): DocRow | undefined {
    const row = this.q('SELECT ts, action, body FROM versions WHERE coll = ? AND id = ? ORDER BY ts DESC LIMIT 1').raw().get(coll, id) as [bigint, bigint, string | null] | undefined;
    if (row === undefined || row[1] === DELETE || row[2] === null) return undefined;
    return { ts: row[0], body: row[2] };
  }

  /**
   * The newest version of a document and the clock row (last committed ts,
   * schema generation) in one statement, so from one snapshot: what an
   * optimistic read (see Transaction.beginRead) runs without a transaction of
   * its own. Undefined when the document has no version at all (the caller
   * then reads in a transaction).
   */
  getDocWithClock(coll: bigint, id: bigint): DocWithClock | undefined {
    const row = this.q(
      `SELECT c.last_ts, c.schema_gen, v.ts, v.action, v.body
       FROM clock c, versions v WHERE c.id = 1 AND v.coll = ? AND v.id = ? ORDER BY v.ts DESC LIMIT 1`,
    ).raw().get(coll, id) as [bigint, bigint, bigint, bigint, string | null] | undefined;
    if (row === undefined) return undefined;
    return { lastTs: row[0], schemaGen: row[1], ts: row[2], body: row[3] === DELETE ? null : row[4] };
  }

  /** The version live at `ts` (null when the document did not exist then). */
  getDocAt(coll: bigint, id: bigint, ts: bigint): VersionRow | undefined {
    return this.q('SELECT id, ts, action, body FROM versions WHERE coll = ? AND id = ? AND ts <= ? ORDER BY ts DESC LIMIT 1').get(coll, id, ts) as VersionRow | undefined;
  }

  /**
   * Writes a new version. A second write to the same document in one
   * transaction replaces that transaction's version (a create stays a create).
   * Without history, older versions are dropped.
   */
  /** Writes a new version of a document (every version is kept until retention trims it). */
  putDoc(coll: bigint, id: bigint, ts: bigint, body: string, action: number): void {
    if (action === ACTION_CREATE) this.q('INSERT INTO live (coll, id) VALUES (?, ?) ON CONFLICT DO NOTHING').run(coll, id);
    this.putVersion(coll, id, ts, action, body);
  }

  /** Deletes a document: it leaves the live set and gets a delete version. */
  deleteDoc(coll: bigint, id: bigint, ts: bigint): void {
    this.q('DELETE FROM live WHERE coll = ? AND id = ?').run(coll, id);
    this.putVersion(coll, id, ts, ACTION_DELETE, null);
  }

  putVersion(coll: bigint, id: bigint, ts: bigint, action: number, body: string | null): void {
    this.q(
      `INSERT INTO versions (coll, id, ts, action, body) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(coll, id, ts) DO UPDATE SET body = excluded.body,
         action = CASE WHEN versions.action = ${ACTION_CREATE} AND excluded.action = ${ACTION_UPDATE} THEN ${ACTION_CREATE} ELSE excluded.action END`,
    ).run(coll, id, ts, BigInt(action), body);
  }

  /** Marks a document live or not (history edits settle the current state with this). */
  setLive(coll: bigint, id: bigint, live: boolean): void {
    if (live) this.q('INSERT INTO live (coll, id) VALUES (?, ?) ON CONFLICT DO NOTHING').run(coll, id);
    else this.q('DELETE FROM live WHERE coll = ? AND id = ?').run(coll, id);
  }

  /** Live document ids of a collection in id order, within [from, to]. */
  scanDocIds(coll: bigint, from: bigint | null, to: bigint | null, descending: boolean, limit: number): bigint[] {
    const lo = from ?? -9223372036854775808n;
    const hi = to ?? 9223372036854775807n;
    const sql = descending
      ? 'SELECT id FROM live WHERE coll = ? AND id >= ? AND id <= ? ORDER BY id DESC LIMIT ?'
      : 'SELECT id FROM live WHERE coll = ? AND id >= ? AND id <= ? ORDER BY id ASC LIMIT ?';
    return this.limited(sql, limit).pluck().all(coll, lo, hi) as bigint[];
  }

  /**
   * Live documents of a collection in id order from `from`, each with its
   * current version in one scan: [id, ts, action, body] (ts/action/body null
   * when the id has no version).
   */
  scanLiveDocs(coll: bigint, from: bigint, limit: number): [bigint, bigint | null, bigint | null, string | null][] {
    return this.q(
      `SELECT l.id, v.ts, v.action, v.body FROM live l LEFT JOIN versions v
         ON v.coll = l.coll AND v.id = l.id AND v.ts = (SELECT max(ts) FROM versions m WHERE m.coll = l.coll AND m.id = l.id)
       WHERE l.coll = ? AND l.id >= ? ORDER BY l.id ASC LIMIT ?`,
    ).raw().all(coll, from, limit) as [bigint, bigint | null, bigint | null, string | null][];
  }

  /** The id of the `n`th live document of a collection from `from` on (1-based), or null if there are fewer. */
  nthLiveId(coll: bigint, from: bigint, n: number): bigint | null {
    return (this.q('SELECT id FROM live WHERE coll = ? AND id >= ? ORDER BY id LIMIT 1 OFFSET ?').pluck().get(coll, from, n - 1) as bigint | undefined) ?? null;
  }

  /** How many live documents of a collection have lo <= id <= hi. */
  countLiveIds(coll: bigint, lo: bigint, hi: bigint): number {
    return Number(this.q('SELECT count(*) FROM live WHERE coll = ? AND id >= ? AND id <= ?').pluck().get(coll, lo, hi));
  }

  countDocs(coll: bigint): number {
    return Number(this.q('SELECT count(*) FROM live WHERE coll = ?').pluck().get(coll));
  }

  /** Versions of one document in ts order. */
  versionsOf(coll: bigint, id: bigint, fromTs: bigint, toTs: bigint, descending: boolean, limit: number): VersionRow[] {
    const sql = descending
      ? 'SELECT id, ts, action, body FROM versions WHERE coll = ? AND id = ? AND ts >= ? AND ts <= ? ORDER BY ts DESC LIMIT ?'
      : 'SELECT id, ts, action, body FROM versions WHERE coll = ? AND id = ? AND ts >= ? AND ts <= ? ORDER BY ts ASC LIMIT ?';
    return this.limited(sql, limit).all(coll, id, fromTs, toTs) as VersionRow[];
  }

  deleteAllDocs(coll: bigint): void {
    this.q('DELETE FROM live WHERE coll = ?').run(coll);
    this.q('DELETE FROM versions WHERE coll = ?').run(coll);
  }

  // --- index entries -----------------------------------------------------------

  /**
   * Adds an entry unless it is already there. A duplicate (terms, values) in a
   * unique index violates the UNIQUE constraint on `ukey` and throws.
   */
  insertEntry(idx: bigint, key: Buffer, ukey: Buffer | null, coll: bigint, id: bigint, vals: string, ts: bigint): void {
    this.q('INSERT INTO index_entries (idx, key, ukey, coll, id, vals, ts) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(idx, key) DO NOTHING').run(idx, key, ukey, coll, id, vals, ts);
  }

  /**
   * Adds many entries (sorted by key for an append-friendly B-tree insert) with
   * multi-row statements; each is skipped if already there, and a duplicate
   * (terms, values) in a unique index throws as insertEntry does.
   */
  insertEntries(idx: bigint, coll: bigint, rows: readonly { key: Buffer; ukey: Buffer | null; id: bigint; vals: string; ts: bigint }[]): void {
    const CHUNK = 64;
    let i = 0;
    if (rows.length >= CHUNK) {
      const stmt = this.q(`INSERT INTO index_entries (idx, key, ukey, coll, id, vals, ts) VALUES ${new Array(CHUNK).fill('(?, ?, ?, ?, ?, ?, ?)').join(', ')} ON CONFLICT(idx, key) DO NOTHING`);
      const args = new Array<unknown>(CHUNK * 7);
      for (; i + CHUNK <= rows.length; i += CHUNK) {
        for (let j = 0; j < CHUNK; j++) {
          const r = rows[i + j]!;
          const o = j * 7;
          args[o] = idx;
          args[o + 1] = r.key;
          args[o + 2] = r.ukey;
          args[o + 3] = coll;
          args[o + 4] = r.id;
          args[o + 5] = r.vals;
          args[o + 6] = r.ts;
        }
        stmt.run(args);
      }
    }
    for (; i < rows.length; i++) {
      const r = rows[i]!;
      this.insertEntry(idx, r.key, r.ukey, coll, r.id, r.vals, r.ts);
    }
  }

  /** Removes an entry; returns when it was added and its values, or undefined if it was not there. */
  deleteEntry(idx: bigint, key: Buffer): { ts: bigint; vals: string } | undefined {
    return this.q('DELETE FROM index_entries WHERE idx = ? AND key = ? RETURNING ts, vals').get(idx, key) as { ts: bigint; vals: string } | undefined;
  }

  /** Entries with lo <= key < hi (hi null: unbounded), ascending or descending. */
  scanEntries(idx: bigint, lo: Buffer, hi: Buffer | null, descending: boolean, limit: number): EntryRow[] {
    const sql = hi === null
      ? `SELECT key, coll, id, vals, ts FROM index_entries WHERE idx = ? AND key >= ? ORDER BY key ${descending ? 'DESC' : 'ASC'} LIMIT ?`
      : `SELECT key, coll, id, vals, ts FROM index_entries WHERE idx = ? AND key >= ? AND key < ? ORDER BY key ${descending ? 'DESC' : 'ASC'} LIMIT ?`;
    return (hi === null ? this.limited(sql, limit).all(idx, lo) : this.limited(sql, limit).all(idx, lo, hi)) as EntryRow[];
  }

  /**
   * Up to `limit` entries with lo <= key < hi in key order (descending when
   * asked), read in one statement as three texts built by SQLite, entry
   * after entry, each a JSON list once bracketed: the ids as strings
   * (`"id","id",...`; they exceed 2^53), the stored values (`vals,vals,...`)
   * and, only `withColl`, the collection oids; null when there is none. A
   * text per column and batch costs far less than a row object per entry.
   */
  scanEntryBatch(idx: bigint, lo: Buffer, hi: Buffer | null, descending: boolean, limit: number, withColl: boolean): EntryBatch | null {
    const s = this.limited(ENTRY_BATCH_SQL[(withColl ? 4 : 0) + (hi === null ? 0 : 2) + (descending ? 1 : 0)]!, limit, true);
    const row = (hi === null ? s.get(idx, lo) : s.get(idx, lo, hi)) as [string | null, string | null, string | null];
    return row[0] === null ? null : { ids: row[0], vals: row[1]!, colls: row[2] };
  }

  countEntries(idx: bigint, lo: Buffer, hi: Buffer | null): number {
    const sql = hi === null ? 'SELECT count(*) FROM index_entries WHERE idx = ? AND key >= ?' : 'SELECT count(*) FROM index_entries WHERE idx = ? AND key >= ? AND key < ?';
    return Number(hi === null ? this.q(sql).pluck().get(idx, lo) : this.q(sql).pluck().get(idx, lo, hi));
  }

  recordEntryHistory(idx: bigint, key: Buffer, added: bigint, removed: bigint, coll: bigint, id: bigint, vals: string): void {
    this.q('INSERT OR REPLACE INTO index_history (idx, key, added, removed, coll, id, vals) VALUES (?, ?, ?, ?, ?, ?, ?)').run(idx, key, added, removed, coll, id, vals);
  }

  deleteIndexEntries(idx: bigint): void {
    this.q('DELETE FROM index_entries WHERE idx = ?').run(idx);
    this.q('DELETE FROM index_history WHERE idx = ?').run(idx);
  }

  // --- ledger ----------------------------------------------------------------

  insertLedger(row: LedgerRow): void {
    this.q('INSERT INTO ledger (ts, origin, query, writes) VALUES (?, ?, ?, ?)').run(row.ts, row.origin, row.query, row.writes);
  }

  ledgerPage(beforeTs: bigint | null, limit: number): LedgerRow[] {
    return this.limited('SELECT ts, origin, query, writes FROM ledger WHERE ts < ? ORDER BY ts DESC LIMIT ?', limit).all(beforeTs ?? 9223372036854775807n) as LedgerRow[];
  }
}
