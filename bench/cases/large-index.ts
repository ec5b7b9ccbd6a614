/**
 * A large collection (1 M documents; 100 k with --quick): building an index
 * over it, then reading the whole index with Paginate in pages of 1 000,
 * each against hand-written SQL doing the same over the same data: an
 * INSERT ... SELECT json_extract(...) into a (value, id) table, and keyset
 * pagination over it.
 */
import { join } from 'node:path';
import { Engine } from '../../electron/engine/engine.js';
import type { Page } from '../../electron/engine/values/value.js';
import { toWire } from '../../electron/engine/wire/encode.js';
import { newJsonObject, type Json, type JsonObject } from '../../shared/fql/json.js';
import { baselineDb, ratio, type BenchOptions, type CaseResult } from '../harness.js';

const BATCH = 5000;

/** A deterministic value for document i: negatives, zero and positives, spread out. */
function valueOf(i: number): number {
  return ((i * 7919) % 2_000_003) - 1_000_000;
}

function obj(entries: [string, Json][]): JsonObject {
  const o = newJsonObject();
  for (const [k, v] of entries) o[k] = v;
  return o;
}

function loadEngine(engine: Engine, total: number): void {
  const r = engine.query(obj([['create_collection', obj([['object', obj([['name', 'items'], ['history_days', 0n]])]])]]));
  if (!r.ok) throw new Error(r.error.description);
  for (let start = 0; start < total; start += BATCH) {
    const docs: Json[] = [];
    for (let i = start; i < Math.min(total, start + BATCH); i++) docs.push(obj([['object', obj([['n', BigInt(valueOf(i))], ['name', `item ${i}`]])]]));
    const create = obj([['create', obj([['collection', 'items']])], ['params', obj([['object', obj([['data', obj([['var', 'd']])]])]])]]);
    const q = obj([['foreach', obj([['lambda', 'd'], ['expr', create]])], ['collection', docs]]);
    const res = engine.query(q);
    if (!res.ok) throw new Error(res.error.description);
  }
}

export function runLargeIndex(options: BenchOptions): { build: CaseResult; paginate: CaseResult } {
  const total = options.quick ? 100_000 : 1_000_000;
  const engine = Engine.open(join(options.dir, 'large-engine.db'));
  loadEngine(engine, total);
  const db = baselineDb(join(options.dir, 'large-baseline.db'));
  db.exec('CREATE TABLE docs (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const put = db.prepare('INSERT INTO docs (id, body) VALUES (?, ?)');
  db.transaction(() => {
    for (let i = 0; i < total; i++) put.run(i + 1, JSON.stringify({ n: valueOf(i), name: `item ${i}` }));
  })();

  // Build.
  const createIndex = obj([
    [
      'create_index',
      obj([['object', obj([['name', 'items_by_n'], ['source', obj([['collection', 'items']])], ['values', [obj([['object', obj([['field', ['data', 'n']]])]]), obj([['object', obj([['field', ['ref']]])]])]]])]]),
    ],
  ]);
  let t = process.hrtime.bigint();
  const created = engine.query(createIndex);
  if (!created.ok) throw new Error(created.error.description);
  engine.finishBackgroundWork();
  const buildEngine = Number(process.hrtime.bigint() - t) / 1e6;
  t = process.hrtime.bigint();
  db.exec('BEGIN IMMEDIATE; CREATE TABLE idx (n INTEGER NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (n, id)) WITHOUT ROWID; INSERT INTO idx (n, id) SELECT json_extract(body, \'$.n\'), id FROM docs; COMMIT;');
  const buildBaseline = Number(process.hrtime.bigint() - t) / 1e6;

  // Paginate everything in pages of 1000, each page its own query.
  t = process.hrtime.bigint();
  let seen = 0;
  let after: Json | undefined;
  const match = obj([['match', obj([['index', 'items_by_n']])]]);
  for (;;) {
    const q = obj([['paginate', match], ['size', 1000n]]);
    if (after !== undefined) q.after = after;
    const r = engine.query(q);
    if (!r.ok) throw new Error(r.error.description);
    // The page as the engine's values, as the baseline reads rows; only the cursor
    // goes to the wire form, to be sent back with the next query.
    const page = r.value as Page;
    seen += page.data.length;
    if (page.after === undefined) break;
    after = toWire(page.after);
  }
  const pageEngine = Number(process.hrtime.bigint() - t) / 1e6;
  if (seen !== total) throw new Error(`engine paginated ${seen} of ${total}`);

  t = process.hrtime.bigint();
  const first = db.prepare('SELECT n, id FROM idx ORDER BY n, id LIMIT 1000').raw();
  const next = db.prepare('SELECT n, id FROM idx WHERE (n, id) > (?, ?) ORDER BY n, id LIMIT 1000').raw();
  let rows = first.all() as [number, number][];
  let count = rows.length;
  while (rows.length === 1000) {
    const last = rows[rows.length - 1]!;
    rows = next.all(last[0], last[1]) as [number, number][];
    count += rows.length;
  }
  const pageBaseline = Number(process.hrtime.bigint() - t) / 1e6;
  if (count !== total) throw new Error(`baseline paginated ${count} of ${total}`);
  engine.close();
  db.close();
  return {
    build: { engine: buildEngine, baseline: buildBaseline, ratio: ratio(buildEngine, buildBaseline), unit: `ms for ${total} docs` },
    paginate: { engine: pageEngine, baseline: pageBaseline, ratio: ratio(pageEngine, pageBaseline), unit: `ms for ${total} entries`, notes: { pages: Math.ceil(total / 1000) } },
  };
}
