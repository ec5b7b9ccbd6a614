/**
 * One FQL query's transaction over the store: timestamps, schema objects,
 * documents, index maintenance and the record of what was written.
 *
 * A write transaction holds SQLite's write lock (BEGIN IMMEDIATE) from start
 * to finish and gets one timestamp, strictly greater than every timestamp
 * committed before it by any process sharing the file (the last one is kept
 * in the `clock` row, read under the lock).
 *
 * A read-only transaction reads one snapshot, and its time is that snapshot's:
 * the last committed timestamp as the `clock` row in the snapshot has it (the
 * file's creation time before any commit, see open.ts). So it sees every
 * write with a timestamp up to its own time and none after, even when
 * another connection's write took an earlier timestamp and is still running.
 */
import { belowHistoryFloor } from '../errors.js';
import { type FObject } from '../values/value.js';
import { decodeFields, encodeFields } from './codec.js';
import { KnownDocs } from './known-docs.js';
import { floorMark, historyDays, historyFloor } from './retention.js';
import { ACTION_CREATE, ACTION_DELETE, ACTION_UPDATE } from './schema-sql.js';
import type { SchemaCache, SchemaDoc } from './schema-cache.js';
import type { Store } from './store.js';

export type WriteAction = 'create' | 'update' | 'delete';

export interface WriteRecord {
  db: bigint;
  /** A user collection's name, or a native kind ('collections', 'indexes', ...) for schema writes. */
  collection: string;
  id: string;
  action: WriteAction;
  before: FObject | null;
  after: FObject | null;
  /** The stored encodings of before/after when already at hand (saves encoding them again for the ledger). */
  beforeBody?: string;
  afterBody?: string;
}

export interface StoredDoc {
  readonly ts: bigint;
  readonly fields: FObject;
  /** The stored encoding of `fields`, when read from storage. */
  readonly body?: string;
  /** The document as Get renders it for one ref object (see renderDocument), made on first use. */
  rendered?: { ref: object; doc: FObject };
}

/** Keeps index entries in step with document writes (see indexer.ts). */
export interface IndexMaintainer {
  onWrite(tx: Transaction, coll: SchemaDoc, id: bigint, before: StoredDoc | null, after: FObject | null): void;
  onCollectionDropped(tx: Transaction, coll: SchemaDoc): void;
}

export interface TransactionOrigin {
  /** Where the transaction came from: 'cli', 'window:3', 'http', ... */
  origin: string;
  /** What ran: the query text or a summary of a function call. */
  query: string;
}

let lastIssuedMicros = 0n;

/**
 * Microseconds since the epoch from one clock (the high-resolution time
 * origin plus elapsed time), never lower than a value this process already
 * issued, so transaction times do not go backwards within a process.
 */
export function wallClockMicros(): bigint {
  const now = BigInt(Math.floor((performance.timeOrigin + performance.now()) * 1000));
  if (now > lastIssuedMicros) lastIssuedMicros = now;
  return lastIssuedMicros;
}

/** How many documents a transaction keeps decoded from its reads. */
const MAX_REMEMBERED_READS = 4096;

const ID_EPOCH_MICROS = 1_577_836_800_000_000n; // 2020-01-01T00:00:00Z
const IDS_PER_MICRO = 8192n;

/**
 * Thrown inside an optimistic read (Transaction.beginRead) when its reads
 * turn out not to share one snapshot: the engine runs the query again in a
 * transaction of its own. Never reaches a client.
 */
export class SnapshotMoved extends Error {
  constructor() {
    super('the database changed during an optimistic read');
  }
}

export class Transaction {
  readonly writes: WriteRecord[] = [];
  private idCounter = 0n;
  /**
   * The current version of each document this transaction has read or
   * written (collection oid -> id -> version, null when there is none):
   * a function that checks, reads and then updates a document decodes it
   * once. Values are immutable, so versions are shared.
   */
  private readonly docs = new KnownDocs<StoredDoc>();
  private rememberedReads = 0;
  /** History floors of the collections read so far (collection oid -> µs). */
  private floors: Map<bigint, bigint> | null = null;
  private schemaChanged = false;
  private finished = false;

