/**
 * Runs a workload on a fresh file, two ways:
 * - through one EngineHost: every client is an async caller of the same host
 *   (one worker, one queue);
 * - in several OS processes: each opens the file itself (an Engine, or an
 *   EngineHost with its own worker) and they start together at a barrier.
 * Then the final read, the index verifier and integrity check, the checker,
 * and the history written to test-results/jepsen/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from '../../electron/engine/engine.js';
import { verifyDatabase } from '../../electron/engine/verify.js';
import { EngineHost } from '../../electron/host/engine-host.js';
import { provisionSampleStore } from '../../electron/sample/sample-store.js';
import { Child } from '../helpers/child.js';
import { checkWellFormed, type CheckResult } from './checkers.js';
import type { ClientProcessConfig } from './client-process.js';
import { engineConn, hostConn, mustRun, Rng } from './conn.js';
import { History } from './history.js';
import type { Workload, WorkloadParams } from './workload.js';

const here = dirname(fileURLToPath(import.meta.url));

export interface RunOutcome {
  history: History;
  /** The workload's checker. */
  check: CheckResult;
  /** Every process is a proper sequence of invoke/completion. */
  wellFormed: CheckResult;
  /** verifyDatabase at the end: integrity_check and the index verifier. */
  verify: { ok: boolean; lines: string[] };
  historyFile: string;
  ms: number;
}

function tempFile(name: string): { file: string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `stockroom-jepsen-${name}-`));
  return { file: join(dir, 'db.sqlite'), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function runThroughHost(w: Workload, params: WorkloadParams): Promise<RunOutcome> {
  const started = Date.now();
  const tmp = tempFile(w.name);
  const host = await EngineHost.start({ file: tmp.file, sample: w.sample, pollMs: 1000 });
  try {
    await mustRun(hostConn(host, 'setup'), w.setup(params));
    const history = new History(`${w.name}-host`);
    const n = w.clients(params);
    await Promise.all(
      Array.from({ length: n }, (_, id) =>
        w.client({ id, process: `c${id}`, conn: hostConn(host, `client:${id}`), history, rng: new Rng(params.seed * 7919 + id), params }),
      ),
    );
    await w.final(hostConn(host, 'final'), history, params);
    const verify = await host.check();
    const historyFile = history.write();
    return { history, check: w.check(history.ops, params, { multiProcess: false }), wellFormed: checkWellFormed(history.ops), verify, historyFile, ms: Date.now() - started };
  } finally {
    await host.close();
    tmp.dispose();
  }
}

export interface ProcessOptions {
  processes: number;
  /** What each process opens: its own Engine, its own EngineHost (writer and reader workers), or alternately one and the other. */
  via: 'engine' | 'host' | 'mixed';
}

export async function runInProcesses(w: Workload, params: WorkloadParams, options: ProcessOptions): Promise<RunOutcome> {
  const started = Date.now();
  const tmp = tempFile(w.name);
  try {
    const setup = Engine.open(tmp.file);
    try {
      if (w.sample) {
        const r = provisionSampleStore(setup);
        if (!r.ok) throw new Error(`sample store: ${r.error.code}: ${r.error.description}`);
      }
      await mustRun(engineConn(setup, 'setup'), w.setup(params));
    } finally {
      setup.close();
    }
    const n = w.clients(params);
    const children: Child[] = [];
    for (let k = 0; k < options.processes; k++) {
      const clientIds = Array.from({ length: n }, (_, id) => id).filter((id) => id % options.processes === k);
      const via = options.via === 'mixed' ? (k % 2 === 0 ? 'engine' : 'host') : options.via;
      const config: ClientProcessConfig = { workload: w.name, file: tmp.file, via, params, clientIds };
      children.push(await Child.start(join(here, 'client-process.ts'), [JSON.stringify(config)]));
    }
    try {
      // The start barrier: everyone has the file open before anyone begins.
      await Promise.all(children.map((c) => c.waitForLine((l) => l === 'ready')));
      for (const c of children) {
        c.send('go');
        c.endInput();
      }
      await Promise.all(children.map((c) => c.succeeded()));
    } finally {
      for (const c of children) if (c.proc.exitCode === null) c.kill9();
    }
    const history = new History(`${w.name}-processes-${options.via}`);
    for (const c of children) history.merge(c.lines.filter((l) => l.startsWith('op ')).map((l) => History.parseLine(l.slice(3))));
    const engine = Engine.open(tmp.file);
    let verify: RunOutcome['verify'];
    try {
      await w.final(engineConn(engine, 'final'), history, params);
      const report = verifyDatabase(engine);
      verify = { ok: report.ok, lines: [`integrity_check: ${report.integrity.join('; ')}`, ...report.problems] };
    } finally {
      engine.close();
    }
    const historyFile = history.write();
    return { history, check: w.check(history.ops, params, { multiProcess: true }), wellFormed: checkWellFormed(history.ops), verify, historyFile, ms: Date.now() - started };
  } finally {
    tmp.dispose();
  }
}
