/**
 * The engine: one FQL query = one transaction.
 *
 * `query()` compiles the wire expression, opens a transaction (a write
 * transaction when the expression may write), evaluates it, and commits, or
 * rolls everything back on any error. Everything runs synchronously between
 * BEGIN and COMMIT; a transaction is never held across an await.
 */
import type { Json } from '../../shared/fql/json.js';
import { FaunaError, toFaunaError } from './errors.js';
import { compile, compileSized, DEFAULT_LIMITS, EMPTY_ENV, EvalContext, type Limits } from './eval/index.js';
import type { Compiled } from './eval/types.js';
import { createIndexMaintainer } from './engine-hooks.js';
import { buildStep, failBuild, pendingBuilds } from './eval/indexes/build.js';
import { trimHistory } from './storage/retention.js';
import { ledgerWritesJson } from './ledger-format.js';
import { openDatabase, type OpenOptions, type SqliteDb } from './storage/open.js';
import { SchemaCache } from './storage/schema-cache.js';
import { Store } from './storage/store.js';
import { RecentCache } from './recent-cache.js';
import { SnapshotMoved, Transaction, type IndexMaintainer, type WriteRecord } from './storage/transaction.js';
import { WRITE, type Value } from './values/value.js';
import { toWire } from './wire/encode.js';

export interface QueryOptions {
  /** Where the query came from, recorded in the ledger ('cli', 'window:2', 'http'). */
  origin?: string;
  /** What ran, for the ledger (the query text, or the function call). */
  summary?: string;
  /** Overrides of the default limits. */
  limits?: Partial<Limits>;
  /**
   * The expression object is not used again (parsed from text or a request):
   * its compiled form is not kept. Callers that run the same object many
   * times leave this unset, and it is compiled once.
   */
  once?: boolean;
}

/** A successful query: the value, and its wire form computed on first use. */
/** The largest expression (in nodes) whose compiled form the engine keeps for reuse. */
export const MAX_CACHED_NODES = 500;

export class QueryOk {
  readonly ok = true as const;
  private wire: Json | undefined;
  constructor(
    readonly value: Value,
    readonly ts: bigint,
    readonly writes: WriteRecord[],
  ) {}

  get resource(): Json {
    if (this.wire === undefined) this.wire = toWire(this.value);
    return this.wire;
  }
}

/** What a caller of queryGroup may follow: each query as it starts, and the queries a group commit makes durable. */
export interface GroupHooks {
  onStart?(index: number): void;
  onCommit?(indexes: number[]): void;
}

export type QueryResult = QueryOk | { ok: false; error: FaunaError; ts: bigint | null };

export interface EngineOptions extends OpenOptions {
  limits?: Partial<Limits>;
}

export class Engine {
  readonly store: Store;
  readonly schemaCache = new SchemaCache();
  private readonly compiledExprs = new RecentCache<object, Compiled>(256);
  private readonly limits: Limits;
  private readonly maintainer: IndexMaintainer | null;

  private constructor(
    readonly db: SqliteDb,
    limits: Partial<Limits>,
  ) {
    this.store = new Store(db);
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.maintainer = createIndexMaintainer();
  }

