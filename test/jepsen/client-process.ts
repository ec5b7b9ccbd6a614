/**
 * One OS process running some of a workload's clients against a shared file.
 * Opens its own Engine (or EngineHost, with its own worker), prints `ready`,
 * waits for `go` on stdin (the start barrier), runs its clients, streaming
 * every history op as `op <json>`, and prints `done`.
 *
 * Usage: client-process.ts '<json config>' (see ClientProcessConfig)
 */
import { Engine } from '../../electron/engine/engine.js';
import { EngineHost } from '../../electron/host/engine-host.js';
import { waitForStdinLine } from '../helpers/child.js';
import { engineConn, hostConn, Rng, type Conn } from './conn.js';
import { History } from './history.js';
import { WORKLOADS } from './workloads/index.js';
import type { WorkloadParams } from './workload.js';

export interface ClientProcessConfig {
  workload: string;
  file: string;
  via: 'engine' | 'host';
  params: WorkloadParams;
  clientIds: number[];
}

const config = JSON.parse(process.argv[2]!) as ClientProcessConfig;
const workload = WORKLOADS[config.workload];
if (!workload) throw new Error(`unknown workload ${config.workload}`);

const history = new History(workload.name, (op) => process.stdout.write(`op ${JSON.stringify(op)}\n`));
let engine: Engine | null = null;
let host: EngineHost | null = null;
let connFor: (id: number) => Conn;
if (config.via === 'engine') {
  const e = Engine.open(config.file);
  engine = e;
  connFor = (id) => engineConn(e, `process:${process.pid}:client:${id}`);
} else {
  const h = await EngineHost.start({ file: config.file, pollMs: 1000 });
  host = h;
  connFor = (id) => hostConn(h, `process:${process.pid}:client:${id}`);
}

process.stdout.write('ready\n');
await waitForStdinLine((l) => l === 'go');

await Promise.all(
  config.clientIds.map((id) =>
    workload.client({ id, process: `c${id}`, conn: connFor(id), history, rng: new Rng(config.params.seed * 7919 + id), params: config.params }),
  ),
);

engine?.close();
await host?.close();
process.stdout.write('done\n');