  private constructor(
    private readonly rawStore: Store,
    readonly cache: SchemaCache,
    readonly writable: boolean,
    /** The transaction's time; null until an optimistic read learns it. */
    private tsValue: bigint | null,
    readonly maintainer: IndexMaintainer | null,
    /** True while a SQLite transaction is open for this one. */
    private open: boolean,
  ) {}

  /**
   * The store, inside this transaction's snapshot: an optimistic read opens
   * a SQLite transaction at the first use (and checks it is the snapshot its
   * earlier reads saw).
   */
  get store(): Store {
    if (!this.open) this.openSnapshot();
    return this.rawStore;
  }

  /** The transaction's time (µs): a write's own, a read's snapshot's last commit. */
  get ts(): bigint {
    if (this.tsValue === null) this.openSnapshot();
    return this.tsValue!;
  }

  /**
   * Starts a read-only transaction optimistically, without a SQLite
   * transaction: a point read (getDoc) runs as one statement that also reads
   * the clock row, so it knows which committed state it saw. Every commit
   * moves the clock, so reads that saw the same clock saw the same state.
   * Anything else opens a SQLite transaction first (`store`), which must
   * still be at that state; if any two reads disagree, or the schema cache
   * the query used is out of date, SnapshotMoved is thrown and the engine
   * runs the query again with `begin`. A point Get thus costs one statement.
   */
  static beginRead(store: Store, cache: SchemaCache, maintainer: IndexMaintainer | null): Transaction {
    return new Transaction(store, cache, false, null, maintainer, false);
  }

  /** Opens the SQLite read transaction of an optimistic read. */
  private openSnapshot(): void {
    if (this.finished) throw new Error('transaction already finished');
    this.rawStore.begin(false);
    this.open = true;
    const meta = this.rawStore.txnMeta();
    this.adopt(meta.lastTs, meta.schemaGen);
  }

  /** Records (or checks) the committed state an optimistic read saw. */
  private adopt(lastTs: bigint, schemaGen: bigint): void {
    if (this.tsValue !== null) {
      if (lastTs !== this.tsValue) throw new SnapshotMoved();
      return;
    }
    const cached = this.cache.currentGeneration;
    // An empty cache served nothing yet; a filled one at another generation may have.
    if (cached !== null && cached !== schemaGen) throw new SnapshotMoved();
    this.cache.sync(schemaGen);
    this.tsValue = lastTs;
  }

  /**
   * Starts a transaction. Write transactions take the write lock first, then
   * their timestamp; read-only ones read at their snapshot's last commit.
   */
  static begin(store: Store, cache: SchemaCache, writable: boolean, maintainer: IndexMaintainer | null): Transaction {
    store.begin(writable);
    try {
      const meta = store.txnMeta();
      cache.sync(meta.schemaGen);
      const last = meta.lastTs;
      let ts = last;
      if (writable) {
        const now = wallClockMicros();
        ts = now > last ? now : last + 1n;
      }
      return new Transaction(store, cache, writable, ts, maintainer, true);
    } catch (err) {
      store.rollback();
      throw err;
    }
  }

  get hasWrites(): boolean {
    return this.writes.length > 0;
  }

  /** Commits; a transaction that wrote nothing is simply ended. Returns the commit timestamp. */
  commit(origin: TransactionOrigin, ledgerWrites: () => string): bigint {
    if (this.finished) throw new Error('transaction already finished');
    if (!this.writable || this.writes.length === 0) {
      const ts = this.ts; // an optimistic read that read nothing learns its time here
      this.finished = true;
      if (this.open) this.rawStore.rollback();
      return ts;
    }
    this.finished = true;
    // NewId may have used more than one microsecond's worth of ids; move the clock past them.
    const used = this.idCounter / IDS_PER_MICRO;
    this.store.setClock(this.ts + used, this.schemaChanged ? this.ts : null);
    this.store.insertLedger({ ts: this.ts, origin: origin.origin, query: origin.query, writes: ledgerWrites() });
    this.store.commit();
    return this.ts;
  }

