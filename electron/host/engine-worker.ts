/**
 * The engine worker: owns the database connection, runs requests one at a
 * time in arrival order (each query start to finish inside one SQLite
 * transaction, synchronously), and publishes a change event after every
 * commit — its own, and those other processes make on the same file, which
 * it notices through SQLite's data_version and the ledger.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseJson, stringifyJson, newJsonObject, type Json } from '../../shared/fql/json.js';
import { Engine } from '../engine/engine.js';
import { FaunaError } from '../engine/errors.js';
import { ledgerChanges, ledgerSince, readLedger } from '../engine/ledger.js';
import { RecentCache } from '../engine/recent-cache.js';
import { runText } from '../engine/text-query.js';
import { verifyDatabase } from '../engine/verify.js';
import { toWire } from '../engine/wire/encode.js';
import { hasSampleStore, provisionSampleStore } from '../sample/sample-store.js';
import type { WorkerConfig, WorkerReply, WorkerRequest } from './protocol.js';

const port = parentPort!;
const config = workerData as WorkerConfig;

function send(msg: WorkerReply): void {
  port.postMessage(msg);
}

let engine: Engine;
try {
  engine = Engine.open(config.file, config.nativeBinding ? { nativeBinding: config.nativeBinding } : {});
  if (config.role === 'writer' && config.sample && !hasSampleStore(engine)) {
    const r = provisionSampleStore(engine, 'app');
    if (!r.ok && !hasSampleStore(engine)) throw new Error(`could not provision the sample store: ${r.error.description}`);
  }
} catch (err) {
  send({ type: 'fatal', message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
}

let lastPublished = engine.store.lastTs();
let lastDataVersion = -1;

/** Publishes every commit since the last one published (ours or another process's). */
function publishCommits(): void {
  const rows = ledgerSince(engine.store, lastPublished);
  for (const row of rows) {
    lastPublished = row.ts;
    send({ type: 'changes', event: { ts: row.ts.toString(), origin: row.origin, changes: ledgerChanges(row.writes) } });
  }
}

/**
 * Publishes commits once the requests already queued have run: a burst of
 * writes costs one read of the ledger, and replies are not held up by it.
 */
let publishScheduled = false;
function schedulePublish(): void {
  if (publishScheduled) return;
  publishScheduled = true;
  setImmediate(() => {
    publishScheduled = false;
    try {
      publishCommits();
    } catch {
      // The next commit or poll publishes what this one could not.
    }
  });
}

function pollOtherProcesses(): void {
  try {
    const version = Number(engine.db.pragma('data_version', { simple: true }));
    if (version !== lastDataVersion) {
      lastDataVersion = version;
      publishCommits();
    }
  } catch {
    // The next poll tries again; a closed database ends the worker anyway.
  }
}

const isWriter = config.role === 'writer';
if (isWriter) setInterval(pollOtherProcesses, config.pollMs).unref();

// Background work runs in batches between requests (each its own short write
// transaction, with queued requests served in between): index builds as soon
// as they are pending, history trimming once a minute.

/** A batch size that keeps each step near STEP_MS: larger when steps are quick, smaller when slow. */
const STEP_MS = 40;
function adapt(batch: number, elapsedMs: number): number {
  if (elapsedMs < STEP_MS / 2) return Math.min(batch * 2, 200_000);
  if (elapsedMs > STEP_MS * 2) return Math.max(Math.floor(batch / 2), 500);
  return batch;
}

/** Runs `step(batch)` repeatedly, one step per turn of the event loop, until it reports no more. */
function runInSteps(step: (batch: number) => boolean, done: () => void): void {
  let batch = 2000;
  const next = (): void => {
    let more = false;
    const started = performance.now();
    try {
      more = step(batch);
    } catch {
      more = false; // retried on the next schedule
    }
    batch = adapt(batch, performance.now() - started);
    if (more) setImmediate(next);
    else done();
  };
  setImmediate(next);
}

/** A background task run in steps; starting it again while it runs does nothing. */
function backgroundTask(step: (batch: number) => boolean, done: () => void = () => {}): () => void {
  let running = false;
  return () => {
    if (running) return;
    running = true;
    runInSteps(step, () => {
      running = false;
      done();
    });
  };
}

