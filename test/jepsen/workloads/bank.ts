/**
 * bank: 8 accounts; clients transfer random amounts between them (the
 * transfer aborts on overdraft, in FQL — half the clients call it as a stored
 * function) and read all balances, by Get and through an index.
 */
import { checkBank, type BankRead } from '../checkers.js';
import { complete, fqlExpr, lit, num, refId, type Conn } from '../conn.js';
import type { History } from '../history.js';
import type { Workload } from '../workload.js';
import type { Json } from '../../../shared/fql/json.js';

export const ACCOUNTS = 8;
export const INITIAL_BALANCE = 10;
const ids = Array.from({ length: ACCOUNTS }, (_, i) => String(i + 1));

const transferBody = (from: string, to: string, amount: string): string => `
Let(
  {
    a: Get(Ref(Collection("accounts"), ${from})),
    b: Get(Ref(Collection("accounts"), ${to})),
    left: Subtract(Select(["data", "balance"], Var("a")), ${amount})
  },
  If(LT(Var("left"), 0),
    Abort("overdraft"),
    Do(
      Update(Select("ref", Var("a")), { data: { balance: Var("left") } }),
      Update(Select("ref", Var("b")), { data: { balance: Add(Select(["data", "balance"], Var("b")), ${amount}) } }),
      Var("left")
    )
  )
)`;

const READ_BY_GET = fqlExpr(`Map(${JSON.stringify(ids)}, Lambda("id", Select(["data", "balance"], Get(Ref(Collection("accounts"), Var("id"))))))`);
const READ_BY_INDEX = fqlExpr('Select("data", Paginate(Match(Index("balances")), { size: 100 }))');

async function readBalances(conn: Conn, via: 'get' | 'index'): Promise<ReturnType<typeof complete>> {
  const reply = await conn.query(via === 'get' ? READ_BY_GET : READ_BY_INDEX);
  return complete(reply, (resource, ts): BankRead & { ts: bigint } => {
    const rows = resource as Json[];
    if (via === 'get') return { via, balances: rows.map(num), ts };
    // [balance, ref] in balance order -> balances in account order (when every account appears once)
    const byId = new Map<string, number>();
    for (const row of rows) {
      const [balance, ref] = row as [Json, Json];
      byId.set(refId(ref), num(balance));
    }
    const whole = byId.size === ACCOUNTS && rows.length === ACCOUNTS && ids.every((id) => byId.has(id));
    return { via, balances: whole ? ids.map((id) => byId.get(id)!) : rows.map((r) => num((r as Json[])[0])), ts };
  });
}

export const bank: Workload = {
  name: 'bank',
  sample: false,
  setup: () => `
CreateCollection({ name: "accounts" })
CreateIndex({ name: "balances", source: Collection("accounts"), values: [{ field: ["data", "balance"] }, { field: ["ref"] }] })
CreateFunction({ name: "transfer", body: Query(Lambda(["from", "to", "amount"], ${transferBody('Var("from")', 'Var("to")', 'Var("amount")')})) })
Do(${ids.map((id) => `Create(Ref(Collection("accounts"), ${lit(id)}), { data: { balance: ${INITIAL_BALANCE} } })`).join(', ')})`,
  clients: (p) => (p.soak ? 16 : 8),
  async client({ id, process, conn, history, rng, params }) {
    const ops = params.soak ? 400 : 40;
    const viaFunction = id % 2 === 1;
    for (let n = 0; n < ops; n++) {
      if (rng.next() < 0.5) {
        const from = rng.int(0, ACCOUNTS - 1);
        let to = rng.int(0, ACCOUNTS - 2);
        if (to >= from) to++;
        const amount = rng.int(1, 15);
        const value = { from, to, amount };
        const expr = viaFunction
          ? fqlExpr(`Call(Function("transfer"), ${lit(ids[from]!)}, ${lit(ids[to]!)}, ${amount})`)
          : fqlExpr(transferBody(lit(ids[from]!), lit(ids[to]!), String(amount)));
        await history.run(process, 'transfer', value, async () => complete(await conn.query(expr), (_r, ts) => ({ ...value, ts })));
      } else {
        const via = rng.next() < 0.5 ? 'get' : 'index';
        await history.run(process, 'read', { via }, () => readBalances(conn, via));
      }
    }
  },
  async final(conn: Conn, history: History) {
    await history.run('final', 'read', { via: 'index' }, () => readBalances(conn, 'index'));
    await history.run('final', 'final', { via: 'get' }, () => readBalances(conn, 'get'));
  },
  check: (ops) => checkBank(ops, { accounts: ACCOUNTS, initial: ids.map(() => INITIAL_BALANCE) }),
};
