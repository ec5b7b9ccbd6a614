/**
 * One engine worker thread and the requests queued on it. A slot replaces
 * its worker when the worker dies or runs past the hard deadline: the request
 * it was running fails with a clear error and the ones queued behind it are
 * sent to the new worker.
 */
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type { WorkerConfig, WorkerReply, WorkerRequest } from './protocol.js';

type Pending = { req: WorkerRequest; resolve: (reply: WorkerReply) => void; reject: (err: Error) => void; sentAt: number };

/** The worker's entry: the compiled module, or (running from source) a tsx bootstrap and the .ts module. */
function workerEntry(): { path: string; argv: string[] } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    return { path: fileURLToPath(new URL('../../scripts/tsx-worker.mjs', here)), argv: [new URL('./engine-worker.ts', here).href] };
  }
  return { path: fileURLToPath(new URL('./engine-worker.js', here)), argv: [] };
}

export class WorkerSlot {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  /** The request the worker said it is running (when it had others waiting in the same batch), and since when. */
  private running: { id: number; since: number } | null = null;
  /** Requests of a group commit under way: if the worker is lost now, they may or may not be durable. */
  private committing = new Set<number>();
  private closed = false;
  restarts = 0;

  constructor(
    private readonly config: WorkerConfig,
    private readonly onEvent: (msg: WorkerReply) => void,
    private readonly timeoutOf: (req: WorkerRequest) => number,
  ) {}

  start(): Promise<void> {
    const { path, argv } = workerEntry();
    const worker = new Worker(path, { workerData: this.config, argv });
    this.worker = worker;
    const ready = new Promise<void>((resolve, reject) => {
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
      if (this.worker === worker) this.lost('The engine stopped unexpectedly; the request may not have completed.');
    });
    return ready;
  }

  private onReply(msg: WorkerReply): void {
    if (msg.type === 'changes') {
      this.onEvent(msg);
      return;
    }
    if (msg.type === 'ready' || msg.type === 'fatal') return;
    if (msg.type === 'running') {
      this.running = { id: msg.id, since: Date.now() };
      return;
    }
    if (msg.type === 'committing') {
      this.committing = new Set(msg.ids);
      return;
    }
    this.committing.delete(msg.id);
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    p.resolve(msg);
  }

  /**
   * The request the worker is running: the one it last said it started, or
   * else the oldest (a worker runs requests in order, so without a word the
   * oldest unanswered one is running), with the time it started running.
   */
  private current(): { p: Pending; since: number } | undefined {
    const said = this.running === null ? undefined : this.pending.get(this.running.id);
    if (said !== undefined) return { p: said, since: Math.max(said.sentAt, this.running!.since) };
    let oldest: Pending | undefined;
    for (const p of this.pending.values()) if (oldest === undefined || p.req.id < oldest.req.id) oldest = p;
    return oldest === undefined ? undefined : { p: oldest, since: oldest.sentAt };
  }

  /**
   * Replaces the worker: the request it was running fails, and so do those
   * of a group commit under way (they may be durable); the rest are sent
   * again (the ones it ran earlier in an unfinished group were not committed
   * and had no answer, so running them again is running them once).
   */
  private lost(reason: string, code = 'internal server error'): void {
    if (this.closed) return;
    const running = this.current()?.p;
    const fail = (p: Pending | undefined, description: string): void => {
      if (p === undefined || !this.pending.has(p.req.id)) return;
      this.pending.delete(p.req.id);
      p.resolve({ type: 'result', id: p.req.id, ok: false, errors: [{ position: [], code, description }], ts: null });
    };
    // A group being committed may have reached the disk: its requests are answered, never run again.
    for (const id of this.committing) fail(this.pending.get(id), 'The engine stopped while committing; the request may not have completed.');
    fail(running, reason);
    this.committing = new Set();
    this.worker = null;
    this.running = null;
    this.restarts++;
    const queued = [...this.pending.values()].sort((a, b) => a.req.id - b.req.id);
    this.start().then(
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

  /** Called periodically: replaces a worker whose running request ran past its deadline. */
  checkDeadline(graceMs: number): void {
    const running = this.current();
    if (!running || !this.worker) return;
    const limit = this.timeoutOf(running.p.req) + graceMs;
    if (Date.now() - running.since > limit) {
      const w = this.worker;
      this.worker = null;
      void w.terminate();
      this.lost(`Query ran longer than ${limit} ms and was stopped; nothing was written.`, 'time out');
    }
  }

  send(req: WorkerRequest): Promise<WorkerReply> {
    if (this.closed) return Promise.reject(new Error('The engine host is closed.'));
    return new Promise((resolve, reject) => {
      this.pending.set(req.id, { req, resolve, reject, sentAt: Date.now() });
      this.worker?.postMessage(req);
    });
  }

  /** Ends the worker abruptly (tests use this to prove crash recovery). */
  crashForTest(): void {
    void this.worker?.terminate();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.pending.values()) p.reject(new Error('The engine host is closed.'));
    this.pending.clear();
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}
