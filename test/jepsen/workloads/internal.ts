/**
 * internal: one query creates, updates, deletes and reads documents — by ref
 * and through an index (Create then Paginate(Match(...)) in one Let) — and
 * every read must see exactly the query's own earlier writes, in evaluation
 * order. Each query uses keys of its own, so other clients' queries, running
 * at the same time, must not show through either.
 */
import { checkInternal, isRead, type InternalFinal, type Step } from '../checkers.js';
import { complete, fqlExpr, lit, num, type Rng } from '../conn.js';
import type { Workload } from '../workload.js';
import type { Json, JsonObject } from '../../../shared/fql/json.js';

const VALUES = [-3, -2, -1, 0, 1, 2, 3, -1.5, 0.5, 2.5];

/** FQL text for a value: doubles keep a fraction, so 2.5 stays a Double and 2 an Integer. */
const valueText = (v: number): string => String(v);

export function randomSteps(rng: Rng, keys: string[]): Step[] {
  const n = rng.int(4, 14);
  const steps: Step[] = [];
  const creates: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    if (creates.length === 0 || r < 0.3) {
      steps.push({ k: 'create', key: rng.pick(keys), val: rng.pick(VALUES) });
      creates.push(i);
    } else if (r < 0.4) steps.push({ k: 'update', target: rng.pick(creates), val: rng.pick(VALUES) });
    else if (r < 0.5) steps.push({ k: 'delete', target: rng.pick(creates) });
    else if (r < 0.65) steps.push({ k: 'get', target: rng.pick(creates) });
    else if (r < 0.9) steps.push({ k: 'match', key: rng.pick(keys) });
    else steps.push({ k: 'count', key: rng.pick(keys) });
  }
  return steps;
}

function stepText(s: Step): string {
  const v = (i: number): string => `Var("s${i}")`;
  switch (s.k) {
    case 'create':
      return `Select("ref", Create(Collection("cells"), { data: { key: ${lit(s.key)}, val: ${valueText(s.val)} } }))`;
    case 'update':
      return `If(Exists(${v(s.target)}), Update(${v(s.target)}, { data: { val: ${valueText(s.val)} } }), null)`;
    case 'delete':
      return `If(Exists(${v(s.target)}), Delete(${v(s.target)}), null)`;
    case 'get':
      return `If(Exists(${v(s.target)}), Select(["data", "val"], Get(${v(s.target)})), null)`;
    case 'match':
      return `Select("data", Paginate(Match(Index("cells_by_key"), ${lit(s.key)}), { size: 1000 }))`;
    case 'count':
      return `Count(Match(Index("cells_by_key"), ${lit(s.key)}))`;
  }
}

/** One query: Let([{s0: step0}, {s1: step1}, ...], [the read steps' results]) — bindings evaluate in order. */
export function stepsQuery(steps: readonly Step[]): Json {
  const bindings: Json[] = steps.map((s, i) => {
    const b = Object.create(null) as JsonObject;
    b[`s${i}`] = fqlExpr(stepText(s));
    return b;
  });
  const reads: Json[] = [];
  steps.forEach((s, i) => {
    if (isRead(s)) reads.push(fqlExpr(`Var("s${i}")`));
  });
  const q = Object.create(null) as JsonObject;
  q.let = bindings;
  q.in = reads;
  return q;
}

const plainNumbers = (v: Json): unknown => (Array.isArray(v) ? v.map(plainNumbers) : v === null ? null : num(v));

export const internal: Workload = {
  name: 'internal',
  sample: false,
  setup: () => `
CreateCollection({ name: "cells" })
CreateIndex({ name: "cells_by_key", source: Collection("cells"), terms: [{ field: ["data", "key"] }], values: [{ field: ["data", "val"] }] })`,
  clients: (p) => (p.soak ? 16 : 8),
  async client({ process, conn, history, rng, params }) {
    const ops = params.soak ? 150 : 15;
    for (let n = 0; n < ops; n++) {
      const keys = [`${process}.${n}.a`, `${process}.${n}.b`];
      const steps = randomSteps(rng, keys);
      const expr = stepsQuery(steps);
      await history.run(process, 'txn', { steps }, async () => complete(await conn.query(expr), (r) => ({ steps, observed: (r as Json[]).map(plainNumbers) })));
    }
  },
  async final(conn, history) {
    const expr = fqlExpr('Map(Paginate(Documents(Collection("cells")), { size: 100000 }), Lambda("r", Let({ d: Get(Var("r")) }, [Select(["data", "key"], Var("d")), Select(["data", "val"], Var("d"))])))');
    await history.run('final', 'final', null, async () =>
      complete(await conn.query(expr), (r): InternalFinal => ({ cells: ((r as JsonObject).data as Json[]).map((row) => [(row as Json[])[0] as string, num((row as Json[])[1])]) })),
    );
  },
  check: (ops) => checkInternal(ops),
};
