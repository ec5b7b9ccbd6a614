/**
 * unique: for each round, every client calls get-or-create for the same key
 * (through a unique index), then a blind Create of another shared key.
 */
import { checkUnique, type UniqueFinal } from '../checkers.js';
import { complete, fqlExpr, lit, refId } from '../conn.js';
import type { Workload } from '../workload.js';
import type { Json, JsonObject } from '../../../shared/fql/json.js';

const rounds = (soak: boolean): number => (soak ? 20 : 2);

export const unique: Workload = {
  name: 'unique',
  sample: false,
  setup: () => `
CreateCollection({ name: "things" })
CreateIndex({ name: "things_by_key", source: Collection("things"), terms: [{ field: ["data", "key"] }], unique: true })`,
  clients: () => 30,
  async client({ id, process, conn, history, params }) {
    for (let r = 0; r < rounds(params.soak); r++) {
      const key = `k${r}`;
      const getOrCreate = fqlExpr(`
        Let({ m: Match(Index("things_by_key"), ${lit(key)}) },
          If(IsEmpty(Var("m")),
            Create(Collection("things"), { data: { key: ${lit(key)}, by: ${id} } }),
            Get(Var("m"))))`);
      await history.run(process, 'get-or-create', { key }, async () => complete(await conn.query(getOrCreate), (d) => ({ key, id: refId((d as JsonObject).ref!) })));
      const blind = `b${r}`;
      const create = fqlExpr(`Create(Collection("things"), { data: { key: ${lit(blind)}, by: ${id} } })`);
      await history.run(process, 'create', { key: blind }, async () => complete(await conn.query(create), (d) => ({ key: blind, id: refId((d as JsonObject).ref!) })));
    }
  },
  async final(conn, history) {
    // Read every document (not through the index under test).
    const expr = fqlExpr('Map(Paginate(Documents(Collection("things")), { size: 100000 }), Lambda("r", [Select(["data", "key"], Get(Var("r"))), Select("id", Var("r"))]))');
    await history.run('final', 'final', null, async () =>
      complete(await conn.query(expr), (r): UniqueFinal => {
        const docs: Record<string, string[]> = {};
        for (const row of (r as JsonObject).data as Json[]) {
          const [key, id] = row as [string, string];
          (docs[key] ??= []).push(id);
        }
        return { docs };
      }),
    );
  },
  check: (ops) => checkUnique(ops),
};
