/**
 * The engine host: runs the engine in worker threads so no window or client
 * ever waits on the database in its own thread.
 *
 * - The writer worker owns the write path: every query that may write, FQL
 *   text from the Shell, ledger and checks, background index builds, and the
 *   change feed (its own commits and those of other processes on the file).
 *   Its requests run one at a time, in arrival order.
 * - The reader worker answers queries that can only read, on its own
 *   connection over WAL snapshots, so reads are not stuck behind writes.
 *   Each read starts a fresh snapshot after the request arrives, and replies
 *   to writes are sent after they commit, so a client never sees a state older
 *   than one it has already seen.
 *
 * A worker that crashes or hangs past its hard deadline is replaced (see
 * worker-slot.ts).
 */
import { parseJson, stringifyJson, type Json } from '../../shared/fql/json.js';
import type { FaunaErrorJson } from '../engine/errors.js';
import type { ChangeEvent, LedgerEntry, StatementOutcome, WorkerConfig, WorkerReply, WorkerRequest } from './protocol.js';
import { isReadOnlyExpr } from './read-only.js';
import { WorkerSlot } from './worker-slot.js';

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
  /** Run read-only queries on a separate reader worker (default true). */
  readerWorker?: boolean;
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

type RequestBody = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export class EngineHost {
  private writer!: WorkerSlot;
  private reader: WorkerSlot | null = null;
  private nextId = 1;
  private readonly listeners = new Set<(e: ChangeEvent) => void>();
  private closed = false;
  private watchdog: NodeJS.Timeout | null = null;

  private constructor(private readonly options: Required<Omit<HostOptions, 'nativeBinding'>> & { nativeBinding?: string }) {}

  static async start(options: HostOptions): Promise<EngineHost> {
    const host = new EngineHost({
      file: options.file,
      sample: options.sample ?? false,
      pollMs: options.pollMs ?? 100,
      queryTimeoutMs: options.queryTimeoutMs ?? 30_000,
      hardDeadlineGraceMs: options.hardDeadlineGraceMs ?? 5_000,
      readerWorker: options.readerWorker ?? true,
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    });
    const base: Omit<WorkerConfig, 'role'> = { file: host.options.file, sample: host.options.sample, pollMs: host.options.pollMs, ...(host.options.nativeBinding ? { nativeBinding: host.options.nativeBinding } : {}) };
    const timeoutOf = (req: WorkerRequest): number => ('timeoutMs' in req && req.timeoutMs ? req.timeoutMs : host.options.queryTimeoutMs);
    host.writer = new WorkerSlot({ ...base, role: 'writer' }, (msg) => host.onEvent(msg), timeoutOf);
    await host.writer.start();
    if (host.options.readerWorker) {
      // The reader starts after the writer has created (and provisioned) the file.
      host.reader = new WorkerSlot({ ...base, sample: false, role: 'reader' }, () => undefined, timeoutOf);
      await host.reader.start();
    }
    host.watchdog = setInterval(() => {
      host.writer.checkDeadline(host.options.hardDeadlineGraceMs);
      host.reader?.checkDeadline(host.options.hardDeadlineGraceMs);
    }, 250);
    host.watchdog.unref();
    return host;
  }

  /** How many times a worker has been replaced. */
  get restartCount(): number {
    return this.writer.restarts + (this.reader?.restarts ?? 0);
  }

  /** Ends the writer worker abruptly, as a crash would (for tests of recovery). */
  simulateCrash(): void {
    this.writer.crashForTest();
  }

  private onEvent(msg: WorkerReply): void {
    if (msg.type === 'changes') for (const l of this.listeners) l(msg.event);
  }

  private send(body: RequestBody, slot: WorkerSlot = this.writer): Promise<WorkerReply> {
    if (this.closed) return Promise.reject(new Error('The engine host is closed.'));
    return slot.send({ ...body, id: this.nextId++ } as WorkerRequest);
  }

  /** Runs one wire-format expression (a value or its JSON text) as one transaction. */
  async query(expr: Json | string, origin: string, options: { summary?: string; timeoutMs?: number } = {}): Promise<QueryReply> {
    let text: string;
    let readOnly = false;
    if (typeof expr === 'string') {
      text = expr;
      if (this.reader !== null) {
        try {
          readOnly = isReadOnlyExpr(parseJson(expr));
        } catch {
          readOnly = false; // malformed: the writer reports the error
        }
      }
    } else {
      text = stringifyJson(expr);
      readOnly = this.reader !== null && isReadOnlyExpr(expr);
    }
    const slot = readOnly && this.reader !== null ? this.reader : this.writer;
    const reply = await this.send({ type: 'query', expr: text, origin, ...(options.summary !== undefined ? { summary: options.summary } : {}), timeoutMs: options.timeoutMs ?? this.options.queryTimeoutMs }, slot);
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
    const reply = await this.send(
      { type: 'ledger', beforeTs: q.beforeTs === null ? null : q.beforeTs.toString(), limit: q.limit, ...(q.collection !== undefined ? { collection: q.collection } : {}), ...(q.documentId !== undefined ? { documentId: q.documentId } : {}) },
      this.reader ?? this.writer,
    );
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
    await Promise.all([this.writer.close(), this.reader?.close()]);
  }
}
