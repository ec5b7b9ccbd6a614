/**
 * oversell (Jepsen-style): many concurrent one-unit submit_order calls on
 * products with little stock; accepted = min(stock, demand) per product, stock
 * never below zero, stock + sold = initial.
 */
import { describe, test } from 'node:test';
import { assertRun } from './assert-run.js';
import { runInProcesses, runThroughHost } from './runner.js';
import { oversell } from './workloads/oversell.js';
import { workloadParams } from './workload.js';

describe('jepsen oversell', () => {
  test('every order its own client, through one EngineHost', async (t) => {
    const params = workloadParams();
    t.diagnostic(assertRun('oversell/host', await runThroughHost(oversell, params), params));
  });
  test('orders spread over 8 OS processes on one file, each with its own Engine', async (t) => {
    const params = workloadParams();
    t.diagnostic(assertRun('oversell/processes', await runInProcesses(oversell, params, { processes: params.soak ? 16 : 8, via: 'engine' }), params));
  });
});
