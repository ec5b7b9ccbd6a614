/**
 * The state of one running query: its transaction, its timestamp and the
 * budgets that stop a runaway query (time, call depth, work, result size).
 */
import { FaunaError, type Position } from '../errors.js';
import type { Transaction } from '../storage/transaction.js';

export interface Limits {
  /** Wall-clock milliseconds a query may run. */
  timeoutMs: number;
  /** Nested lambda / function calls. */
  maxCallDepth: number;
  /** Elements a single array, page or string-building step may produce. */
  maxResultItems: number;
  /** Bytes a single string may reach. */
  maxStringBytes: number;
}

export const DEFAULT_LIMITS: Limits = {
  timeoutMs: 30_000,
  maxCallDepth: 200,
  maxResultItems: 1_000_000,
  maxStringBytes: 16 * 1024 * 1024,
};

export class EvalContext {
  callDepth = 0;
  private work = 0;
  private readonly deadline: number;
  /** When set (inside `At`), reads see the database as of this time (µs). */
  readTs: bigint | null = null;

  constructor(
    readonly txn: Transaction,
    readonly limits: Limits,
  ) {
    this.deadline = Date.now() + limits.timeoutMs;
  }

  /** The transaction's timestamp in microseconds: `Now()` and every write's `ts`. */
  get txnTs(): bigint {
    return this.txn.ts;
  }

  /** Milliseconds left before the query's time limit. */
  remainingMs(): number {
    return Math.max(0, this.deadline - Date.now());
  }

  /** Counts work; every few thousand units the clock is checked. */
  tick(units = 1, position?: Position): void {
    this.work += units;
    if (this.work >= 4096) {
      this.work = 0;
      if (Date.now() > this.deadline) {
        throw new FaunaError('processing time limit exceeded', `Query ran longer than ${this.limits.timeoutMs} ms and was stopped; nothing was written.`, position ?? []);
      }
    }
  }

  /** Fails when a collection is about to grow past the result limit. */
  checkSize(count: number, position: Position): void {
    if (count > this.limits.maxResultItems) {
      throw new FaunaError('invalid argument', `Result too large: more than ${this.limits.maxResultItems} elements.`, position);
    }
  }

  enterCall(position: Position): void {
    if (++this.callDepth > this.limits.maxCallDepth) {
      this.callDepth--;
      throw new FaunaError('stack overflow', `Call stack reached the maximum limit of ${this.limits.maxCallDepth}.`, position);
    }
  }

  leaveCall(): void {
    this.callDepth--;
  }
}
