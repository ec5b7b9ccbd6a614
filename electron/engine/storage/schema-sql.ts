/**
 * The SQLite layout of a Stockroom file.
 *
 * - `clock`: one row: the last committed transaction's timestamp and the
 *   schema generation (bumped by every schema write), read at the start of
 *   every transaction.
 * - `schema_objects`: collections, indexes, functions, databases, roles, keys,
 *   one row each, namespaced by database (`db`, 0 = the root database) and
 *   addressed by (kind, name). `oid` is the internal id that documents and
 *   index entries refer to, so a rename never rewrites them.
 * - `versions`: every version of every document (create/update/delete); the
 *   newest is the document's current state, older ones serve history, `At`
 *   and `Events` and are trimmed by each collection's `history_days`. An
 *   update writes one row.
 * - `live`: the ids of the live documents of each collection (added on
 *   create, removed on delete), so `Documents(...)` and counts are range scans.
 * - `index_entries`: one row per index entry; `key` is the order-preserving
 *   encoding of (terms, values, ref) so that SQLite's B-tree yields Fauna's
 *   order (since format 2 the ref is not repeated when the values end with
 *   it); `ukey` (terms + values) is set for unique indexes only and carries
 *   a UNIQUE constraint, so uniqueness is enforced by the storage itself.
 * - `index_history`: entries that were removed, with the interval they were live.
 * - `ledger`: one row per committed write transaction.
 */
export const FORMAT_MARKER = 'stockroom';
export const SCHEMA_VERSION = 3;

export const CREATE_TABLES = `
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value ANY
) STRICT;

CREATE TABLE IF NOT EXISTS clock (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last_ts INTEGER NOT NULL,
  schema_gen INTEGER NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS schema_objects (
  db INTEGER NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  oid INTEGER NOT NULL UNIQUE,
  ts INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (db, kind, name)
) STRICT, WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS schema_history (
  oid INTEGER NOT NULL,
  ts INTEGER NOT NULL,
  action INTEGER NOT NULL,
  db INTEGER NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  body TEXT,
  PRIMARY KEY (oid, ts)
) STRICT, WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS live (
  coll INTEGER NOT NULL,
  id INTEGER NOT NULL,
  PRIMARY KEY (coll, id)
) STRICT, WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS versions (
  coll INTEGER NOT NULL,
  id INTEGER NOT NULL,
  ts INTEGER NOT NULL,
  action INTEGER NOT NULL,
  body TEXT,
  PRIMARY KEY (coll, id, ts)
) STRICT, WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS index_entries (
  idx INTEGER NOT NULL,
  key BLOB NOT NULL,
  ukey BLOB,
  coll INTEGER NOT NULL,
  id INTEGER NOT NULL,
  vals TEXT NOT NULL,
  ts INTEGER NOT NULL,
  PRIMARY KEY (idx, key)
) STRICT, WITHOUT ROWID;

CREATE UNIQUE INDEX IF NOT EXISTS index_entries_unique ON index_entries (idx, ukey) WHERE ukey IS NOT NULL;

CREATE TABLE IF NOT EXISTS index_history (
  idx INTEGER NOT NULL,
  key BLOB NOT NULL,
  added INTEGER NOT NULL,
  removed INTEGER NOT NULL,
  coll INTEGER NOT NULL,
  id INTEGER NOT NULL,
  vals TEXT NOT NULL,
  PRIMARY KEY (idx, key, added)
) STRICT, WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS ledger (
  ts INTEGER PRIMARY KEY,
  origin TEXT NOT NULL,
  query TEXT NOT NULL,
  writes TEXT NOT NULL
) STRICT;
`;

/** Version actions as stored in `versions.action`. */
export const ACTION_CREATE = 0;
export const ACTION_UPDATE = 1;
export const ACTION_DELETE = 2;
