/**
 * The engine worker: owns the database connection, runs requests one at a
 * time in arrival order (each query start to finish, synchronously, as its
 * own transaction; queries that arrive together commit as a group, one sync
 * for all), and publishes a change event after every
 * commit — its own, and those other processes make on the same file, which
 * it notices through SQLite's data_version and the ledger.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { parseJson, stringifyJson, newJsonObject, type Json } from '../../shared/fql/json.js';
import { Engine, type QueryOptions } from '../engine/engine.js';
import { FaunaError } from '../engine/errors.js';
import { ledgerChanges, ledgerSince, readLedger } from '../engine/ledger.js';
import { RecentCache } from '../engine/recent-cache.js';
import { runText } from '../engine/text-query.js';
import { verifyDatabase } from '../engine/verify.js';
import { toWire } from '../engine/wire/encode.js';
import { hasSampleStore, provisionSampleStore } from '../sample/sample-store.js';
import type { WorkerConfig, WorkerReply, WorkerRequest } from './protocol.js';
import { runInSteps, StepPolicy } from './step-policy.js';
import { throttled } from './throttle.js';

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

/** Publishes every commit since the last one published (ours or another process's); returns how many. */
function publishCommits(): number {
  const rows = ledgerSince(engine.store, lastPublished);
  for (const row of rows) {
    lastPublished = row.ts;
    send({ type: 'changes', event: { ts: row.ts.toString(), origin: row.origin, changes: ledgerChanges(row.writes) } });
  }
  return rows.length;
}

/**
 * Announces maintenance commits, which have no ledger row (an index build's
 * steps, the one that makes the index active, history trimming): an event
 * without changes, on which every view refreshes.
 */
function publishMaintenance(origin: string): void {
  send({ type: 'changes', event: { ts: engine.store.lastTs().toString(), origin, changes: [] } });
}

/**
 * Another process's maintenance (each step of a background build commits),
 * announced at most once a second, and once more after the last, so that
 * views refresh without refreshing at every step.
 */
const announceOthersMaintenance = throttled(() => publishMaintenance('maintenance'), 1000);

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
      const first = lastDataVersion === -1;
      lastDataVersion = version;
      // Another process committed: its writes are in the ledger; without a ledger row it was maintenance.
      if (publishCommits() === 0 && !first) announceOthersMaintenance();
    }
  } catch {
    // The next poll tries again; a closed database ends the worker anyway.
  }
}

const isWriter = config.role === 'writer';
if (isWriter) setInterval(pollOtherProcesses, config.pollMs).unref();

// Background work runs in batches between requests (each its own short write
// transaction, with queued requests served in between; step-policy.ts sizes
// them): index builds as soon as they are pending, history trimming once a
// minute.

const stepPolicy = new StepPolicy();

/** A background task run in steps; starting it again while it runs does nothing. */
function backgroundTask(step: (batch: number) => boolean, done: (worked: boolean) => void = () => {}): () => void {
  let running = false;
  return () => {
    if (running) return;
    running = true;
    runInSteps(step, { policy: stepPolicy, requestsQueued: () => drainScheduled }, (worked) => {
      running = false;
      done(worked);
    });
  };
}

const scheduleBuilds = backgroundTask(
  (batch) => engine.backgroundStep(batch),
  (worked) => {
    publishCommits();
    if (worked) publishMaintenance('index build');
  },
);
const scheduleTrimming = backgroundTask((batch) => engine.trimHistoryStep(batch));
if (isWriter) setInterval(scheduleBuilds, 1000).unref();
if (isWriter) setInterval(scheduleTrimming, 60_000).unref();

/**
 * Recently received query texts, parsed: a client sending the same query
 * again reuses the expression object, and with it the compiled form the
 * engine keeps for it.
 */
const recentRequests = new RecentCache<string, Json>(256);

type QueryRequest = Extract<WorkerRequest, { type: 'query' }>;

/**
 * Runs queued queries in arrival order with group commit (Engine.queryGroup):
 * consecutive writes share one sync to disk, each still its own transaction,
 * and every reply is sent only once its transaction is durable.
 */
