/**
 * unique (Jepsen-style): 30 concurrent get-or-create calls for one key through
 * a unique index, and 30 blind Creates of another: exactly one document each;
 * every call returns it or fails with `instance not unique`.
 */
import { describe, test } from 'node:test';
import { assertRun } from './assert-run.js';
import { runInProcesses, runThroughHost } from './runner.js';
import { unique } from './workloads/unique.js';
import { workloadParams } from './workload.js';

describe('jepsen unique', () => {
  test('30 clients through one EngineHost', async (t) => {
    const params = workloadParams();
    t.diagnostic(assertRun('unique/host', await runThroughHost(unique, params), params));
  });
  test('30 clients in 6 OS processes on one file, each process with its own EngineHost', async (t) => {
    const params = workloadParams();
    t.diagnostic(assertRun('unique/processes', await runInProcesses(unique, params, { processes: 6, via: 'host' }), params));
  });
});
