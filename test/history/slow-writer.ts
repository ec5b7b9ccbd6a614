/**
 * A slow write transaction in another process, for findings.test.ts: opens
 * its own Engine on FILE, prints `ready`, waits for `go`, prints `begin`,
 * then runs one query that increments the counter first and computes for a
 * while before it commits; prints `done <commit ts>`.
 *
 * Usage: slow-writer.ts FILE
 */
import { Engine } from '../../electron/engine/engine.js';
import { waitForStdinLine } from '../helpers/child.js';
import { fqlExpr } from '../jepsen/conn.js';

const [file] = process.argv.slice(2);
const engine = Engine.open(file!);
const list = `[${Array.from({ length: 1500 }, (_, i) => i).join(', ')}]`;
const slow = fqlExpr(`Do(
  Let({d: Get(Ref(Collection("counters"), "1"))}, Update(Select("ref", Var("d")), {data: {n: Add(Select(["data", "n"], Var("d")), 1)}})),
  Count(Map(${list}, Lambda("x", Count(Map(${list}, Lambda("y", Add(Var("x"), Var("y")))))))))`);
process.stdout.write('ready\n');
await waitForStdinLine((l) => l === 'go');
process.stdout.write('begin\n');
const r = engine.query(slow, { origin: `process:${process.pid}` });
if (!r.ok) throw new Error(`${r.error.code}: ${r.error.description}`);
process.stdout.write(`done ${r.ts}\n`);
engine.close();
