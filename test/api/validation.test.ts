/**
 * The API boundary: malformed payloads and forged cursors are rejected with
 * `invalid request` before reaching the engine, every method in the contract
 * has a handler, and the host keeps working afterwards.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { ApiArgs, ApiError } from '../../shared/api/contract.js';
import { decodeCursor, encodeCursor } from '../../electron/api/cursor.js';
import { handlers } from '../../electron/api/handlers.js';
import { sampleApi, type ApiFixture } from './api-helpers.js';

let api: ApiFixture;

const isInvalid = (e: unknown): boolean => e instanceof ApiError && e.error.code === 'invalid request';

describe('API boundary', () => {
  before(async () => {
    api = await sampleApi();
  });
  after(async () => {
    await api.close();
  });

  it('has a handler for every method of the contract, and no others', () => {
    assert.deepEqual(Object.keys(handlers).sort(), Object.keys(ApiArgs).sort());
  });

  it('rejects malformed payloads with a clear invalid request error', async () => {
    const bad: [string, unknown, RegExp][] = [
      ['no.such.method', {}, /Unknown method/],
      ['__proto__', {}, /Unknown method/],
      ['products.get', undefined, /arguments|expected object/i],
      ['products.get', null, /arguments|expected object/i],
      ['products.get', 'x', /arguments|expected object/i],
      ['products.get', {}, /id/],
      ['products.get', { id: 201 }, /id/],
      ['products.get', { id: '../../etc' }, /id: must be a document id/],
      ['products.create', { product: { name: '', description: '', price: 1, quantity: 1, storeId: '301', backorderLimit: 0 } }, /product\.name/],
      ['products.create', { product: { name: 'x', description: '', price: -1, quantity: 1, storeId: '301', backorderLimit: 0 } }, /product\.price/],
      ['products.restock', { id: '201', quantity: 1e10 }, /quantity/],
      ['products.list', { size: 0 }, /size/],
      ['products.list', { after: 'x'.repeat(5000) }, /after/],
      ['customers.create', { customer: { firstName: 'a', lastName: 'b', address: { street: 's', city: 'c', state: 'st', zipCode: 'z' }, telephone: 't', creditCard: { network: 'Visa', number: '12ab' } } }, /creditCard\.number/],
      ['fql.query', { text: '' }, /text/],
      ['ledger.list', { before: '12x' }, /before/],
      ['orders.list', { status: 'lost' }, /status/],
    ];
    for (const [method, args, message] of bad) {
      await assert.rejects(api.dispatcher.dispatch(method, args, 'test'), (e: unknown) => {
        assert.ok(isInvalid(e), `${method}: ${String(e)}`);
        assert.match((e as ApiError).error.description, message, method);
        return true;
      });
    }
    const reply = await api.dispatcher.reply(9, 'products.get', { id: 'nope' }, 'test');
    assert.equal(reply.ok, false);
    assert.equal(reply.id, 9);
    assert.equal(!reply.ok && reply.error.code, 'invalid request');
    assert.deepEqual(!reply.ok && reply.error.failures?.[0]?.field, ['id']);
  });

  it('survives random payloads and keeps answering', async () => {
    const methods = Object.keys(ApiArgs);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...methods, 'x.y', ''), fc.anything(), async (method, args) => {
        const reply = await api.dispatcher.reply(1, method, args, 'fuzz');
        if (!reply.ok) assert.equal(typeof reply.error.code, 'string');
      }),
      { numRuns: 150 },
    );
    assert.equal((await api.call('products.get', { id: '201' })).name, 'cups');
    assert.equal(api.host.restartCount, 0);
  });

  it('round-trips cursors and refuses forged ones', async () => {
    const page = await api.call('products.list', { size: 2 });
    assert.ok(page.after);
    assert.ok(Array.isArray(decodeCursor(page.after)));
    assert.equal(encodeCursor(null), null);
    const forge = (json: string): string => Buffer.from(json).toString('base64url');
    const forged = [
      'not base64!',
      forge('{"delete":{"ref":{"collection":"products"},"id":"201"}}'),
      forge('[{"delete":{"ref":{"collection":"products"},"id":"201"}}]'),
      forge('["x",{"@ref":{"id":"201","collection":{"delete":1}}}]'),
      forge('[{"@query":{"lambda":"x","expr":1}}]'),
      forge('[{"object":{"a":1}}]'),
      forge('[1,'),
    ];
    for (const after of forged) {
      await assert.rejects(api.call('products.list', { after }), (e: unknown) => isInvalid(e) && /Invalid cursor/.test((e as ApiError).error.description), after);
    }
    assert.equal((await api.call('products.get', { id: '201' })).name, 'cups', 'nothing was deleted');
  });
});
