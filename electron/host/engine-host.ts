/**
 * The engine host: runs the engine in a worker thread so no window or client
 * ever waits on the database in its own thread. Requests queue in arrival
 * order; each reply resolves its caller. A worker that crashes or hangs past
 * its hard deadline is replaced; the request that was running is failed with
 * a clear error and the requests queued behind it run on the new worker.
 */
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { parseJson, stringifyJson, type Json } from '../../shared/fql/json.js';
import type { FaunaErrorJson } from '../engine/errors.js';
import type { ChangeEvent, LedgerEntry, StatementOutcome, WorkerConfig, WorkerReply, WorkerRequest } from './protocol.js';

export interface HostOptions {
  file: string;
  /** Provision the sample store into a new file. */
  sample?: boolean;
  /** How often to look for commits made by other processes (ms). */
  pollMs?: number;
  /** A query's time budget inside the engine (ms). */
  queryTimeoutMs?: number;
  /** Extra time after the budget before the worker is replaced (ms). */
  hardDeadlineGraceMs?: number;
  nativeBinding?: string;
}

export type QueryReply = { ok: true; resource: Json; ts: bigint } | { ok: false; errors: FaunaErrorJson[]; ts: bigint | null };

export interface TextStatement {
  ok: boolean;
  text: string;
  resource?: Json;
  error?: FaunaErrorJson;
  location?: { line: number; column: number };
  ts: bigint | null;
}

type Pending = { req: WorkerRequest; resolve: (reply: WorkerReply) => void; reject: (err: Error) => void; sentAt: number };
type RequestBody = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** The worker's entry: the compiled module, or (running from source) a tsx bootstrap and the .ts module. */
function workerEntry(): { path: string; argv: string[] } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    return { path: fileURLToPath(new URL('../../scripts/tsx-worker.mjs', here)), argv: [new URL('./engine-worker.ts', here).href] };
  }
  return { path: fileURLToPath(new URL('./engine-worker.js', here)), argv: [] };
}

export class EngineHost {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(e: ChangeEvent) => void>();
  private closed = false;
  private restarts = 0;
  private watchdog: NodeJS.Timeout | null = null;
  private readyPromise: Promise<void> = Promise.resolve();

  private constructor(private readonly options: Required<Omit<HostOptions, 'nativeBinding'>> & { nativeBinding?: string }) {}

  static async start(options: HostOptions): Promise<EngineHost> {
    const host = new EngineHost({
      file: options.file,
      sample: options.sample ?? false,
      pollMs: options.pollMs ?? 100,
      queryTimeoutMs: options.queryTimeoutMs ?? 30_000,
      hardDeadlineGraceMs: options.hardDeadlineGraceMs ?? 5_000,
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    });
    await host.spawn();
    host.watchdog = setInterval(() => host.checkDeadline(), 250);
    host.watchdog.unref();
    return host;
  }

  /** How many times the worker has been replaced. */
  get restartCount(): number {
    return this.restarts;
  }

  private spawn(): Promise<void> {
    const { path, argv } = workerEntry();
    const config: WorkerConfig = { file: this.options.file, sample: this.options.sample, pollMs: this.options.pollMs, ...(this.options.nativeBinding ? { nativeBinding: this.options.nativeBinding } : {}) };
    const worker = new Worker(path, { workerData: config, argv });
    this.worker = worker;
    this.readyPromise = new Promise<void>((resolve, reject) => {
      const onMessage = (msg: WorkerReply): void => {
        if (msg.type === 'ready') {
          worker.off('message', onMessage);
          resolve();
        } else if (msg.type === 'fatal') {
          worker.off('message', onMessage);
          reject(new Error(msg.message));
        }
      };
      worker.on('message', onMessage);
      worker.once('exit', (code) => reject(new Error(`The engine worker exited during start-up (code ${code}).`)));
      worker.once('error', (err) => reject(err));
    });
    worker.on('message', (msg: WorkerReply) => this.onReply(msg));
    worker.on('error', () => {
      /* followed by 'exit', which handles it */
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.onWorkerLost('The engine stopped unexpectedly; the request may not have completed.');
    });
    return this.readyPromise;
  }

  private onReply(msg: WorkerReply): void {
    if (msg.type === 'changes') {
      for (const l of this.listeners) l(msg.event);
      return;
    }
    if (msg.type === 'ready' || msg.type === 'fatal') return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    p.resolve(msg);
  }

