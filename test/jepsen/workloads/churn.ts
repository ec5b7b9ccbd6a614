/**
 * churn: many documents, and clients that keep updating, deleting and
 * creating them — the background for an index build (index-build.test.ts).
 * Every write either succeeds or finds its document already deleted.
 */
import type { CheckResult } from '../checkers.js';
import { complete, fqlExpr, lit } from '../conn.js';
import { pairs } from '../history.js';
import type { Workload } from '../workload.js';

/** More than SYNC_BUILD_LIMIT (10 000), so that a new index is built in the background. */
export const CHURN_DOCS = 12_000;
const BATCH = 1000;

export const churn: Workload = {
  name: 'churn',
  sample: false,
  setup() {
    const statements = ['CreateCollection({ name: "items" })'];
    for (let from = 0; from < CHURN_DOCS; from += BATCH) {
      const ids = JSON.stringify(Array.from({ length: BATCH }, (_, i) => from + i + 1));
      statements.push(`Foreach(${ids}, Lambda("i", Create(Ref(Collection("items"), ToString(Var("i"))), { data: { n: Var("i"), g: Modulo(Var("i"), 10) } })))`);
    }
    return statements.join('\n');
  },
  clients: () => 4,
  async client({ id, process, conn, history, rng, params }) {
    const ops = params.soak ? 2000 : 300;
    for (let k = 0; k < ops; k++) {
      const r = rng.next();
      const target = lit(String(rng.int(1, CHURN_DOCS)));
      if (r < 0.6) {
        const g = rng.int(0, 12);
        await history.run(process, 'update', { id: target, g }, async () => complete(await conn.query(fqlExpr(`Update(Ref(Collection("items"), ${target}), { data: { g: ${g} } })`)), () => ({ id: target, g })));
      } else if (r < 0.8) {
        await history.run(process, 'delete', { id: target }, async () => complete(await conn.query(fqlExpr(`If(Exists(Ref(Collection("items"), ${target})), Delete(Ref(Collection("items"), ${target})), null)`)), () => ({ id: target })));
      } else {
        const newId = lit(String(100_000 + id * 10_000 + k));
        const g = rng.int(0, 12);
        await history.run(process, 'create', { id: newId, g }, async () => complete(await conn.query(fqlExpr(`Create(Ref(Collection("items"), ${newId}), { data: { n: -1, g: ${g} } })`)), () => ({ id: newId, g })));
      }
    }
  },
  async final() {
    // The index verifier is the check.
  },
  check(ops): CheckResult {
    const errors: string[] = [];
    let ok = 0;
    for (const p of pairs(ops)) {
      const c = p.complete;
      if (c?.type === 'ok') ok++;
      else if (!(p.invoke.f === 'update' && c?.type === 'fail' && c.error?.code === 'instance not found')) errors.push(`#${p.invoke.index} ${p.invoke.f} ${JSON.stringify(p.invoke.value)}: ${c ? `${c.type} ${JSON.stringify(c.error)}` : 'no completion'}`);
    }
    return { valid: errors.length === 0, errors, stats: { ok } };
  },
};
