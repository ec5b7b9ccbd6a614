/**
 * A Jepsen-style history: every operation a client performs is recorded as an
 * `invoke` when it starts and as exactly one completion when it ends —
 * `ok` (it happened), `fail` (it certainly did not happen) or `info` (unknown:
 * the client lost track of it, e.g. its process was killed or the host lost
 * its worker). Checkers are pure functions over this list.
 *
 * Values are recorded as plain JSON (FQL integers become JS numbers, refs stay
 * `{"@ref": ...}` objects), so a history written by one process and read by
 * another is the same data. `toJsonl()` gives one JSON object per line.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type OpType = 'invoke' | 'ok' | 'fail' | 'info';

/** A Fauna-shaped error as it appears in a history. */
export interface OpError {
  code: string;
  description: string;
  position?: (string | number)[];
  cause?: OpError[];
}

export interface Op {
  /** Position in the history (assigned when recorded or merged). */
  index: number;
  /** The logical client: one process in Jepsen's sense, a single thread of operations. */
  process: string;
  type: OpType;
  /** The operation's function: 'transfer', 'read', 'append', ... */
  f: string;
  value: unknown;
  /** Milliseconds (fractional) on the machine's monotonic clock (see now()), comparable across its processes. */
  time: number;
  error?: OpError;
}

/**
 * Milliseconds with sub-millisecond precision on the system's monotonic clock
 * (process.hrtime: CLOCK_MONOTONIC), which every process on the machine
 * reads alike. Not performance.timeOrigin + performance.now(): each process
 * fixes its timeOrigin once at start-up from two clock readings, and a
 * process preempted between them (many processes on two cores) keeps an
 * offset of several milliseconds for its whole life, which made another
 * process's acknowledged writes look later than reads that followed them.
 */
export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Converts engine output to plain JSON: bigint -> number (string when not exact), no prototypes. */
export function plain(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = plain(v);
    return out;
  }
  return value;
}

export interface Completion {
  type: 'ok' | 'fail' | 'info';
  value?: unknown;
  error?: OpError;
}

export class History {
  readonly ops: Op[] = [];

  /** `sink` sees every op as it is recorded (a child process streams its ops to the parent this way). */
  constructor(
    readonly workload: string,
    private readonly sink?: (op: Op) => void,
  ) {}

  record(process: string, type: OpType, f: string, value: unknown, error?: OpError): Op {
    const op: Op = { index: this.ops.length, process, type, f, value: plain(value), time: now() };
    if (error !== undefined) op.error = plainError(error);
    this.ops.push(op);
    this.sink?.(op);
    return op;
  }

  /**
   * Records one operation: the invoke, then the completion `run` returns.
   * An exception from `run` is recorded as `info` (the outcome is unknown) and rethrown.
   */
  async run(process: string, f: string, value: unknown, run: () => Promise<Completion>): Promise<Op> {
    this.record(process, 'invoke', f, value);
    let c: Completion;
    try {
      c = await run();
    } catch (err) {
      this.record(process, 'info', f, value, { code: 'client exception', description: err instanceof Error ? err.message : String(err) });
      throw err;
    }
    return this.record(process, c.type, f, c.value === undefined ? value : c.value, c.error);
  }

  /** Adds ops recorded elsewhere (another process), keeping their times; re-sorts by time. */
  merge(ops: readonly Op[]): void {
    this.ops.push(...ops.map((o) => ({ ...o })));
    // A stable sort by time keeps each process's own order (its times never decrease).
    this.ops.sort((a, b) => a.time - b.time);
    this.ops.forEach((o, i) => (o.index = i));
  }

  toJsonl(): string {
    return this.ops.map((o) => JSON.stringify(o)).join('\n') + (this.ops.length ? '\n' : '');
  }

  /** Writes the history to test-results/jepsen/<name>.jsonl (relative to the working directory); returns the path. */
  write(name = this.workload, dir = join('test-results', 'jepsen')): string {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${name}.jsonl`);
    writeFileSync(file, this.toJsonl());
    return file;
  }

  static parseLine(line: string): Op {
    const op = JSON.parse(line) as Op;
    if (typeof op.process !== 'string' || typeof op.f !== 'string' || typeof op.time !== 'number' || !['invoke', 'ok', 'fail', 'info'].includes(op.type)) {
      throw new Error(`not a history line: ${line.slice(0, 200)}`);
    }
    return op;
  }

  static fromJsonl(workload: string, text: string): History {
    const h = new History(workload);
    h.merge(text.split('\n').filter((l) => l.trim() !== '').map((l) => History.parseLine(l)));
    return h;
  }
}

function plainError(e: OpError): OpError {
  const out: OpError = { code: String(e.code), description: String(e.description) };
  if (e.position) out.position = e.position;
  if (e.cause) out.cause = e.cause.map(plainError);
  return out;
}

/** An invocation and its completion (null while it has none). */
export interface OpPair {
  invoke: Op;
  complete: Op | null;
}

/** Pairs each invoke with the next completion of the same process. */
export function pairs(ops: readonly Op[]): OpPair[] {
  const open = new Map<string, OpPair>();
  const out: OpPair[] = [];
  for (const op of ops) {
    if (op.type === 'invoke') {
      const p: OpPair = { invoke: op, complete: null };
      open.set(op.process, p);
      out.push(p);
    } else {
      const p = open.get(op.process);
      if (p) {
        p.complete = op;
        open.delete(op.process);
      }
    }
  }
  return out;
}
