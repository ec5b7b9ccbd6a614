/**
 * A writer in another process, for the retention test: opens its own Engine
 * on FILE, prints `ready`, waits for `go`, then increments a counter
 * document as fast as it can until it reads `stop` on stdin (or MAX_MS
 * passes), timing each transaction (`commit [startMs, endMs]` after each). Prints `result {"commits", "maxMs",
 * "p99Ms", "failures"}` and exits.
 *
 * Usage: latency-writer.ts FILE MAX_MS
 */
import { createInterface } from 'node:readline';
import { Engine } from '../../electron/engine/engine.js';
import { fqlExpr } from '../jepsen/conn.js';
import { now } from '../jepsen/history.js';

const [file, maxMs] = process.argv.slice(2);
const engine = Engine.open(file!);
const bump = fqlExpr('Let({d: Get(Ref(Collection("counter"), "1"))}, Update(Select("ref", Var("d")), {data: {n: Add(Select(["data", "n"], Var("d")), 1)}}))');

let go = false;
let stop = false;
const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  if (line === 'go') go = true;
  if (line === 'stop') stop = true;
});
process.stdout.write('ready\n');
while (!go) await new Promise((r) => setTimeout(r, 1));

const durations: number[] = [];
let failures = 0;
const until = Date.now() + Number(maxMs);
while (!stop && Date.now() < until) {
  const t0 = now();
  const r = engine.query(bump, { origin: `process:${process.pid}` });
  const t1 = now();
  durations.push(t1 - t0);
  // Start and end (ms) on the clock every process on this machine reads alike (jepsen/history.ts now()).
  process.stdout.write(`commit ${JSON.stringify([t0, t1])}\n`);
  if (!r.ok) failures++;
  // Let stdin be read between transactions.
  await new Promise((r) => setImmediate(r));
}
rl.close();
process.stdin.destroy();
engine.close();
durations.sort((a, b) => a - b);
const p99 = durations[Math.floor(durations.length * 0.99)] ?? 0;
process.stdout.write(`result ${JSON.stringify({ commits: durations.length, maxMs: durations.at(-1) ?? 0, p99Ms: p99, failures })}\n`);