  /** Replaces the worker: the oldest request fails, the rest are sent again. */
  private onWorkerLost(reason: string, code = 'internal server error'): void {
    if (this.closed) return;
    this.worker = null;
    this.restarts++;
    const queued = [...this.pending.values()].sort((a, b) => a.req.id - b.req.id);
    const running = queued.shift();
    if (running) {
      this.pending.delete(running.req.id);
      running.resolve({ type: 'result', id: running.req.id, ok: false, errors: [{ position: [], code, description: reason }], ts: null });
    }
    this.spawn().then(
      () => {
        for (const p of queued) {
          p.sentAt = Date.now();
          this.worker?.postMessage(p.req);
        }
      },
      (err: Error) => {
        for (const p of queued) p.reject(err);
        this.pending.clear();
      },
    );
  }

  private checkDeadline(): void {
    const oldest = [...this.pending.values()].sort((a, b) => a.req.id - b.req.id)[0];
    if (!oldest || !this.worker) return;
    const limit = ('timeoutMs' in oldest.req && oldest.req.timeoutMs ? oldest.req.timeoutMs : this.options.queryTimeoutMs) + this.options.hardDeadlineGraceMs;
    if (Date.now() - oldest.sentAt > limit) {
      const w = this.worker;
      this.worker = null;
      void w.terminate();
      this.onWorkerLost(`Query ran longer than ${limit} ms and was stopped; nothing was written.`, 'time out');
    }
  }

  private send(body: RequestBody): Promise<WorkerReply> {
    if (this.closed) return Promise.reject(new Error('The engine host is closed.'));
    const id = this.nextId++;
    const req = { ...body, id } as WorkerRequest;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { req, resolve, reject, sentAt: Date.now() });
      this.worker?.postMessage(req);
    });
  }

  /** Runs one wire-format expression (a value or its JSON text) as one transaction. */
  async query(expr: Json | string, origin: string, options: { summary?: string; timeoutMs?: number } = {}): Promise<QueryReply> {
    const text = typeof expr === 'string' ? expr : stringifyJson(expr);
    const reply = await this.send({ type: 'query', expr: text, origin, ...(options.summary !== undefined ? { summary: options.summary } : {}), timeoutMs: options.timeoutMs ?? this.options.queryTimeoutMs });
    if (reply.type !== 'result') throw new Error('unexpected reply');
    return reply.ok ? { ok: true, resource: parseJson(reply.resource), ts: BigInt(reply.ts) } : { ok: false, errors: reply.errors, ts: reply.ts === null ? null : BigInt(reply.ts) };
  }

  /** Runs FQL text: each statement its own transaction, in order. */
  async runText(text: string, origin: string, options: { timeoutMs?: number } = {}): Promise<TextStatement[]> {
    const reply = await this.send({ type: 'text', text, origin, timeoutMs: options.timeoutMs ?? this.options.queryTimeoutMs });
    if (reply.type === 'result' && !reply.ok) return [{ ok: false, text, error: reply.errors[0]!, ts: null }];
    if (reply.type !== 'statements') throw new Error('unexpected reply');
    return reply.results.map((r: StatementOutcome) => ({
      ok: r.ok,
      text: r.text,
      ...(r.resource !== undefined ? { resource: parseJson(r.resource) } : {}),
      ...(r.error !== undefined ? { error: r.error } : {}),
      ...(r.location !== undefined ? { location: r.location } : {}),
      ts: r.ts === null ? null : BigInt(r.ts),
    }));
  }

  async ledger(q: { beforeTs: bigint | null; limit: number; collection?: string; documentId?: string }): Promise<LedgerEntry[]> {
    const reply = await this.send({ type: 'ledger', beforeTs: q.beforeTs === null ? null : q.beforeTs.toString(), limit: q.limit, ...(q.collection !== undefined ? { collection: q.collection } : {}), ...(q.documentId !== undefined ? { documentId: q.documentId } : {}) });
    if (reply.type !== 'ledger') throw new Error('unexpected reply');
    return reply.entries;
  }

  async check(): Promise<{ ok: boolean; lines: string[] }> {
    const reply = await this.send({ type: 'check' });
    if (reply.type !== 'check') throw new Error('unexpected reply');
    return { ok: reply.ok, lines: reply.lines };
  }

  /** Subscribes to the change feed; returns the unsubscribe function. */
  onChange(listener: (e: ChangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.watchdog) clearInterval(this.watchdog);
    for (const p of this.pending.values()) p.reject(new Error('The engine host is closed.'));
    this.pending.clear();
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}
