/**
 * One OS process running some clients of the monotonic workload against a
 * shared file — test/jepsen/client-process.ts for a workload that is not (yet)
 * in test/jepsen/workloads/index.ts. Opens its own Engine (or EngineHost),
 * prints `ready`, waits for `go`, runs its clients streaming every history op
 * as `op <json>`, and prints `done`.
 *
 * Usage: monotonic-process.ts '<json ClientProcessConfig>'
 */
import { Engine } from '../../electron/engine/engine.js';
import { EngineHost } from '../../electron/host/engine-host.js';
import { waitForStdinLine } from '../helpers/child.js';
import type { ClientProcessConfig } from '../jepsen/client-process.js';
import { engineConn, hostConn, Rng, type Conn } from '../jepsen/conn.js';
import { History } from '../jepsen/history.js';
import { monotonic } from '../jepsen/workloads/monotonic.js';

const config = JSON.parse(process.argv[2]!) as ClientProcessConfig;
if (config.workload !== monotonic.name) throw new Error(`this process runs only ${monotonic.name}, not ${config.workload}`);

const history = new History(monotonic.name, (op) => process.stdout.write(`op ${JSON.stringify(op)}\n`));
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
    monotonic.client({ id, process: `c${id}`, conn: connFor(id), history, rng: new Rng(config.params.seed * 7919 + id), params: config.params }),
  ),
);

engine?.close();
await host?.close();
process.stdout.write('done\n');