  static open(file: string, options: EngineOptions = {}): Engine {
    return new Engine(openDatabase(file, options), options.limits ?? {});
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /**
   * Runs one batch of a pending background index build in its own short
   * write transaction. Returns true when there may be more to do.
   */
  backgroundStep(batch = 2000): boolean {
    try {
      return this.maintenance((txn) => buildStep(txn, batch));
    } catch (err) {
      // A step that fails on the documents themselves (values a unique index cannot hold twice,
      // in a build begun before unique indexes were built at once) would fail the same way
      // every time: the build stops there.
      if (!(err instanceof FaunaError)) throw err;
      this.maintenance((txn) => failBuild(txn, `${err.code}: ${err.description}`));
      return true;
    }
  }

  /**
   * Removes up to `batch` versions older than their collection's history_days,
   * in one short transaction of its own (committed whenever it removed
   * anything). Returns true if more may remain (or the file was busy).
   */
  trimHistoryStep(batch = 2000): boolean {
    let more = true;
    this.maintenance((txn) => {
      const removed = trimHistory(this.store, txn.ts, batch);
      more = removed >= batch;
      return removed > 0;
    });
    return more;
  }

  private maintenance(work: (txn: Transaction) => boolean): boolean {
    let txn: Transaction;
    try {
      txn = Transaction.begin(this.store, this.schemaCache, true, this.maintainer);
    } catch {
      return true; // the file is busy: try again later
    }
    try {
      const did = work(txn);
      if (did) txn.commitMaintenance();
      else txn.rollback();
      return did;
    } catch (err) {
      txn.rollback();
      throw err;
    }
  }

  /** Index builds under way in the background, or stopped (failed: why), by index name. */
  backgroundBuilds(): { index: string; done: number; total: number; failed: string | null }[] {
    const txn = Transaction.begin(this.store, this.schemaCache, false, this.maintainer);
    try {
      return pendingBuilds(txn).flatMap((b) => {
        const doc = txn.getSchemaByOid(b.oid);
        return doc === null ? [] : [{ index: doc.row.name, done: b.done, total: b.total, failed: b.failed }];
      });
    } finally {
      txn.rollback();
    }
  }

  /**
   * Runs background work until none is left (used before a short-lived
   * process exits). Large batches: nothing else waits on this engine, and an
   * index build inserts each batch's entries across the whole index, so
   * fewer batches rewrite fewer pages.
   */
  finishBackgroundWork(): void {
    while (this.backgroundStep(1_000_000)) {
      /* keep going */
    }
  }

  /**
   * Compiles an expression once: a recently run expression object is not
   * compiled again. Large expressions (bulk loads) are not kept: a kept
   * compiled form keeps its expression, and a few hundred bulk loads would
   * hold every document they carried.
   */
  private compileCached(expr: Json): Compiled {
    if (typeof expr !== 'object' || expr === null) return compile(expr);
    let compiled = this.compiledExprs.get(expr);
    if (compiled === undefined) {
      const sized = compileSized(expr);
      compiled = sized.compiled;
      if (sized.nodes <= MAX_CACHED_NODES) this.compiledExprs.set(expr, compiled);
    }
    return compiled;
  }

  /** Runs one wire-format expression as one transaction. */
  query(expr: Json, options: QueryOptions = NO_OPTIONS): QueryResult {
    const compiled = this.compileQuery(expr, options);
    return compiled instanceof CompileFailure ? compiled.result : this.execute(compiled, options);
  }

  private compileQuery(expr: Json, options: QueryOptions): Compiled | CompileFailure {
    try {
      return options.once === true ? compile(expr) : this.compileCached(expr);
    } catch (err) {
      return new CompileFailure({ ok: false, error: toFaunaError(err), ts: null });
    }
  }

  /** Runs a compiled query as one transaction (a read-only one optimistically first). */
  private execute(compiled: Compiled, options: QueryOptions): QueryResult {
    const writable = compiled.effect === WRITE;
    const limits = options.limits ? { ...this.limits, ...options.limits } : this.limits;
    // A read-only query first runs optimistically (see Transaction.beginRead), and again in a
    // transaction of its own in the rare case its reads did not share one snapshot.
    if (!writable) {
      const result = this.run(compiled, Transaction.beginRead(this.store, this.schemaCache, this.maintainer), limits, options);
      if (result !== SNAPSHOT_MOVED) return result;
    }
    let txn: Transaction;
    try {
      txn = Transaction.begin(this.store, this.schemaCache, writable, this.maintainer);
    } catch (err) {
      return { ok: false, error: busyOrFault(err), ts: null };
    }
    const result = this.run(compiled, txn, limits, options);
    return result === SNAPSHOT_MOVED ? { ok: false, error: toFaunaError(new Error('snapshot moved in a transaction')), ts: null } : result;
  }

  /**
   * Runs queries one after another, as `query` would, with group commit:
   * consecutive queries that write share one SQLite transaction, each its
   * own savepoint (its own time, ledger entry, and rollback on error), so
   * the group is synced to disk once. A result is final only once the group
   * committed; if that commit fails, every query of the group fails with
   * the error and none of their writes remains. Queries that only read run
   * in their turn, outside any group, and see every write queued before them.
   */
  queryGroup(items: readonly { expr: Json; options?: QueryOptions }[], hooks: GroupHooks = {}): QueryResult[] {
    const onStart = hooks.onStart;
    const results = new Array<QueryResult>(items.length);
    const optionsOf = (i: number): QueryOptions => items[i]!.options ?? NO_OPTIONS;
    const compiled = items.map((item, i) => this.compileQuery(item.expr, optionsOf(i)));
    const writes: number[] = [];
    const flush = (): void => {
      if (writes.length === 1) {
        onStart?.(writes[0]!);
        results[writes[0]!] = this.execute(compiled[writes[0]!] as Compiled, optionsOf(writes[0]!));
      } else if (writes.length > 1) {
        this.runGroup(writes, (i) => compiled[i] as Compiled, optionsOf, results, hooks);
      }
      writes.length = 0;
    };
    for (let i = 0; i < items.length; i++) {
      const c = compiled[i]!;
      if (c instanceof CompileFailure) {
        results[i] = c.result;
      } else if (c.effect === WRITE) {
        writes.push(i);
      } else {
        flush();
        onStart?.(i);
        results[i] = this.execute(c, optionsOf(i));
      }
    }
    flush();
    return results;
  }

  private runGroup(indexes: readonly number[], compiledOf: (i: number) => Compiled, optionsOf: (i: number) => QueryOptions, results: QueryResult[], hooks: GroupHooks): void {
    try {
      this.store.beginGroup();
    } catch (err) {
      for (const i of indexes) results[i] = { ok: false, error: busyOrFault(err), ts: null };
      return;
    }
    try {
      for (const i of indexes) {
        hooks.onStart?.(i);
        const options = optionsOf(i);
        const limits = options.limits ? { ...this.limits, ...options.limits } : this.limits;
        let txn: Transaction;
        try {
          txn = Transaction.begin(this.store, this.schemaCache, true, this.maintainer);
        } catch (err) {
          results[i] = { ok: false, error: busyOrFault(err), ts: null };
          continue;
        }
        const result = this.run(compiledOf(i), txn, limits, options);
        results[i] = result === SNAPSHOT_MOVED ? { ok: false, error: toFaunaError(new Error('snapshot moved in a transaction')), ts: null } : result;
      }
      hooks.onCommit?.(indexes.filter((i) => results[i]!.ok));
      this.store.commitGroup();
    } catch (err) {
      // Nothing of the group was committed: every query of it failed.
      this.store.rollbackGroup();
      this.schemaCache.clear();
      const error = busyOrFault(err);
      for (const i of indexes) results[i] = { ok: false, error, ts: null };
    }
  }

  /** Evaluates a compiled query in a transaction and commits it, or rolls it back on any error. */
  private run(compiled: Compiled, txn: Transaction, limits: Limits, options: QueryOptions): QueryResult | typeof SNAPSHOT_MOVED {
    const ctx = new EvalContext(txn, limits);
    try {
      const value = compiled.run(ctx, EMPTY_ENV);
      const ts = txn.commit({ origin: options.origin ?? 'engine', query: options.summary ?? '' }, () => ledgerWritesJson(txn.writes));
      return new QueryOk(value, ts, txn.writes);
    } catch (err) {
      if (err instanceof SnapshotMoved) {
        txn.rollback();
        return SNAPSHOT_MOVED;
      }
      // An error is an answer too: an optimistic read that failed before reading the file learns
      // its snapshot now, which checks the schema it used was current.
      let ts: bigint | null = txn.knownTs;
      if (ts === null) {
        try {
          ts = txn.ts;
        } catch (late) {
          txn.rollback();
          if (late instanceof SnapshotMoved) return SNAPSHOT_MOVED;
          ts = null;
        }
      }
      txn.rollback();
      return { ok: false, error: busyOrFault(err), ts };
    }
  }
}

const SNAPSHOT_MOVED = Symbol('snapshot moved');

/** A query that did not compile, with the error result it gives. */
class CompileFailure {
  constructor(readonly result: QueryResult) {}
}
const NO_OPTIONS: QueryOptions = Object.freeze({});

function busyOrFault(err: unknown): FaunaError {
  const code = (err as { code?: string }).code;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT') {
    return new FaunaError('contended transaction', 'Transaction was aborted due to detection of concurrent modification.', undefined);
  }
  return toFaunaError(err);
}
