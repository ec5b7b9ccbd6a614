/**
 * internal (Jepsen-style): inside one query, reads see the query's own earlier
 * writes in evaluation order, by ref and through an index.
 */
import { describe, test } from 'node:test';
import { assertRun } from './assert-run.js';
import { runInProcesses, runThroughHost } from './runner.js';
import { internal } from './workloads/internal.js';
import { workloadParams } from './workload.js';

describe('jepsen internal', () => {
  test('8 clients through one EngineHost', async (t) => {
    const params = workloadParams();
    t.diagnostic(assertRun('internal/host', await runThroughHost(internal, params), params));
  });
  test('8 OS processes on one file, each with its own Engine', async (t) => {
    const params = workloadParams();
    t.diagnostic(assertRun('internal/processes', await runInProcesses(internal, params, { processes: internal.clients(params), via: 'engine' }), params));
  });
});
