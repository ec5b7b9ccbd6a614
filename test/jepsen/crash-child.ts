/**
 * The process that gets killed: loads, waits for `go <ms>` on stdin (so the
 * parent can start it ahead of time without it touching the file), opens the file
 * (an Engine, or an EngineHost with its worker), prints `ready`, then commits write transactions in a loop
 * until it is killed. Transaction i creates a group of documents
 * {txn: i, member: j, size} and sets the counter to i — after checking the
 * counter was i - 1 — all atomically. Every op goes to stdout as
 * `op <json>` (a history line); the `ok` line is the acknowledgement, printed
 * only after the commit returned. At its first acknowledged commit it starts
 * a process that kills it with SIGKILL <ms> milliseconds later: a kill from
 * outside, at a random moment of the loop (mid-commit, even when the commit
 * runs synchronously on this thread), and on time whatever the parent is busy with.
 *
 * Usage: crash-child.ts '{"file": ..., "via": "engine"|"host", "seed": n, "process": "w3"}'
 */
import { spawn } from 'node:child_process';
import { Engine } from '../../electron/engine/engine.js';
import { EngineHost } from '../../electron/host/engine-host.js';
import { waitForStdinLine } from '../helpers/child.js';
import { complete, engineConn, fqlExpr, hostConn, num, Rng, type Conn } from './conn.js';
import { History } from './history.js';

const config = JSON.parse(process.argv[2]!) as { file: string; via: 'engine' | 'host'; seed: number; process: string };
const history = new History('crash', (op) => process.stdout.write(`op ${JSON.stringify(op)}\n`));
const rng = new Rng(config.seed);

let killAfterMs = 0;
await waitForStdinLine((l) => {
  const m = /^go (\d+)$/.exec(l);
  if (m === null) return false;
  killAfterMs = Number(m[1]);
  return true;
});
let conn: Conn;
if (config.via === 'engine') {
  conn = engineConn(Engine.open(config.file), `crash:${config.process}`);
} else {
  conn = hostConn(await EngineHost.start({ file: config.file, pollMs: 5000 }), `crash:${config.process}`);
}

const counterRead = await conn.query(fqlExpr('Select(["data", "n"], Get(Ref(Collection("counters"), "1")))'));
if (!counterRead.ok) throw new Error(`cannot read the counter: ${counterRead.error.description}`);
let n = num(counterRead.resource);
const firstN = n;
process.stdout.write('ready\n');

for (;;) {
  const txn = n + 1;
  const size = rng.int(1, 12);
  const pad = 'x'.repeat(rng.int(0, 1500));
  const members = Array.from({ length: size }, (_, j) => `Create(Collection("groups"), { data: { txn: ${txn}, member: ${j}, size: ${size}, pad: "${pad}" } })`);
  const expr = fqlExpr(`
    If(Equals(Select(["data", "n"], Get(Ref(Collection("counters"), "1"))), ${n}),
      Do(${members.join(', ')}, Update(Ref(Collection("counters"), "1"), { data: { n: ${txn} } }), ${txn}),
      Abort("the counter moved: another writer?"))`);
  const op = await history.run(config.process, 'txn', { txn, size }, async () => complete(await conn.query(expr), () => ({ txn, size })));
  if (op.type !== 'ok') {
    process.stderr.write(`transaction ${txn} did not commit: ${JSON.stringify(op.error)}\n`);
    process.exit(2);
  }
  if (n === firstN) spawn('/bin/sh', ['-c', `sleep ${(killAfterMs / 1000).toFixed(3)}; kill -9 ${process.pid}`], { detached: true, stdio: 'ignore' }).unref();
  n = txn;
}
