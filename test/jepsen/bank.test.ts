/**
 * bank (Jepsen-style): concurrent transfers that abort on overdraft, and
 * reads; every read sums to the total and no balance is ever negative, and
 * the final balances are the initial ones plus exactly the successful
 * transfers. The same histories also show whether transaction times follow
 * real time (checkTimestamps).
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { assertRun } from './assert-run.js';
import { checkTimestamps, describeResult } from './checkers.js';
import { runInProcesses, runThroughHost, type RunOutcome } from './runner.js';
import { bank } from './workloads/bank.js';
import { workloadParams } from './workload.js';

const modes: [string, (p: ReturnType<typeof workloadParams>) => Promise<RunOutcome>, boolean][] = [
  ['8 clients through one EngineHost', (p) => runThroughHost(bank, p), false],
  ['8 OS processes on one file, half with their own Engine, half with their own EngineHost', (p) => runInProcesses(bank, p, { processes: bank.clients(p), via: 'mixed' }), true],
];

for (const [name, run, multiProcess] of modes) {
  describe(`jepsen bank: ${name}`, () => {
    const params = workloadParams();
    let outcome: RunOutcome;
    before(async () => {
      outcome = await run(params);
    });
    test('every read sums to the total, no balance is negative, no transfer lost or doubled', (t) => {
      t.diagnostic(assertRun(`bank (${name})`, outcome, params));
    });
    test('transaction times follow real time: a later operation never has an earlier timestamp', () => {
      const r = checkTimestamps(outcome.history.ops, (op) => op.f === 'transfer', { slackMs: multiProcess ? 1 : 0 });
      assert.ok(r.valid, `seed ${params.seed}, history in ${outcome.historyFile}\n${describeResult(r, 5)}`);
    });
  });
}
