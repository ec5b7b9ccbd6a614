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
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    p.resolve(msg);
  }

  /** Replaces the worker: the oldest request fails, the rest are sent again. */
  private lost(reason: string, code = 'internal server error'): void {
    if (this.closed) return;
    this.worker = null;
    this.restarts++;
    const queued = [...this.pending.values()].sort((a, b) => a.req.id - b.req.id);
    const running = queued.shift();
    if (running) {
      this.pending.delete(running.req.id);
      running.resolve({ type: 'result', id: running.req.id, ok: false, errors: [{ position: [], code, description: reason }], ts: null });
    }
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

  /** Called periodically: replaces a worker whose oldest request ran past its deadline. */
  checkDeadline(graceMs: number): void {
    let oldest: Pending | undefined;
    for (const p of this.pending.values()) if (oldest === undefined || p.req.id < oldest.req.id) oldest = p;
    if (!oldest || !this.worker) return;
    const limit = this.timeoutOf(oldest.req) + graceMs;
    if (Date.now() - oldest.sentAt > limit) {
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
