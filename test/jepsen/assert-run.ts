/** The assertions every workload run must pass, with the seed and history file in the message. */
import assert from 'node:assert/strict';
import { describeResult, type CheckResult } from './checkers.js';
import type { RunOutcome } from './runner.js';
import type { WorkloadParams } from './workload.js';

/** Returns a one-line summary for t.diagnostic(). */
export function assertRun(name: string, run: RunOutcome, params: WorkloadParams): string {
  const where = `${name} (seed ${params.seed}; replay with STOCKROOM_SEED=${params.seed}; history in ${run.historyFile})`;
  assert.ok(run.wellFormed.valid, `${where}: malformed history\n${describeResult(run.wellFormed)}`);
  // A run where no two operations overlapped proves nothing about concurrency.
  assert.ok((run.wellFormed.stats.maxConcurrency ?? 0) > 1, `${where}: operations never overlapped`);
  assert.ok(run.check.valid, `${where}: checker found problems\n${describeResult(run.check)}`);
  assert.ok(run.verify.ok, `${where}: verifyDatabase\n${run.verify.lines.join('\n')}`);
  return `${name}: ${run.history.ops.length} ops in ${run.ms} ms, seed ${params.seed}, up to ${run.wellFormed.stats.maxConcurrency} ops in flight, ${JSON.stringify(run.check.stats)}`;
}

/** A checker's verdict on a hand-made history: valid. */
export function assertValid(r: CheckResult): void {
  assert.ok(r.valid, `expected valid, got:\n${r.errors.join('\n')}`);
}

/** A checker's verdict on a hand-made history: a problem matching `pattern`. */
export function assertInvalid(r: CheckResult, pattern: RegExp): void {
  assert.ok(!r.valid, 'expected the checker to find a problem');
  assert.ok(
    r.errors.some((e) => pattern.test(e)),
    `no error matches ${pattern}:\n${r.errors.join('\n')}`,
  );
}
