/**
 * submit_order with 3 lines, in process: the engine running the stored FQL
 * function vs hand-written SQL doing the same reads and writes on JSON
 * documents with prepared statements, keeping the same indexes up to date
 * (as SQL expression indexes). Rounds alternate between the two so that
 * disk-sync noise falls on both alike.
 */
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { Engine } from '../../electron/engine/engine.js';
import { parseFql } from '../../electron/engine/parse/index.js';
import { provisionSampleStore, SAMPLE_CUSTOMERS, SAMPLE_PRODUCTS } from '../../electron/sample/sample-store.js';
import type { Json } from '../../shared/fql/json.js';
import { alternateRounds, baselineDb, ratio, type BenchOptions, type CaseResult } from '../harness.js';

export const ORDER_LINES = ['204', '206', '208'];

/** A sample store whose products have stock enough for any benchmark. */
export function benchStore(file: string): Engine {
  const engine = Engine.open(file);
  const r = provisionSampleStore(engine, 'bench');
  if (!r.ok) throw new Error(r.error.description);
  const restock = parseFql('Foreach(Paginate(Documents(Collection("products"))), Lambda("r", Update(Var("r"), {data: {quantity: 1000000000}})))')[0]!.expr;
  const x = engine.query(restock);
  if (!x.ok) throw new Error(x.error.description);
  return engine;
}

export function submitOrderExpr(customer = '101'): Json {
  const lines = ORDER_LINES.map((id) => `{productId: "${id}", quantity: 1}`).join(', ');
  return parseFql(`Call(Function("submit_order"), "${customer}", [${lines}])`)[0]!.expr;
}

/**
 * The SQL indexes a hand-written store needs for the same screens as the
 * sample store's FQL indexes (sample-store.ts): products by name and by
 * store, customers by name, orders newest first, by customer and by status.
 * Each is an expression index on the JSON, limited to its collection, so
 * SQLite maintains it on every write as the engine maintains its entries.
 */
const BASELINE_INDEXES = `
CREATE INDEX all_products ON docs (json_extract(body, '$.name'), id) WHERE coll = 'products';
CREATE INDEX products_by_store ON docs (json_extract(body, '$.store'), json_extract(body, '$.name'), id) WHERE coll = 'products';
CREATE INDEX all_customers ON docs (json_extract(body, '$.lastName'), json_extract(body, '$.firstName'), id) WHERE coll = 'customers';
CREATE INDEX all_orders ON docs (json_extract(body, '$.creationDate') DESC, id) WHERE coll = 'orders';
CREATE INDEX orders_by_customer ON docs (json_extract(body, '$.customer'), json_extract(body, '$.creationDate') DESC, id) WHERE coll = 'orders';
CREATE INDEX orders_by_status ON docs (json_extract(body, '$.status'), json_extract(body, '$.creationDate') DESC, id) WHERE coll = 'orders';
`;

/** The baseline schema and data: one table of JSON documents, with the store's indexes. */
export function baselineStore(file: string): Database.Database {
  const db = baselineDb(file);
  db.exec('CREATE TABLE docs (coll TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (coll, id)) WITHOUT ROWID');
  db.exec(BASELINE_INDEXES);
  const put = db.prepare('INSERT INTO docs (coll, id, body) VALUES (?, ?, ?)');
  db.transaction(() => {
    for (const p of SAMPLE_PRODUCTS) put.run('products', p.id, JSON.stringify({ name: p.name, description: p.description, price: p.price, quantity: 1e9, store: p.store, backorderLimit: p.backorderLimit, backordered: false }));
    for (const c of SAMPLE_CUSTOMERS) {
      put.run('customers', c.id, JSON.stringify({ firstName: c.first, lastName: c.last, address: { street: c.street, city: 'Washington', state: 'DC', zipCode: c.zip }, telephone: c.telephone, creditCard: { network: 'Visa', number: c.card } }));
    }
  })();
  return db;
}

/**
 * The hand-written transaction: read customer and products, check stock,
 * update, insert the order. `commitTime`, when given, accumulates the
 * nanoseconds spent in COMMIT.
 */
export function baselineSubmit(db: Database.Database, commitTime?: { ns: bigint }): (n: number) => void {
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const get = db.prepare('SELECT body FROM docs WHERE coll = ? AND id = ?').pluck();
  const put = db.prepare('INSERT INTO docs (coll, id, body) VALUES (?, ?, ?) ON CONFLICT(coll, id) DO UPDATE SET body = excluded.body');
  let next = 0;
  return () => {
    begin.run();
    const customer = JSON.parse(get.get('customers', '101') as string) as { address: unknown; creditCard: unknown };
    const products = ORDER_LINES.map((id) => ({ id, doc: JSON.parse(get.get('products', id) as string) as { quantity: number; price: number; backorderLimit: number; backordered: boolean } }));
    for (const p of products) if (p.doc.quantity < 1) throw new Error('out of stock');
    const line = products.map((p) => {
      p.doc.quantity -= 1;
      p.doc.backordered = p.doc.backordered || p.doc.quantity <= p.doc.backorderLimit;
      put.run('products', p.id, JSON.stringify(p.doc));
      return { product: p.id, quantity: 1, price: p.doc.price };
    });
    put.run('orders', String(++next), JSON.stringify({ customer: '101', line, status: 'processing', creationDate: new Date().toISOString(), shipAddress: customer.address, creditCard: customer.creditCard }));
    if (commitTime === undefined) commit.run();
    else {
      const t = process.hrtime.bigint();
      commit.run();
      commitTime.ns += process.hrtime.bigint() - t;
    }
  };
}

export function runSubmitOrder(options: BenchOptions): CaseResult {
  const n = options.quick ? 1050 : 3150;
  const rounds = 7;
  const engine = benchStore(join(options.dir, 'submit-engine.db'));
  const db = baselineStore(join(options.dir, 'submit-baseline.db'));
  const expr = submitOrderExpr();
  const runEngine = (): void => {
    const r = engine.query(expr, { origin: 'bench' });
    if (!r.ok) throw new Error(r.error.description);
  };
  const runBaseline = baselineSubmit(db);
  const [engineUs, baselineUs] = alternateRounds(n, rounds, runEngine, runBaseline);
  // The baseline's order indexes hold every order it wrote (they are maintained, not decorative).
  const indexed = db.prepare("SELECT count(*) FROM docs INDEXED BY orders_by_status WHERE coll = 'orders' AND json_extract(body, '$.status') = 'processing'").pluck().get() as number;
  const orders = db.prepare("SELECT count(*) FROM docs WHERE coll = 'orders'").pluck().get() as number;
  if (indexed !== orders || orders === 0) throw new Error(`baseline index holds ${indexed} of ${orders} orders`);
  engine.close();
  db.close();
  return { engine: engineUs, baseline: baselineUs, ratio: ratio(engineUs, baselineUs), unit: 'µs/order', notes: { 'engine orders/s': Math.round(1e6 / engineUs), 'baseline orders/s': Math.round(1e6 / baselineUs) } };
}
