/** The Shell (fql.query), the ledger, document history, the schema and app.info through the API handlers. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CallContext } from '../../electron/api/context.js';
import { historyFromLedger } from '../../electron/api/history.js';
import { sampleApi, type ApiFixture } from './api-helpers.js';

let api: ApiFixture;

describe('shell, ledger, history, schema', () => {
  before(async () => {
    api = await sampleApi();
  });
  after(async () => {
    await api.close();
  });

  it('app.info names the database, version and transport', async () => {
    const info = await api.call('app.info', {});
    assert.equal(info.database, api.file);
    assert.equal(info.transport, 'ipc');
    assert.match(info.version, /^\d+\.\d+\.\d+/);
  });

  it('runs several statements, each printed as FQL, with wire JSON that keeps integers and doubles apart', async () => {
    const results = await api.call('fql.query', { text: 'Add(1, 2)\nDivide(1.0, 4)\nSelect(["data", "name"], Get(Ref(Collection("products"), "201")))' });
    assert.deepEqual(results.map((r) => [r.ok, r.text, r.printed, r.resource]), [
      [true, 'Add(1, 2)', '3', '3'],
      [true, 'Divide(1.0, 4)', '0.25', '0.25'],
      [true, 'Select(["data", "name"], Get(Ref(Collection("products"), "201")))', '"cups"', '"cups"'],
    ]);
    const ref = await api.call('fql.query', { text: 'Ref(Collection("products"), "201")' });
    assert.equal(ref[0]!.printed, 'Ref(Collection("products"), "201")');
  });

  it('reports errors with code, position and place in the text, and runs the other statements', async () => {
    const results = await api.call('fql.query', { text: 'Add(1, 1)\n  Add(1, "x")\nAdd(2, 2)' });
    assert.deepEqual(results.map((r) => r.ok), [true, false, true]);
    const err = results[1]!;
    assert.equal(err.error?.code, 'invalid argument');
    assert.deepEqual(err.error?.position, ['add', 1]);
    assert.deepEqual(err.location, { line: 2, column: 10 });
    const syntax = await api.call('fql.query', { text: 'Add(1,' });
    assert.equal(syntax.length, 1);
    assert.equal(syntax[0]!.ok, false);
    assert.equal(syntax[0]!.error?.code, 'invalid syntax');
    assert.ok(syntax[0]!.location);
  });

  it('lists the ledger newest first, pages with `before`, and filters by collection and document', async () => {
    await api.call('products.restock', { id: '205', quantity: 1 });
    await api.call('products.restock', { id: '205', quantity: 2 });
    await api.call('fql.query', { text: 'Update(Ref(Collection("stores"), "301"), { data: { name: "DC Fruits & Veg" } })' });
    const first = await api.call('ledger.list', { limit: 2 });
    assert.equal(first.entries.length, 2);
    assert.notEqual(first.next, null);
    const [newest, older] = first.entries;
    assert.ok(BigInt(newest!.ts) > BigInt(older!.ts));
    assert.match(newest!.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.equal(newest!.origin, 'test');
    assert.match(newest!.query, /Update\(Ref\(Collection\("stores"\), "301"\)/);
    assert.deepEqual(newest!.writes.map((w) => [w.collection, w.id, w.action, w.changedFields]), [['stores', '301', 'update', ['name']]]);
    assert.match(newest!.writes[0]!.after!, /DC Fruits & Veg/);
    const restock = older!.writes[0]!;
    assert.deepEqual([restock.collection, restock.id, restock.changedFields], ['products', '205', ['quantity']]);
    assert.match(restock.before!, /"quantity":1001/);
    assert.match(restock.after!, /"quantity":1003/);

    const next = await api.call('ledger.list', { limit: 2, before: first.next! });
    assert.ok(BigInt(next.entries[0]!.ts) < BigInt(older!.ts));

    const products = await api.call('ledger.list', { collection: 'products', documentId: '205' });
    assert.equal(products.entries.length, 3, 'two restocks and the sample store');
    assert.equal(products.next, null);
    const provision = products.entries[2]!;
    assert.ok(provision.writes.length > 9, 'the sample store was written in one transaction');
    assert.ok(!JSON.stringify(provision).includes('4556781272473393'), 'cards are masked in the ledger');
  });

  it('shows a document history, newest first', async () => {
    const history = await api.call('history.of', { collection: 'products', id: '205' });
    assert.deepEqual(history.map((h) => h.action), ['update', 'update', 'create']);
    assert.match(history[0]!.data!, /"quantity":1003/);
    assert.match(history[2]!.data!, /"quantity":1000/);
    assert.ok(BigInt(history[0]!.ts) > BigInt(history[1]!.ts));
    // The ledger fallback (for engines that cannot read events) tells the same story.
    const fromLedger = await historyFromLedger('products', '205', new CallContext(api.host, 'test', { database: api.file, transport: 'ipc' }));
    assert.deepEqual(fromLedger, history);
    await api.call('products.delete', { id: '209' });
    const deleted = await api.call('history.of', { collection: 'products', id: '209' });
    assert.deepEqual(deleted.map((h) => [h.action, h.data === null]), [['delete', true], ['create', false]]);
    const customer = await api.call('history.of', { collection: 'customers', id: '101' });
    assert.equal(customer.length, 1);
    assert.ok(!customer[0]!.data!.includes('4556781272473393') && customer[0]!.data!.includes('3393'));
  });

  it('shows the history of a document whose history starts below the retention floor', async () => {
    // A version 40 days old (history_days is 30): the history starts there, shown as a create that At cannot read.
    const old = `Subtract(ToMicros(Now()), ${40n * 86_400_000_000n})`;
    const [inserted] = await api.call('fql.query', { text: `Insert(Ref(Collection("products"), "206"), ${old}, "create", {data: Merge(Select("data", Get(Ref(Collection("products"), "206"))), {name: "old"})})` });
    assert.ok(inserted!.ok, inserted!.error?.description);
    const history = await api.call('history.of', { collection: 'products', id: '206' });
    assert.deepEqual(history.at(-1)!.action, 'create');
    assert.match(history.at(-1)!.data!, /"name":"old"/);
    assert.ok(history.slice(0, -1).every((h) => BigInt(h.ts) > BigInt(history.at(-1)!.ts)));
  });

  it('describes the schema', async () => {
    const schema = await api.call('schema.describe', {});
    assert.deepEqual(
      schema.collections.map((c) => [c.name, c.documents]),
      [
        ['customers', 3],
        ['orders', 0],
        ['products', 8], // 209 was deleted above
        ['stores', 3],
      ],
    );
    const byStore = schema.indexes.find((i) => i.name === 'products_by_store')!;
    assert.deepEqual(byStore, { name: 'products_by_store', source: 'products', terms: ['data.store'], values: ['data.name', 'ref'], unique: false, active: true });
    assert.deepEqual(schema.indexes.find((i) => i.name === 'all_orders')!.values, ['data.creationDate (reverse)', 'ref']);
    const submit = schema.functions.find((f) => f.name === 'submit_order')!;
    assert.match(submit.body, /^Query\(/);
    assert.match(submit.body, /Stock quantity for Product \[/);
  });
});
