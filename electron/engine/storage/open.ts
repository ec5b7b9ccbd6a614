/**
 * Opening a Stockroom file: WAL, synchronous=FULL, a busy timeout so that a
 * busy file is waited for, and a format check that refuses files that are
 * not Stockroom databases.
 */
import Database from 'better-sqlite3';
import { FaunaError } from '../errors.js';
import { Ref, collectionRef } from '../values/value.js';
import { encodeKey } from './keys.js';
import { CREATE_TABLES, FORMAT_MARKER, SCHEMA_VERSION } from './schema-sql.js';
import { wallClockMicros } from './transaction.js';

export type SqliteDb = Database.Database;

/** Page cache per connection, in KiB. */
export const CACHE_KIB = 65_536;

export interface OpenOptions {
  /** Open without creating tables (a reader connection). */
  readonly?: boolean;
  /** Milliseconds to wait for a busy file before giving up. */
  busyTimeoutMs?: number;
  /** Path of a better-sqlite3 native binding to load (the Electron build). */
  nativeBinding?: string;
}

export function openDatabase(file: string, options: OpenOptions = {}): SqliteDb {
  const db = new Database(file, {
    readonly: options.readonly ?? false,
    timeout: options.busyTimeoutMs ?? 10_000,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
  try {
    db.defaultSafeIntegers(true);
    if (!options.readonly) {
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (String(mode).toLowerCase() !== 'wal' && file !== ':memory:') {
        throw new FaunaError('bad request', `Could not switch ${file} to WAL mode (got ${String(mode)}).`, undefined);
      }
    }
    db.pragma('synchronous = FULL');
    // A larger page cache keeps index B-trees in memory during big transactions.
    db.pragma(`cache_size = -${CACHE_KIB}`);
    db.pragma('foreign_keys = OFF');
    // A sort too large for memory (an index build's entries) merges its runs on a helper thread.
    db.pragma('threads = 2');
    checkFormat(db, file, options.readonly ?? false);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof FaunaError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new FaunaError('bad request', `${file} is not a Stockroom database (${message}).`, undefined);
  }
}

function checkFormat(db: SqliteDb, file: string, readonly: boolean): void {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[];
  if (tables.length === 0) {
    if (readonly) throw new FaunaError('bad request', `${file} is empty; open it for writing first.`, undefined);
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(CREATE_TABLES);
      const put = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
      put.run('format', FORMAT_MARKER);
      put.run('schema_version', BigInt(SCHEMA_VERSION));
      // The clock starts at the file's creation: a read before the first write reads at that time, and
      // every write gets a later one.
      db.prepare('INSERT INTO clock (id, last_ts, schema_gen) VALUES (1, ?, 0)').run(wallClockMicros());
      put.run('next_oid', 1024n);
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
    return;
  }
  if (!tables.includes('meta')) {
    throw new FaunaError('bad request', `${file} is not a Stockroom database.`, undefined);
  }
  const format = db.prepare(`SELECT value FROM meta WHERE key = 'format'`).pluck().get();
  if (format !== FORMAT_MARKER) {
    throw new FaunaError('bad request', `${file} is not a Stockroom database.`, undefined);
  }
  const version = Number(db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).pluck().get());
  if (version > SCHEMA_VERSION) {
    throw new FaunaError('bad request', `${file} was written by a newer Stockroom (format ${version}); this one reads up to ${SCHEMA_VERSION}.`, undefined);
  }
  if (version < SCHEMA_VERSION) {
    if (readonly) throw new FaunaError('bad request', `${file} is in an older Stockroom format (${version}); open it for writing once to bring it to format ${SCHEMA_VERSION}.`, undefined);
    migrate(db, version);
  }
  else if (!readonly) ensureTables(db);
}

/** Creates any table a file of the current format lacks (all statements are IF NOT EXISTS). */
function ensureTables(db: SqliteDb): void {
  const have = new Set(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[]);
  if (REQUIRED_TABLES.every((t) => have.has(t))) return;
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec(CREATE_TABLES);
    db.prepare('INSERT OR IGNORE INTO clock (id, last_ts, schema_gen) VALUES (1, (SELECT coalesce(max(ts), 0) FROM ledger), 0)').run();
    db.exec('COMMIT');
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}

const REQUIRED_TABLES = ['meta', 'clock', 'schema_objects', 'schema_history', 'live', 'versions', 'index_entries', 'index_history', 'ledger'];

/** Brings an older file forward, one step per format version, in one transaction. */
function migrate(db: SqliteDb, from: number): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec(CREATE_TABLES);
    for (let v = from; v < SCHEMA_VERSION; v++) MIGRATIONS[v]?.(db);
    db.prepare(`UPDATE meta SET value = ? WHERE key = 'schema_version'`).run(BigInt(SCHEMA_VERSION));
    db.exec('COMMIT');
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}