function handleQueries(reqs: readonly QueryRequest[], announce: boolean): WorkerReply[] {
  const replies = new Array<WorkerReply>(reqs.length);
  const items: { expr: Json; options: QueryOptions }[] = [];
  const itemOf: number[] = [];
  reqs.forEach((req, i) => {
    try {
      const expr = recentRequests.getOrMake(req.expr, () => parseJson(req.expr));
      items.push({ expr, options: { origin: req.origin, summary: req.summary ?? req.expr.slice(0, 2000), once: !recentRequests.keeps(req.expr), ...(req.timeoutMs ? { limits: { timeoutMs: req.timeoutMs } } : {}) } });
      itemOf.push(i);
    } catch {
      replies[i] = { type: 'result', id: req.id, ok: false, errors: [new FaunaError('invalid expression', 'Request body is not valid JSON.', []).toJSON()], ts: null };
    }
  });
  const idOf = (k: number): number => reqs[itemOf[k]!]!.id;
  const results = engine.queryGroup(
    items,
    announce ? { onStart: (k) => send({ type: 'running', id: idOf(k) }), onCommit: (ks) => send({ type: 'committing', ids: ks.map(idOf) }) } : {},
  );
  let wrote = false;
  results.forEach((r, k) => {
    const req = reqs[itemOf[k]!]!;
    if (r.ok) {
      wrote ||= r.writes.length > 0;
      replies[itemOf[k]!] = { type: 'result', id: req.id, ok: true, resource: stringifyJson(r.resource), ts: r.ts.toString() };
    } else {
      replies[itemOf[k]!] = { type: 'result', id: req.id, ok: false, errors: [r.error.toJSON()], ts: r.ts === null ? null : r.ts.toString() };
    }
  });
  if (wrote && isWriter) {
    schedulePublish();
    scheduleBuilds();
  }
  return replies;
}

function handle(req: Exclude<WorkerRequest, QueryRequest>): WorkerReply {
  switch (req.type) {
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

function internalError(id: number, err: unknown): WorkerReply {
  const message = err instanceof Error ? err.message : String(err);
  return { type: 'result', id, ok: false, errors: [{ position: [], code: 'internal server error', description: message }], ts: null };
}

/** The most queries one group commit takes (bounds how long a reply waits for the group). */
const MAX_GROUP = 32;

/**
 * Requests are queued as they arrive and run on the next turn of the event
 * loop, in order: the queries that arrived together run as groups.
 */
const pending: WorkerRequest[] = [];
let drainScheduled = false;

function drain(): void {
  drainScheduled = false;
  // Messages already waiting on the port join this batch (the port hands them out one event at a time).
  for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) pending.push(m.message as WorkerRequest);
  const batch = pending.splice(0, pending.length);
  // With several requests in hand, say which one runs: if the worker dies or sticks, the host then
  // fails that one and sends the others (not yet answered, nothing of them committed) to a new worker.
  const announce = batch.length > 1;
  for (let i = 0; i < batch.length; ) {
    const req = batch[i]!;
    if (req.type !== 'query') {
      if (announce) send({ type: 'running', id: req.id });
      let reply: WorkerReply;
      try {
        reply = handle(req);
      } catch (err) {
        reply = internalError(req.id, err);
      }
      send(reply);
      i++;
      continue;
    }
    let end = i + 1;
    while (end < batch.length && end - i < MAX_GROUP && batch[end]!.type === 'query') end++;
    const group = batch.slice(i, end) as QueryRequest[];
    let replies: WorkerReply[];
    try {
      replies = handleQueries(group, announce);
    } catch (err) {
      replies = group.map((r) => internalError(r.id, err));
    }
    for (const reply of replies) send(reply);
    i = end;
  }
}

port.on('message', (req: WorkerRequest) => {
  stepPolicy.noteRequest();
  pending.push(req);
  if (!drainScheduled) {
    drainScheduled = true;
    setImmediate(drain);
  }
});

send({ type: 'ready', lastTs: lastPublished.toString() });
