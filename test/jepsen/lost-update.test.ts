/**
 * lost update (Jepsen-style): concurrent read-modify-write appends to one
 * document's array, each in one query; every acknowledged append survives.
 */
import { describe, test } from 'node:test';
import { assertRun } from './assert-run.js';
import { runInProcesses, runThroughHost } from './runner.js';
import { lostUpdate } from './workloads/lost-update.js';
import { workloadParams } from './workload.js';

describe('jepsen lost update', () => {
  test('8 clients through one EngineHost', async (t) => {
    const params = workloadParams();
    t.diagnostic(assertRun('lost-update/host', await runThroughHost(lostUpdate, params), params));
  });
  test('8 OS processes on one file, half with their own Engine, half with their own EngineHost', async (t) => {
    const params = workloadParams();
    t.diagnostic(assertRun('lost-update/processes', await runInProcesses(lostUpdate, params, { processes: lostUpdate.clients(params), via: 'mixed' }), params));
  });
});
