/**
 * A point Get by ref vs SELECT of the JSON document by key and JSON.parse;
 * and parse + evaluate of a small Shell query from text vs the same read.
 */
import { join } from 'node:path';
import { runText } from '../../electron/engine/text-query.js';
import { parseFql } from '../../electron/engine/parse/index.js';
import { alternateRounds, ratio, type BenchOptions, type CaseResult } from '../harness.js';
import { baselineStore, benchStore } from './submit-order.js';

const ROUNDS = 7;

export function runPointGet(options: BenchOptions): { get: CaseResult; shell: CaseResult } {
  const n = options.quick ? 70_000 : 210_000;
  const engine = benchStore(join(options.dir, 'get-engine.db'));
  const db = baselineStore(join(options.dir, 'get-baseline.db'));
  const expr = parseFql('Get(Ref(Collection("products"), "201"))')[0]!.expr;
  const select = db.prepare('SELECT body FROM docs WHERE coll = ? AND id = ?').pluck();
  let sink: unknown;
  const [e, b] = alternateRounds(
    n,
    ROUNDS,
    () => {
      const r = engine.query(expr);
      if (!r.ok) throw new Error(r.error.description);
      sink = r.value;
    },
    () => {
      sink = JSON.parse(select.get('products', '201') as string);
    },
  );
  const text = 'Select(["data", "name"], Get(Ref(Collection("products"), "201")))';
  const [s, sb] = alternateRounds(
    Math.ceil(n / 10),
    ROUNDS,
    () => {
      const [r] = runText(engine, text);
      if (!r || !r.ok) throw new Error('shell query failed');
      sink = r.resource;
    },
    () => {
      sink = (JSON.parse(select.get('products', '201') as string) as { name: string }).name;
    },
  );
  void sink;
  engine.close();
  db.close();
  return {
    get: { engine: e, baseline: b, ratio: ratio(e, b), unit: 'µs/get' },
    shell: { engine: s, baseline: sb, ratio: ratio(s, sb), unit: 'µs/query', notes: { query: text } },
  };
}
