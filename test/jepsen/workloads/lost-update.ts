/**
 * lost update: every client appends its own elements to one document's array
 * by reading it and writing it back with one more element, in one query; and
 * reads the array now and then.
 */
import { checkLostUpdate } from '../checkers.js';
import { complete, fqlExpr } from '../conn.js';
import type { Workload } from '../workload.js';
import type { Json } from '../../../shared/fql/json.js';

const LIST = 'Ref(Collection("lists"), "1")';
const READ = fqlExpr(`Select(["data", "items"], Get(${LIST}))`);

export const lostUpdate: Workload = {
  name: 'lost-update',
  sample: false,
  setup: () => `
CreateCollection({ name: "lists" })
Create(${LIST}, { data: { items: [] } })`,
  clients: (p) => (p.soak ? 16 : 8),
  async client({ id, process, conn, history, rng, params }) {
    const ops = params.soak ? 300 : 30;
    let next = 0;
    for (let n = 0; n < ops; n++) {
      if (rng.next() < 0.7) {
        const element = id * 100_000 + next++;
        const expr = fqlExpr(
          `Let({ d: Get(${LIST}) }, Update(Select("ref", Var("d")), { data: { items: Append([${element}], Select(["data", "items"], Var("d"))) } }))`,
        );
        await history.run(process, 'append', { element }, async () => complete(await conn.query(expr), () => ({ element })));
      } else {
        await history.run(process, 'read', null, async () => complete(await conn.query(READ), (r) => ({ items: r as Json[] })));
      }
    }
  },
  async final(conn, history) {
    await history.run('final', 'final', null, async () => complete(await conn.query(READ), (r) => ({ items: r as Json[] })));
  },
  check: (ops, _p, c) => checkLostUpdate(ops, { slackMs: c.multiProcess ? 2 : 0 }),
};
