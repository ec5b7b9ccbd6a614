/**
 * submit_order through the engine host (worker thread + queue) with 8
 * concurrent clients: orders per second, p50 and p99 latency, compared with
 * the in-process rate on the same file. While the host is saturated, another
 * client's simple read is timed too (responsiveness), against the same read
 * on an idle host.
 */
import { join } from 'node:path';
import { EngineHost } from '../../electron/host/engine-host.js';
import { parseFql } from '../../electron/engine/parse/index.js';
import { percentile, ratio, timePerOp, warmUp, WARM_UP_MS, type BenchOptions, type CaseResult } from '../harness.js';
import { benchStore, submitOrderExpr } from './submit-order.js';

const CLIENTS = 8;

async function timedReads(host: EngineHost, count: number, gapMs: number): Promise<number[]> {
  const get = parseFql('Get(Ref(Collection("products"), "201"))')[0]!.expr;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    const r = await host.query(get, 'bench-reader');
    if (!r.ok) throw new Error('read failed');
    out.push(Number(process.hrtime.bigint() - start) / 1000);
    await new Promise((res) => setTimeout(res, gapMs));
  }
  return out.sort((a, b) => a - b);
}

export async function runHostCases(options: BenchOptions): Promise<{ host: CaseResult; responsiveness: CaseResult }> {
  const file = join(options.dir, 'host.db');
  const expr = submitOrderExpr();
  const inProcess = benchStore(file);
  const orderInProcess = (): void => {
    const r = inProcess.query(expr);
    if (!r.ok) throw new Error(r.error.description);
  };
  warmUp(orderInProcess);
  const perOrderInProcess = timePerOp(options.quick ? 400 : 1000, orderInProcess, 0);
  inProcess.close();

  const host = await EngineHost.start({ file });
  try {
    // The host's worker starts cold: its clients run for a while before anything is timed.
    const warmUntil = process.hrtime.bigint() + BigInt(WARM_UP_MS * 1e6);
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (process.hrtime.bigint() < warmUntil) {
          const r = await host.query(expr, 'bench');
          if (!r.ok) throw new Error(JSON.stringify(r.errors));
        }
      }),
    );
    const idleReads = await timedReads(host, options.quick ? 100 : 200, 1);
    const perClient = options.quick ? 100 : 300;
    const latencies: number[] = [];
    let stop = false;
    const busyReads: Promise<number[]> = (async () => {
      const out: number[] = [];
      const get = parseFql('Get(Ref(Collection("products"), "201"))')[0]!.expr;
      while (!stop) {
        const start = process.hrtime.bigint();
        await host.query(get, 'bench-reader');
        out.push(Number(process.hrtime.bigint() - start) / 1000);
        await new Promise((res) => setTimeout(res, 2));
      }
      return out.sort((a, b) => a - b);
    })();
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (let i = 0; i < perClient; i++) {
          const t = process.hrtime.bigint();
          const r = await host.query(expr, 'bench');
          if (!r.ok) throw new Error(JSON.stringify(r.errors));
          latencies.push(Number(process.hrtime.bigint() - t) / 1000);
        }
      }),
    );
    const elapsedUs = Number(process.hrtime.bigint() - started) / 1000;
    stop = true;
    const reads = await busyReads;
    latencies.sort((a, b) => a - b);
    const perOrderHost = elapsedUs / (CLIENTS * perClient);
    return {
      host: {
        engine: perOrderHost,
        baseline: perOrderInProcess,
        ratio: ratio(perOrderHost, perOrderInProcess),
        unit: 'µs/order',
        notes: {
          'host orders/s': Math.round(1e6 / perOrderHost),
          'in-process orders/s': Math.round(1e6 / perOrderInProcess),
          'share of in-process rate': `${Math.round((perOrderInProcess / perOrderHost) * 100)}%`,
          'p50 ms': +(percentile(latencies, 50) / 1000).toFixed(2),
          'p99 ms': +(percentile(latencies, 99) / 1000).toFixed(2),
        },
      },
      responsiveness: {
        engine: percentile(reads, 50),
        baseline: percentile(idleReads, 50),
        ratio: ratio(percentile(reads, 50), percentile(idleReads, 50)),
        unit: 'µs/read (p50)',
        notes: { 'busy p99 ms': +(percentile(reads, 99) / 1000).toFixed(2), 'idle p99 ms': +(percentile(idleReads, 99) / 1000).toFixed(2), reads: reads.length },
      },
    };
  } finally {
    await host.close();
  }
}
