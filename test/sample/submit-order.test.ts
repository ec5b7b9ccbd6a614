/**
 * The tutorial's four submit_order cases from a fresh sample store, case 4
 * with two OS processes on one file, and the bad input a real store sees.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { provisionSampleStore } from '../../electron/sample/sample-store.js';
import type { Engine } from '../../electron/engine/engine.js';
import { isJsonObject, type Json } from '../../shared/fql/json.js';
import { fql, runFql, tempEngine } from '../helpers/engine.js';

const here = dirname(fileURLToPath(import.meta.url));

function fresh(): ReturnType<typeof tempEngine> {
  const t = tempEngine();
  const r = provisionSampleStore(t.engine);
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.error.toJSON()));
  return t;
}

function product(engine: Engine, id: string): { quantity: bigint; backordered: boolean } {
  const data = fql(engine, `Select("data", Get(Ref(Collection("products"), "${id}")))`) as { quantity: bigint; backordered: boolean };
  return data;
}

function allQuantities(engine: Engine): Json {
  return fql(engine, 'Map(Paginate(Documents(Collection("products"))), Lambda("r", Select(["data", "quantity"], Get(Var("r")))))');
}

function orderCount(engine: Engine): bigint {
  return fql(engine, 'Count(Documents(Collection("orders")))') as bigint;
}

/** The abort message inside a call error. */
function abortMessage(r: ReturnType<typeof runFql>[number]): string {
  assert.ok(!r.ok, 'expected the call to fail');
  const err = r.error.toJSON();
  assert.equal(err.code, 'call error');
  assert.equal(err.cause?.[0]?.code, 'transaction aborted');
  return err.cause![0]!.description;
}

const STOCK_MESSAGE = (id: string) => new RegExp(`^Stock quantity for Product \\[${id}\\] not enough – requested at \\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z\\]$`);

describe('submit_order: the tutorial cases', () => {
  test('cases 1-3 in order from a fresh sample store', () => {
    const t = fresh();
    try {
      const { engine } = t;
      // 1. a simple order
      const [r1] = runFql(engine, 'Call(Function("submit_order"), "101", [{productId: "204", quantity: 10}, {productId: "206", quantity: 5}, {productId: "208", quantity: 20}])');
      assert.ok(r1!.ok, r1!.ok ? '' : JSON.stringify(r1!.error.toJSON()));
      const order = (r1 as { resource: Json }).resource;
      assert.ok(isJsonObject(order) && isJsonObject(order.data));
      const data = order.data as Record<string, Json>;
      assert.equal(data.status, 'processing');
      assert.equal((data.line as Json[]).length, 3);
      assert.ok(isJsonObject(data.creationDate) && typeof data.creationDate['@ts'] === 'string');
      assert.equal('shipDate' in data, false);
      assert.deepEqual((data.creditCard as Record<string, Json>).number, '4556781272473393');
      assert.equal(product(engine, '204').quantity, 990n);
      assert.equal(product(engine, '206').quantity, 45n);
      assert.equal(product(engine, '208').quantity, 80n);
      assert.equal(product(engine, '206').backordered, false);

      // 2. an order that makes products backordered
      const [r2] = runFql(engine, 'Call(Function("submit_order"), "103", [{productId: "206", quantity: 40}, {productId: "203", quantity: 90}])');
      assert.ok(r2!.ok);
      assert.equal(product(engine, '206').quantity, 5n);
      assert.equal(product(engine, '206').backordered, true);
      assert.equal(product(engine, '203').quantity, 10n);
      assert.equal(product(engine, '203').backordered, true);
      assert.equal(product(engine, '204').backordered, false);

      // 3. insufficient stock: the message for 203 and nothing changes
      const before = allQuantities(engine);
      const ordersBefore = orderCount(engine);
      const [r3] = runFql(engine, 'Call(Function("submit_order"), "102", [{productId: "203", quantity: 15}, {productId: "202", quantity: 45}])');
      assert.match(abortMessage(r3!), STOCK_MESSAGE('203'));
      assert.deepEqual(allQuantities(engine), before);
      assert.equal(orderCount(engine), ordersBefore);
    } finally {
      t.dispose();
    }
  });

  const rounds = Number(process.env.STOCKROOM_RACE_ROUNDS ?? 5);
  test(`case 4: two OS processes order the last stock at the same moment (${rounds} rounds)`, async () => {
    for (let round = 0; round < rounds; round++) {
      const t = fresh();
      try {
        t.engine.close();
        const startAt = Date.now() + 1500;
        const run = (customer: string, qty: number) =>
          new Promise<{ ok: boolean; error?: { cause?: { description: string }[] } }>((resolve, reject) => {
            const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'order-client.ts'), t.file, customer, '201', String(qty), String(startAt)], { stdio: ['ignore', 'pipe', 'inherit'] });
            let out = '';
            child.stdout.on('data', (d: Buffer) => (out += d.toString()));
            child.on('error', reject);
            child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`order client exited ${code}: ${out}`))));
          });
        const [a, b] = await Promise.all([run('101', 70), run('102', 50)]);
        const okCount = [a, b].filter((r) => r.ok).length;
        assert.equal(okCount, 1, `round ${round}: exactly one order must succeed`);
        const failed = a.ok ? b : a;
        assert.match(failed.error!.cause![0]!.description, STOCK_MESSAGE('201'));
        const { Engine } = await import('../../electron/engine/engine.js');
        const engine = Engine.open(t.file);
        try {
          const qty = product(engine, '201').quantity;
          assert.ok(qty === 30n || qty === 50n, `stock is ${qty}`);
          assert.equal(orderCount(engine), 1n);
        } finally {
          engine.close();
        }
      } finally {
        t.dispose();
      }
    }
  });
});