const scheduleBuilds = backgroundTask((batch) => engine.backgroundStep(batch), publishCommits);
const scheduleTrimming = backgroundTask((batch) => engine.trimHistoryStep(batch));
if (isWriter) setInterval(scheduleBuilds, 1000).unref();
if (isWriter) setInterval(scheduleTrimming, 60_000).unref();

/**
 * Recently received query texts, parsed: a client sending the same query
 * again reuses the expression object, and with it the compiled form the
 * engine keeps for it.
 */
const recentRequests = new RecentCache<Json>(256);

function handle(req: WorkerRequest): WorkerReply {
  switch (req.type) {
    case 'query': {
      let expr: Json;
      try {
        expr = recentRequests.getOrMake(req.expr, () => parseJson(req.expr));
      } catch {
        return { type: 'result', id: req.id, ok: false, errors: [new FaunaError('invalid expression', 'Request body is not valid JSON.', []).toJSON()], ts: null };
      }
      const r = engine.query(expr, { origin: req.origin, summary: req.summary ?? req.expr.slice(0, 2000), once: !recentRequests.keeps(req.expr), ...(req.timeoutMs ? { limits: { timeoutMs: req.timeoutMs } } : {}) });
      if (r.ok) {
        if (r.writes.length > 0 && isWriter) {
          schedulePublish();
          scheduleBuilds();
        }
        return { type: 'result', id: req.id, ok: true, resource: stringifyJson(r.resource), ts: r.ts.toString() };
      }
      return { type: 'result', id: req.id, ok: false, errors: [r.error.toJSON()], ts: r.ts === null ? null : r.ts.toString() };
    }
    case 'text': {
      const results = runText(engine, req.text, { origin: req.origin, ...(req.timeoutMs ? { limits: { timeoutMs: req.timeoutMs } } : {}) });
      if (isWriter) {
        schedulePublish();
        scheduleBuilds();
      }
      return {
        type: 'statements',
        id: req.id,
        results: results.map((r) =>
          r.ok
            ? { ok: true, text: r.text, resource: stringifyJson(r.resource), ts: r.ts.toString() }
            : { ok: false, text: r.text, error: r.error, ts: r.ts === null ? null : r.ts.toString(), ...(r.location ? { location: r.location } : {}) },
        ),
      };
    }
    case 'ledger': {
      const records = readLedger(engine.store, {
        beforeTs: req.beforeTs === null ? null : BigInt(req.beforeTs),
        limit: req.limit,
        ...(req.collection !== undefined ? { collection: req.collection } : {}),
        ...(req.documentId !== undefined ? { documentId: req.documentId } : {}),
      });
      return {
        type: 'ledger',
        id: req.id,
        entries: records.map((rec) => ({
          ts: rec.ts.toString(),
          origin: rec.origin,
          query: rec.query,
          writes: stringifyJson(
            rec.writes.map((w) => {
              const o = newJsonObject();
              o.collection = w.collection;
              o.id = w.id;
              o.action = w.action;
              o.before = w.before === null ? null : toWire(w.before);
              o.after = w.after === null ? null : toWire(w.after);
              return o;
            }),
          ),
        })),
      };
    }
    case 'check': {
      const report = verifyDatabase(engine);
      return { type: 'check', id: req.id, ok: report.ok, lines: [`integrity_check: ${report.integrity.join('; ')}`, ...report.problems] };
    }
    case 'provision-sample': {
      const r = provisionSampleStore(engine, 'app');
      publishCommits();
      return r.ok
        ? { type: 'result', id: req.id, ok: true, resource: stringifyJson(r.resource), ts: r.ts.toString() }
        : { type: 'result', id: req.id, ok: false, errors: [r.error.toJSON()], ts: null };
    }
  }
}

port.on('message', (req: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = handle(req);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    reply = { type: 'result', id: req.id, ok: false, errors: [{ position: [], code: 'internal server error', description: message }], ts: null };
  }
  send(reply);
});

send({ type: 'ready', lastTs: lastPublished.toString() });
