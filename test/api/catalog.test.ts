/** Stores and products through the API handlers, against a real engine host on the sample store. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiError } from '../../shared/api/contract.js';
import { sampleApi, type ApiFixture } from './api-helpers.js';

let api: ApiFixture;

describe('stores and products', () => {
  before(async () => {
    api = await sampleApi();
  });
  after(async () => {
    await api.close();
  });

  it('lists the stores with addresses and product counts', async () => {
    const stores = await api.call('stores.list', {});
    assert.deepEqual(
      stores.map((s) => [s.id, s.name, s.productCount]),
      [
        ['301', 'DC Fruits', 4],
        ['303', 'Foggy Bottom Market', 3],
        ['302', 'Party Supplies', 2],
      ],
    );
    assert.deepEqual(stores[0]!.address, { street: '13 Pierstorff Drive', city: 'Washington', state: 'DC', zipCode: '20220' });
  });

  it('lists products by name with their store, and pages through them with opaque cursors', async () => {
    const all = await api.call('products.list', {});
    assert.equal(all.items.length, 9);
    assert.equal(all.after, null);
    const cups = all.items.find((p) => p.id === '201')!;
    assert.deepEqual(
      { ...cups, ts: undefined },
      { id: '201', name: 'cups', description: 'Translucent 9 Oz, 100 ct', price: 6.98, quantity: 100, storeId: '302', storeName: 'Party Supplies', backorderLimit: 5, backordered: false, ts: undefined },
    );
    assert.match(cups.ts, /^\d+$/);

    const seen: string[] = [];
    let after: string | null | undefined;
    let pages = 0;
    do {
      const page = await api.call('products.list', { size: 4, ...(after ? { after } : {}) });
      seen.push(...page.items.map((p) => p.id));
      after = page.after;
      if (after !== null) assert.match(after, /^[A-Za-z0-9_-]+$/);
      pages++;
    } while (after !== null && pages < 10);
    assert.equal(pages, 3);
    assert.deepEqual(seen, all.items.map((p) => p.id));
  });

  it('searches name and description ignoring case, filters by store and by the backordered flag', async () => {
    const limes = await api.call('products.list', { search: 'LIME' });
    assert.deepEqual(limes.items.map((p) => p.id), ['205', '206', '207']);
    const organic = await api.call('products.list', { search: 'organic' });
    assert.deepEqual(organic.items.map((p) => p.id).sort(), ['206', '208']);
    const inStore = await api.call('products.list', { storeId: '303' });
    assert.deepEqual(inStore.items.map((p) => p.name), ['limes', 'pinata', 'pizza']);
    const both = await api.call('products.list', { storeId: '303', search: 'pi' });
    assert.deepEqual(both.items.map((p) => p.name), ['pinata', 'pizza']);
    const paged = await api.call('products.list', { search: 'i', size: 2 });
    assert.equal(paged.items.length, 2, 'a filtered page is still full');
    assert.notEqual(paged.after, null);
    assert.deepEqual((await api.call('products.list', { backordered: true })).items, []);
    const nothing = await api.call('products.list', { search: 'no such thing' });
    assert.deepEqual(nothing, { items: [], after: null });
  });

  it('treats search text as data, never as FQL', async () => {
    const r = await api.call('products.list', { search: '"), Delete(Ref(Collection("products"), "201")), ("' });
    assert.deepEqual(r.items, []);
    assert.equal((await api.call('products.get', { id: '201' })).name, 'cups');
  });

  it('creates, edits, restocks and deletes a product', async () => {
    const created = await api.call('products.create', { product: { name: 'tortillas', description: 'Corn, 30 ct', price: 3, quantity: 4, storeId: '301', backorderLimit: 5 } });
    assert.match(created.id, /^\d+$/);
    assert.equal(created.storeName, 'DC Fruits');
    assert.equal(created.price, 3);
    assert.equal(created.backordered, true, 'stock at or below the limit is backordered');
    assert.equal((await api.call('stores.list', {})).find((s) => s.id === '301')!.productCount, 5);

    const edited = await api.call('products.update', { id: created.id, product: { name: 'Tortillas', price: 3.25, storeId: '303' } });
    assert.deepEqual([edited.name, edited.price, edited.storeId, edited.storeName, edited.quantity], ['Tortillas', 3.25, '303', 'Foggy Bottom Market', 4]);

    const restocked = await api.call('products.restock', { id: created.id, quantity: 20 });
    assert.deepEqual([restocked.quantity, restocked.backordered], [24, false]);
    const lowered = await api.call('products.update', { id: created.id, product: { backorderLimit: 30 } });
    assert.equal(lowered.backordered, true);

    assert.deepEqual(await api.call('products.delete', { id: created.id }), { id: created.id });
    await assert.rejects(api.call('products.get', { id: created.id }), (e: ApiError) => e.error.code === 'instance not found');
  });

  it('refuses a product for a store that does not exist, and changes nothing', async () => {
    const before = (await api.call('products.list', {})).items.length;
    await assert.rejects(
      api.call('products.create', { product: { name: 'x', description: '', price: 1, quantity: 1, storeId: '999', backorderLimit: 0 } }),
      (e: ApiError) => e.error.code === 'transaction aborted' && e.error.description === 'Store [999] does not exist.',
    );
    await assert.rejects(api.call('products.update', { id: '201', product: { storeId: '999' } }), (e: ApiError) => e.error.code === 'transaction aborted');
    assert.equal((await api.call('products.list', {})).items.length, before);
    assert.equal((await api.call('products.get', { id: '201' })).storeId, '302');
  });

  it('reports a missing product with the engine error', async () => {
    await assert.rejects(api.call('products.restock', { id: '12345', quantity: 1 }), (e: ApiError) => e instanceof ApiError && e.error.code === 'instance not found');
    await assert.rejects(api.call('products.delete', { id: '12345' }), (e: ApiError) => e.error.code === 'instance not found');
  });
});
