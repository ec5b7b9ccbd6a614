/**
 * The pages workload's writer process: opens the database file given, then
 * creates groups from..to-1 (one transaction each, see pages-model.ts),
 * printing `committed <g>` after each commit and `done` at the end, pausing
 * `pauseMs` between groups so that readers overlap many commits.
 *
 * Usage: node --import tsx pages-writer.ts <file> <seed> <from> <to> [pauseMs]
 */
import { Engine } from '../../electron/engine/engine.js';
import { groupWrite } from './pages-model.js';

const [file, seedArg, fromArg, toArg, pauseArg] = process.argv.slice(2);
const seed = Number(seedArg);
const pauseMs = Number(pauseArg ?? 0);
const pause = new Int32Array(new SharedArrayBuffer(4));
const engine = Engine.open(file!);
try {
  for (let g = Number(fromArg); g < Number(toArg); g++) {
    let attempts = 0;
    while (true) {
      const r = engine.query(groupWrite(seed, g), { origin: 'pages-writer' });
      if (r.ok) break;
      // Another process holding the write lock surfaces as contention: retry.
      if (r.error.code === 'contended transaction' && ++attempts < 100) continue;
      process.stdout.write(`error ${g} ${JSON.stringify(r.error.toJSON())}\n`);
      process.exit(1);
    }
    process.stdout.write(`committed ${g}\n`);
    if (pauseMs > 0) Atomics.wait(pause, 0, 0, pauseMs);
  }
} finally {
  engine.close();
}
process.stdout.write('done\n');
