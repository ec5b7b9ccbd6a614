/** Customers through the API handlers: list, search, get, create, update; cards never leave whole. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiError } from '../../shared/api/contract.js';
import { sampleApi, type ApiFixture } from './api-helpers.js';

let api: ApiFixture;
const NEW_CARD = '4111111111111111';

describe('customers', () => {
  before(async () => {
    api = await sampleApi();
  });
  after(async () => {
    await api.close();
  });

  it('lists customers by last name with masked cards', async () => {
    const page = await api.call('customers.list', {});
    assert.deepEqual(page.items.map((c) => `${c.firstName} ${c.lastName}`), ['Alice Appleseed', 'Bob Brown', 'Carol Clark']);
    assert.deepEqual(page.items[0]!.card, { network: 'Visa', last4: '3393' });
    assert.deepEqual(page.items[0]!.address, { street: '87856 Mendota Court', city: 'Washington', state: 'DC', zipCode: '20220' });
    assert.ok(!JSON.stringify(page).includes('4556781272473393'));
  });

  it('searches by name, ignoring case', async () => {
    assert.deepEqual((await api.call('customers.list', { search: 'bob b' })).items.map((c) => c.id), ['102']);
    assert.deepEqual((await api.call('customers.list', { search: 'CLARK' })).items.map((c) => c.id), ['103']);
    assert.deepEqual((await api.call('customers.list', { search: 'zed' })).items, []);
  });

  it('pages with cursors', async () => {
    const first = await api.call('customers.list', { size: 2 });
    assert.equal(first.items.length, 2);
    assert.notEqual(first.after, null);
    const second = await api.call('customers.list', { size: 2, after: first.after! });
    assert.deepEqual(second.items.map((c) => c.id), ['103']);
    assert.equal(second.after, null);
  });

  it('creates and updates a customer; the card is stored but only its last four digits come back', async () => {
    const created = await api.call('customers.create', {
      customer: { firstName: 'Dana', lastName: 'Diaz', address: { street: '1 Main St', city: 'Washington', state: 'DC', zipCode: '20001' }, telephone: '202-555-0100', creditCard: { network: 'Visa', number: NEW_CARD } },
    });
    assert.deepEqual(created.card, { network: 'Visa', last4: '1111' });
    assert.ok(!JSON.stringify(created).includes(NEW_CARD));
    const got = await api.call('customers.get', { id: created.id });
    assert.equal(got.lastName, 'Diaz');

    const updated = await api.call('customers.update', { id: created.id, customer: { telephone: '202-555-0199', address: { street: '2 Side St', city: 'Washington', state: 'DC', zipCode: '20002' } } });
    assert.equal(updated.telephone, '202-555-0199');
    assert.equal(updated.address.street, '2 Side St');
    assert.deepEqual(updated.card, { network: 'Visa', last4: '1111' }, 'omitting the card keeps it');
    const recarded = await api.call('customers.update', { id: created.id, customer: { creditCard: { network: 'Mastercard', number: '5555555555554444' } } });
    assert.deepEqual(recarded.card, { network: 'Mastercard', last4: '4444' });

    // The stored card is whole (submit_order copies it onto orders) ...
    const [stored] = await api.call('fql.query', { text: `Select(["data", "creditCard", "number"], Get(Ref(Collection("customers"), "${created.id}")))` });
    assert.equal(stored!.resource, '"5555555555554444"');
    // ... but the ledger shows it masked, in the documents and in what ran.
    const ledger = await api.call('ledger.list', { collection: 'customers', documentId: created.id });
    assert.equal(ledger.entries.length, 3);
    const text = JSON.stringify(ledger);
    assert.ok(!text.includes(NEW_CARD) && !text.includes('5555555555554444'), 'no whole card number in the ledger');
    assert.ok(text.includes('4444'));
  });

  it('reports a missing customer', async () => {
    await assert.rejects(api.call('customers.get', { id: '424242' }), (e: ApiError) => e.error.code === 'instance not found');
    await assert.rejects(api.call('customers.update', { id: '424242', customer: { telephone: '1' } }), (e: ApiError) => e.error.code === 'instance not found');
  });
});
