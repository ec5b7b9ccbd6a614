/**
 * Benchmark plumbing: timing, percentiles, temporary databases and the
 * hand-written SQL baseline's connection (same SQLite settings as the engine:
 * WAL, synchronous=FULL).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CACHE_KIB } from '../electron/engine/storage/open.js';

export interface CaseResult {
  engine: number;
  baseline: number;
  /** Engine cost over baseline cost for the same work (above 1: the engine is slower). */
  ratio: number;
  unit: string;
  /** Extra measurements shown in the table (throughput, percentiles). */
  notes?: Record<string, number | string>;
}

export interface BenchOptions {
  quick: boolean;
  dir: string;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'stockroom-bench-'));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A baseline connection with the engine's settings (WAL, synchronous=FULL, the same page cache). */
export function baselineDb(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma(`cache_size = -${CACHE_KIB}`);
  return db;
}

/** Each side of a timed case runs this long before it is measured, in quick runs as in full ones. */
export const WARM_UP_MS = 500;

/**
 * Runs `fn` for about `ms` milliseconds (at least 100 times), so that what
 * is measured next runs optimized code on warm caches however short the run.
 */
export function warmUp(fn: (i: number) => void, ms = WARM_UP_MS): void {
  const until = process.hrtime.bigint() + BigInt(Math.round(ms * 1e6));
  let i = 0;
  while (i < 100 || process.hrtime.bigint() < until) fn(i++);
}

/** Microseconds per operation of `fn` run `n` times (after a warm-up). */
export function timePerOp(n: number, fn: (i: number) => void, warmup = Math.min(200, Math.ceil(n / 10))): number {
  for (let i = 0; i < warmup; i++) fn(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(warmup + i);
  return Number(process.hrtime.bigint() - start) / 1000 / n;
}

/**
 * Microseconds per operation of the engine and the baseline doing the same
 * work `count` times each: both warm up first, then rounds alternate
 * between them so that the machine's changes of pace (disk syncs, other
 * load) fall on both, and each side's median round counts, so that one
 * round with a collection pause or a slow sync does not.
 */
export function alternateRounds(count: number, rounds: number, engineOp: (i: number) => void, baselineOp: (i: number) => void): [number, number] {
  warmUp(engineOp);
  warmUp(baselineOp);
  const e: number[] = [];
  const b: number[] = [];
  const perRound = Math.ceil(count / rounds);
  for (let round = 0; round < rounds; round++) {
    e.push(timePerOp(perRound, engineOp, 0));
    b.push(timePerOp(perRound, baselineOp, 0));
  }
  return [median(e), median(b)];
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function ratio(engine: number, baseline: number): number {
  return baseline === 0 ? Infinity : engine / baseline;
}