/** MIGRATIONS[v] upgrades a file from format v to v + 1 (inside migrate's transaction). */
const MIGRATIONS: Record<number, (db: SqliteDb) => void> = {
  1: dropRepeatedRefFromKeys,
  2: dropOwnRefsFromValues,
};

/** For each value of an index's stored definition, whether it is the document's own ref (definition.ts isOwnRef). */
function ownRefValues(body: string): boolean[] {
  const fields = JSON.parse(body) as { values?: unknown };
  const values = Array.isArray(fields.values) ? fields.values : [];
  return values.map((v: { field?: unknown; transform?: unknown; binding?: unknown } | null) => {
    if (typeof v !== 'object' || v === null || v.binding !== undefined || v.transform === 'casefold') return false;
    const field = v.field;
    return field === 'ref' || (Array.isArray(field) && field.length === 1 && field[0] === 'ref');
  });
}

/** Whether an index's stored definition ends its values with the document's own ref. */
function valuesEndWithRef(body: string): boolean {
  return ownRefValues(body).at(-1) === true;
}

/**
 * 1 -> 2: where an index's values end with the document's ref, an entry's
 * key no longer repeats the ref after the values (entryKeyTuple in
 * eval/indexes/definition.ts): the trailing copy is cut from every current
 * and past entry of those indexes.
 */
function dropRepeatedRefFromKeys(db: SqliteDb): void {
  const collName = new Map<bigint, string>();
  for (const row of db.prepare(`SELECT oid, name FROM schema_objects WHERE kind = 'collections'`).raw().all() as [bigint, string][]) collName.set(row[0], row[1]);
  const refKey = (coll: bigint, id: bigint): Buffer => encodeKey([new Ref(id.toString(), collectionRef(collName.get(coll) ?? coll.toString()))]);
  const indexes = db.prepare(`SELECT oid, body FROM schema_objects WHERE kind = 'indexes'`).raw().all() as [bigint, string][];
  for (const [oid, body] of indexes) {
    if (!valuesEndWithRef(body)) continue;
    // (Both tables are WITHOUT ROWID: rows are found by their primary key; `added` is 0 for index_entries.)
    for (const [table, added] of [['index_entries', '0'], ['index_history', 'added']] as const) {
      const rows = db.prepare(`SELECT key, coll, id, ${added} FROM ${table} WHERE idx = ?`).raw().all(oid) as [Buffer, bigint, bigint, bigint][];
      const update = db.prepare(
        table === 'index_entries' ? 'UPDATE index_entries SET key = ? WHERE idx = ? AND key = ?' : 'UPDATE index_history SET key = ? WHERE idx = ? AND key = ? AND added = ?',
      );
      for (const [key, coll, id, at] of rows) {
        const suffix = refKey(coll, id);
        if (key.length < suffix.length || !key.subarray(key.length - suffix.length).equals(suffix)) {
          throw new Error(`index ${oid}: an entry of ${coll}/${id} does not end with its ref`);
        }
        const shorter = key.subarray(0, key.length - suffix.length);
        if (table === 'index_entries') update.run(shorter, oid, key);
        else update.run(shorter, oid, key, at);
      }
    }
  }
}

/**
 * 2 -> 3: an entry's stored values no longer hold the values its index
 * defines as the document's own ref (they were {"@me":0} markers; see
 * codec.ts encodeEntryValues): the markers at those positions are cut from
 * every current and past entry of those indexes.
 */
function dropOwnRefsFromValues(db: SqliteDb): void {
  const indexes = db.prepare(`SELECT oid, body FROM schema_objects WHERE kind = 'indexes'`).raw().all() as [bigint, string][];
  for (const [oid, body] of indexes) {
    const ownRef = ownRefValues(body);
    if (!ownRef.includes(true)) continue;
    for (const [table, added] of [['index_entries', '0'], ['index_history', 'added']] as const) {
      const rows = db.prepare(`SELECT key, vals, ${added} FROM ${table} WHERE idx = ?`).raw().all(oid) as [Buffer, string, bigint][];
      const update = db.prepare(
        table === 'index_entries' ? 'UPDATE index_entries SET vals = ? WHERE idx = ? AND key = ?' : 'UPDATE index_history SET vals = ? WHERE idx = ? AND key = ? AND added = ?',
      );
      for (const [key, vals, at] of rows) {
        const values = JSON.parse(vals) as unknown[];
        if (!Array.isArray(values) || values.length !== ownRef.length) throw new Error(`index ${oid}: an entry has ${vals} for ${ownRef.length} values`);
        const kept = values.filter((v, i) => {
          if (!ownRef[i]) return true;
          if (JSON.stringify(v) !== '{"@me":0}') throw new Error(`index ${oid}: an entry holds ${JSON.stringify(v)} where its document's ref belongs`);
          return false;
        });
        const text = JSON.stringify(kept);
        if (table === 'index_entries') update.run(text, oid, key);
        else update.run(text, oid, key, at);
      }
    }
  }
}
