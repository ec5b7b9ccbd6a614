/**
 * Another process writing to the same file: opens its own Engine, waits for
 * `go`, commits `count` transactions (each creates one note), printing
 * `commit {"ts": ..., "id": ...}` after each, then `done`.
 *
 * Usage: writer-process.ts FILE COUNT
 */
import { Engine } from '../../electron/engine/engine.js';
import { waitForStdinLine } from '../helpers/child.js';
import { fqlExpr, refId } from './conn.js';
import type { JsonObject } from '../../shared/fql/json.js';

const [file, count] = process.argv.slice(2);
const engine = Engine.open(file!);
process.stdout.write('ready\n');
await waitForStdinLine((l) => l === 'go');
for (let i = 0; i < Number(count); i++) {
  const r = engine.query(fqlExpr(`Create(Collection("notes"), { data: { from: ${process.pid}, i: ${i} } })`), { origin: `process:${process.pid}` });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.description}`);
  process.stdout.write(`commit ${JSON.stringify({ ts: r.ts.toString(), id: refId((r.resource as JsonObject).ref!) })}\n`);
}
engine.close();
process.stdout.write('done\n');