describe('submit_order: bad input changes nothing', () => {
  const cases: [string, string, RegExp][] = [
    ['unknown customer', '"999", [{productId: "204", quantity: 1}]', /Customer \[999\] does not exist/],
    ['non-numeric customer', '"abc", [{productId: "204", quantity: 1}]', /Customer \[abc\] does not exist/],
    ['unknown product', '"101", [{productId: "999", quantity: 1}]', /Product \[999\] does not exist/],
    ['zero quantity', '"101", [{productId: "204", quantity: 0}]', /positive whole number/],
    ['negative quantity', '"101", [{productId: "204", quantity: -3}]', /positive whole number/],
    ['fractional quantity', '"101", [{productId: "204", quantity: 1.5}]', /positive whole number/],
    ['quantity as text', '"101", [{productId: "204", quantity: "2"}]', /productId \(String\) and a quantity/],
    ['empty order', '"101", []', /at least one line/],
    ['same product twice', '"101", [{productId: "204", quantity: 1}, {productId: "204", quantity: 2}]', /more than one line/],
    ['customer id not a string', '101, [{productId: "204", quantity: 1}]', /customerId must be a String/],
    ['lines not an array', '"101", {productId: "204", quantity: 1}', /Array of/],
    ['line not an object', '"101", ["204"]', /productId \(String\) and a quantity/],
  ];
  test('each case fails with a clear message and writes nothing', () => {
    const t = fresh();
    try {
      const before = allQuantities(t.engine);
      for (const [name, args, message] of cases) {
        const [r] = runFql(t.engine, `Call(Function("submit_order"), ${args})`);
        assert.ok(r && !r.ok, `${name}: expected failure`);
        const err = r.error.toJSON();
        const text = err.cause?.map((c) => c.description).join(' ') ?? err.description;
        assert.match(text, message, `${name}: ${JSON.stringify(err)}`);
        assert.deepEqual(allQuantities(t.engine), before, `${name}: stock changed`);
        assert.equal(orderCount(t.engine), 0n, `${name}: an order was created`);
      }
    } finally {
      t.dispose();
    }
  });
});