  /** Commits maintenance work (background index builds): no ledger entry, no new user-visible write. */
  commitMaintenance(): void {
    if (this.finished) throw new Error('transaction already finished');
    this.finished = true;
    this.store.setClock(this.ts, this.schemaChanged ? this.ts : null);
    this.store.commit();
  }

  /** The transaction's time if already known (an optimistic read that read nothing has none). */
  get knownTs(): bigint | null {
    return this.tsValue;
  }

  rollback(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.open) this.rawStore.rollback();
    if (this.schemaChanged) this.cache.clear();
  }

  /** A fresh document id: unique across transactions because it is derived from this one's timestamp. */
  newId(): bigint {
    const id = (this.ts - ID_EPOCH_MICROS) * IDS_PER_MICRO + this.idCounter;
    this.idCounter++;
    return id;
  }

  // --- schema objects -------------------------------------------------------

  getSchema(kind: string, name: string, db = 0n): SchemaDoc | null {
    return this.cache.get(this, db, kind, name);
  }

  getSchemaByOid(oid: bigint): SchemaDoc | null {
    return this.cache.getByOid(this, oid);
  }

  listSchema(kind: string, db = 0n): SchemaDoc[] {
    return this.store.listSchema(db, kind).map((row) => this.cache.get(this, row.db, row.kind, row.name)!);
  }

  createSchema(kind: string, name: string, fields: FObject, db = 0n): SchemaDoc {
    const oid = this.store.allocateOid();
    this.store.insertSchema({ db, kind, name, oid, ts: this.ts, body: encodeFields(fields) }, ACTION_CREATE);
    this.markSchemaChanged();
    this.writes.push({ db, collection: kind, id: name, action: 'create', before: null, after: fields });
    return this.getSchema(kind, name, db)!;
  }

  updateSchema(doc: SchemaDoc, name: string, fields: FObject): SchemaDoc {
    const row = { ...doc.row, name, ts: this.ts, body: encodeFields(fields) };
    this.store.updateSchema(row, ACTION_UPDATE);
    this.markSchemaChanged();
    this.writes.push({ db: row.db, collection: row.kind, id: name, action: 'update', before: doc.fields, after: fields });
    return this.getSchema(row.kind, name, row.db)!;
  }

  deleteSchema(doc: SchemaDoc): void {
    this.store.deleteSchema(doc.row, this.ts);
    this.markSchemaChanged();
    this.writes.push({ db: doc.row.db, collection: doc.row.kind, id: doc.row.name, action: 'delete', before: doc.fields, after: null });
  }

  markSchemaChanged(): void {
    this.schemaChanged = true;
    this.docs.clear();
    this.cache.clear();
    this.floors = null;
  }

  /** The oldest time this transaction may read a collection's documents at (see retention.ts). */
  historyFloor(coll: SchemaDoc): bigint {
    this.floors ??= new Map();
    let floor = this.floors.get(coll.row.oid);
    if (floor === undefined) {
      floor = historyFloor(historyDays(coll.fields.history_days), floorMark(this.store, coll.row.oid), this.ts);
      this.floors.set(coll.row.oid, floor);
    }
    return floor;
  }

  /**
   * Refuses a read at `ts` below the history floor of any of `colls`
   * (`bad request`, naming the highest floor it is below).
   */
  checkReadTime(colls: Iterable<SchemaDoc>, ts: bigint): void {
    let floor: bigint | null = null;
    for (const coll of colls) {
      const f = this.historyFloor(coll);
      if (ts < f && (floor === null || f > floor)) floor = f;
    }
    if (floor !== null) throw belowHistoryFloor(ts, floor);
  }

  // --- documents -------------------------------------------------------------

  getDoc(coll: SchemaDoc, id: bigint): StoredDoc | null {
    const known = this.docs.get(coll.row.oid, id);
    if (known !== undefined) return known;
    const doc = this.readDoc(coll, id);
    this.remember(coll, id, doc);
    return doc;
  }

  /** Forgets what this transaction knows of a document (after its versions were edited directly). */
  forgetDoc(coll: SchemaDoc, id: bigint): void {
    this.docs.delete(coll.row.oid, id);
  }

  /**
   * Keeps a document's current version. Reads are kept up to
   * MAX_REMEMBERED_READS documents (a query that scans many documents does
   * not hold them all); a write is always kept, as it supersedes any read.
   */
  private remember(coll: SchemaDoc, id: bigint, doc: StoredDoc | null, written = false): void {
    if (!written && this.rememberedReads >= MAX_REMEMBERED_READS) return;
    if (!written) this.rememberedReads++;
    this.docs.set(coll.row.oid, id, doc);
  }

  private readDoc(coll: SchemaDoc, id: bigint): StoredDoc | null {
    let ts: bigint;
    let body: string | null;
    const read = this.open ? undefined : this.rawStore.getDocWithClock(coll.row.oid, id);
    if (read !== undefined) {
      this.adopt(read.lastTs, read.schemaGen);
      ts = read.ts;
      body = read.body;
    } else {
      const row = this.store.getDoc(coll.row.oid, id);
      if (row === undefined) return null;
      ts = row.ts;
      body = row.body;
    }
    return body === null ? null : this.rawStore.decodedDocs.version(coll.row.oid, id, ts, body);
  }

  /** The document as it was at `ts` (null if it did not exist then); `ts` below the history floor is refused. */
  getDocAt(coll: SchemaDoc, id: bigint, ts: bigint): StoredDoc | null {
    this.checkReadTime([coll], ts);
    const row = this.store.getDocAt(coll.row.oid, id, ts);
    if (row === undefined || row.action === BigInt(ACTION_DELETE) || row.body === null) return null;
    return { ts: row.ts, fields: decodeFields(row.body) };
  }

  putDoc(coll: SchemaDoc, id: bigint, before: StoredDoc | null, fields: FObject): void {
    const action = before === null ? ACTION_CREATE : ACTION_UPDATE;
    const body = encodeFields(fields);
    // Every version is kept (history_days 0 too: the last 15 minutes stay readable); trimming removes old ones.
    this.store.putDoc(coll.row.oid, id, this.ts, body, action);
    this.remember(coll, id, { ts: this.ts, fields, body }, true);
    this.maintainer?.onWrite(this, coll, id, before, fields);
    const record: WriteRecord = { db: coll.row.db, collection: coll.row.name, id: id.toString(), action: before === null ? 'create' : 'update', before: before?.fields ?? null, after: fields, afterBody: body };
    if (before?.body !== undefined) record.beforeBody = before.body;
    this.writes.push(record);
  }

  deleteDoc(coll: SchemaDoc, id: bigint, before: StoredDoc): void {
    this.store.deleteDoc(coll.row.oid, id, this.ts);
    this.remember(coll, id, null, true);
    this.maintainer?.onWrite(this, coll, id, before, null);
    const record: WriteRecord = { db: coll.row.db, collection: coll.row.name, id: id.toString(), action: 'delete', before: before.fields, after: null };
    if (before.body !== undefined) record.beforeBody = before.body;
    this.writes.push(record);
  }

  dropCollectionData(coll: SchemaDoc): void {
    this.maintainer?.onCollectionDropped(this, coll);
    this.store.deleteAllDocs(coll.row.oid);
    this.docs.deleteCollection(coll.row.oid);
  }
}

export { decodeFields };
