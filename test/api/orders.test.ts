/**
 * Orders through the API handlers: the tutorial's submit_order cases, bad
 * input refused with a clear message and nothing changed, two clients racing
 * for the last stock, listing, and shipping.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiError, SubmitOrderResult } from '../../shared/api/contract.js';
import { sampleApi, type ApiFixture } from './api-helpers.js';

let api: ApiFixture;

const stockOf = async (id: string): Promise<[number, boolean]> => {
  const p = await api.call('products.get', { id });
  return [p.quantity, p.backordered];
};

function failed(r: SubmitOrderResult): string {
  assert.equal(r.ok, false, 'the order should have failed');
  return (r as { message: string }).message;
}

describe('orders', () => {
  before(async () => {
    api = await sampleApi();
  });
  after(async () => {
    await api.close();
  });

  it('submits the tutorial orders (cases 1-3)', async () => {
    const one = await api.call('orders.submit', { customerId: '101', lines: [{ productId: '204', quantity: 10 }, { productId: '206', quantity: 5 }, { productId: '208', quantity: 20 }] });
    assert.ok(one.ok);
    const order = one.order;
    assert.deepEqual([order.customerId, order.customerName, order.status, order.itemCount], ['101', 'Alice Appleseed', 'processing', 35]);
    assert.deepEqual(order.lines, [
      { productId: '204', productName: 'avocados', quantity: 10, price: 3.99 },
      { productId: '206', productName: 'limes', quantity: 5, price: 3.49 },
      { productId: '208', productName: 'cilantro', quantity: 20, price: 1.49 },
    ]);
    assert.equal(order.total, 87.15);
    assert.deepEqual(order.card, { network: 'Visa', last4: '3393' });
    assert.equal(order.shipDate, null);
    assert.equal(order.shipAddress?.street, '87856 Mendota Court');
    assert.match(order.creationDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    assert.ok(!JSON.stringify(one).includes('4556781272473393'));
    assert.deepEqual(await Promise.all(['204', '206', '208'].map(stockOf)), [[990, false], [45, false], [80, false]]);

    const two = await api.call('orders.submit', { customerId: '103', lines: [{ productId: '206', quantity: 40 }, { productId: '203', quantity: 90 }] });
    assert.ok(two.ok);
    assert.deepEqual(await Promise.all(['206', '203'].map(stockOf)), [[5, true], [10, true]]);

    const three = await api.call('orders.submit', { customerId: '102', lines: [{ productId: '203', quantity: 15 }, { productId: '202', quantity: 45 }] });
    assert.match(failed(three), /^Stock quantity for Product \[203\] not enough – requested at \[\d{4}-\d\d-\d\dT[^\]]+\]$/);
    assert.equal(three.ok === false && three.error.code, 'call error');
    assert.deepEqual(await Promise.all(['203', '202'].map(stockOf)), [[10, true], [20, false]]);
  });

  it('sells the last stock exactly once when two clients order at the same moment (case 4)', async () => {
    const [a, b] = await Promise.all([
      api.call('orders.submit', { customerId: '101', lines: [{ productId: '201', quantity: 70 }] }),
      api.call('orders.submit', { customerId: '102', lines: [{ productId: '201', quantity: 50 }] }),
    ]);
    assert.equal([a, b].filter((r) => r.ok).length, 1);
    const loser = [a, b].find((r) => !r.ok)!;
    assert.match(failed(loser), /^Stock quantity for Product \[201\] not enough/);
    const [stock] = await stockOf('201');
    assert.equal(stock, a.ok ? 30 : 50);
  });

  it('refuses bad orders with a clear message and changes nothing', async () => {
    const before = await Promise.all(['204', '205'].map(stockOf));
    const cases: [string, { customerId: string; lines: { productId: string; quantity: number }[] }, RegExp][] = [
      ['unknown customer', { customerId: '999', lines: [{ productId: '204', quantity: 1 }] }, /Customer \[999\] does not exist/],
      ['unknown product', { customerId: '101', lines: [{ productId: '204', quantity: 1 }, { productId: '999', quantity: 1 }] }, /Product \[999\] does not exist/],
      ['same product twice', { customerId: '101', lines: [{ productId: '204', quantity: 1 }, { productId: '204', quantity: 2 }] }, /same product/],
    ];
    for (const [name, args, message] of cases) {
      const r = await api.call('orders.submit', args);
      assert.match(failed(r), message, name);
    }
    assert.deepEqual(await Promise.all(['204', '205'].map(stockOf)), before);
    // Input the contract itself rules out never reaches the engine.
    for (const args of [{ customerId: '101', lines: [] }, { customerId: '101', lines: [{ productId: '204', quantity: 0 }] }, { customerId: '101', lines: [{ productId: '204', quantity: 1.5 }] }, { customerId: 'abc', lines: [{ productId: '204', quantity: 1 }] }]) {
      await assert.rejects(api.dispatcher.dispatch('orders.submit', args, 'test'), (e: ApiError) => e.error.code === 'invalid request');
    }
  });

  it('lists orders newest first, by customer and by status', async () => {
    const all = await api.call('orders.list', {});
    assert.equal(all.items.length, 3);
    const dates = all.items.map((o) => o.creationDate);
    assert.deepEqual([...dates].sort().reverse(), dates);
    const alice = await api.call('orders.list', { customerId: '101' });
    assert.ok(alice.items.length >= 1 && alice.items.every((o) => o.customerId === '101' && o.customerName === 'Alice Appleseed'));
    const processing = await api.call('orders.list', { status: 'processing' });
    assert.equal(processing.items.length, 3);
    assert.deepEqual((await api.call('orders.list', { status: 'shipped' })).items, []);
    const paged = await api.call('orders.list', { size: 2 });
    const rest = await api.call('orders.list', { size: 2, after: paged.after! });
    assert.deepEqual([...paged.items, ...rest.items].map((o) => o.id), all.items.map((o) => o.id));
  });

  it('ships an order once', async () => {
    const [latest] = (await api.call('orders.list', { customerId: '103' })).items;
    const shipped = await api.call('orders.ship', { id: latest!.id });
    assert.equal(shipped.status, 'shipped');
    assert.match(shipped.shipDate ?? '', /^\d{4}-/);
    assert.deepEqual(shipped.lines.map((l) => l.productName), ['limes', 'pizza']);
    await assert.rejects(api.call('orders.ship', { id: latest!.id }), (e: ApiError) => e.error.code === 'transaction aborted' && /already been shipped/.test(e.error.description));
    const byStatus = await api.call('orders.list', { status: 'shipped', customerId: '103' });
    assert.deepEqual(byStatus.items.map((o) => o.id), [latest!.id]);
    const got = await api.call('orders.get', { id: latest!.id });
    assert.equal(got.status, 'shipped');
    await assert.rejects(api.call('orders.get', { id: '1' }), (e: ApiError) => e.error.code === 'instance not found');
  });
});
