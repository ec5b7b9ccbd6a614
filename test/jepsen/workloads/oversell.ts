/**
 * oversell: many products with little stock (1-5), each wanted by 2-16
 * one-unit `submit_order` calls, every call its own client, all at once.
 */
import { checkOversell, type OversellFinal } from '../checkers.js';
import { complete, fqlExpr, lit, num, refId, Rng } from '../conn.js';
import type { Workload, WorkloadParams } from '../workload.js';
import type { Json, JsonObject } from '../../../shared/fql/json.js';

interface Plan {
  stock: Record<string, number>;
  orders: { product: string; customer: string }[];
}

const CUSTOMERS = ['101', '102', '103'];

export function oversellPlan(p: WorkloadParams): Plan {
  const rng = new Rng(p.seed ^ 0x5eed);
  const products = p.soak ? 40 : 12;
  const stock: Record<string, number> = {};
  const orders: Plan['orders'] = [];
  for (let i = 0; i < products; i++) {
    const product = String(5001 + i);
    stock[product] = rng.int(1, 5);
    const demand = rng.int(2, 16);
    for (let n = 0; n < demand; n++) orders.push({ product, customer: CUSTOMERS[n % CUSTOMERS.length]! });
  }
  return { stock, orders: rng.shuffle(orders) };
}

export const oversell: Workload = {
  name: 'oversell',
  sample: true,
  setup(p) {
    const { stock } = oversellPlan(p);
    const creates = Object.entries(stock).map(
      ([id, qty]) =>
        `Create(Ref(Collection("products"), ${lit(id)}), { data: { name: ${lit(`product ${id}`)}, description: "scarce", price: 1.5, quantity: ${qty}, store: Ref(Collection("stores"), "301"), backorderLimit: 0, backordered: false } })`,
    );
    return `Do(${creates.join(',\n')})`;
  },
  clients: (p) => oversellPlan(p).orders.length,
  async client({ id, process, conn, history, params }) {
    const order = oversellPlan(params).orders[id]!;
    const value = { product: order.product, quantity: 1, customer: order.customer };
    const expr = fqlExpr(`Call(Function("submit_order"), ${lit(order.customer)}, [{ productId: ${lit(order.product)}, quantity: 1 }])`);
    await history.run(process, 'order', value, async () => complete(await conn.query(expr), (r) => ({ ...value, order: refId((r as JsonObject).ref!) })));
  },
  async final(conn, history, p) {
    const ids = Object.keys(oversellPlan(p).stock);
    const expr = fqlExpr(`{
      stock: Map(${JSON.stringify(ids)}, Lambda("id", [Var("id"), Select(["data", "quantity"], Get(Ref(Collection("products"), Var("id"))))])),
      lines: Map(Paginate(Documents(Collection("orders")), { size: 100000 }), Lambda("r", Select(["data", "line"], Get(Var("r")))))
    }`);
    await history.run('final', 'final', null, async () =>
      complete(await conn.query(expr), (r): OversellFinal => {
        const o = r as JsonObject;
        const stock: Record<string, number> = {};
        for (const pair of o.stock as Json[]) {
          const [id, qty] = pair as [string, Json];
          stock[id] = num(qty);
        }
        const sold: Record<string, number> = {};
        for (const lines of (o.lines as JsonObject).data as Json[][]) {
          for (const line of lines as JsonObject[]) {
            const product = refId(line.product!);
            sold[product] = (sold[product] ?? 0) + num(line.quantity);
          }
        }
        return { stock, sold };
      }),
    );
  },
  check: (ops, p) => checkOversell(ops, { initial: oversellPlan(p).stock }),
};
