/**
 * The FQL-over-HTTP endpoint, proved with Fauna's official v4 JavaScript
 * driver (`faunadb`, which speaks HTTP/2 cleartext in Node) and with plain
 * HTTP/1.1 requests: queries, the sample store's submit_order, errors with
 * Fauna's status codes, auth, ping and x-txn-time.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import faunadb from 'faunadb';
import { startFaunaServer, secretFrom, type FaunaServer } from '../../electron/server/fauna-http.js';

const q = faunadb.query;
const SECRET = 'test-secret-123';

let dir: string;
let server: FaunaServer;
let client: faunadb.Client;

function http1(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

describe('FQL v4 over HTTP (faunadb driver)', () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stockroom-fauna-'));
    server = await startFaunaServer({ file: join(dir, 'store.db'), sample: true, port: 0, secret: SECRET });
    client = new faunadb.Client({ secret: SECRET, scheme: 'http', domain: '127.0.0.1', port: server.port });
  });

  after(async () => {
    await client.close({ force: true });
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates, reads and paginates documents', async () => {
    const created = await client.query<{ ref: faunadb.values.Ref; data: { name: string; quantity: number } }>(
      q.Create(q.Collection('products'), { data: { name: 'tacos', description: 'Beef', price: 2.5, quantity: 7, backorderLimit: 2, backordered: false, store: q.Ref(q.Collection('stores'), '301') } }),
    );
    assert.equal(created.data.name, 'tacos');
    assert.equal(created.ref.collection?.id, 'products');
    const got = await client.query<{ data: { name: string; quantity: number } }>(q.Get(created.ref));
    assert.deepEqual([got.data.name, got.data.quantity], ['tacos', 7]);
    const page = await client.query<{ data: faunadb.values.Ref[] }>(q.Paginate(q.Documents(q.Collection('products')), { size: 100 }));
    const ids = page.data.map((r) => r.id);
    assert.equal(ids.length, 10);
    assert.ok(ids.includes('201') && ids.includes(created.ref.id));
    // The driver tracks the last transaction time from x-txn-time.
    const lastSeen = (client as unknown as { getLastTxnTime(): number | null }).getLastTxnTime(); // untyped in faunadb's .d.ts
    assert.ok(typeof lastSeen === 'number' && lastSeen > 0);
  });

  it('calls submit_order and reports its abort as a driver error', async () => {
    const order = await client.query<{ data: { status: string; line: { quantity: number }[] } }>(
      q.Call(q.Function('submit_order'), '101', [{ productId: '204', quantity: 10 }, { productId: '208', quantity: 20 }]),
    );
    assert.equal(order.data.status, 'processing');
    assert.deepEqual(order.data.line.map((l) => l.quantity), [10, 20]);
    const stock = await client.query<number>(q.Select(['data', 'quantity'], q.Get(q.Ref(q.Collection('products'), '204'))));
    assert.equal(stock, 990);
    await assert.rejects(
      client.query(q.Call(q.Function('submit_order'), '102', [{ productId: '209', quantity: 500 }])),
      (err: faunadb.errors.FaunaHTTPError) => {
        assert.equal(err.requestResult.statusCode, 400);
        const cause = (err.requestResult.responseContent as { errors: { code: string; cause?: { code: string; description: string }[] }[] }).errors[0]!;
        assert.equal(cause.code, 'call error');
        assert.match(cause.cause![0]!.description, /^Stock quantity for Product \[209\] not enough – requested at \[/);
        return true;
      },
    );
  });

  it('maps a missing document to NotFound (404)', async () => {
    await assert.rejects(client.query(q.Get(q.Ref(q.Collection('products'), '999999'))), (err: Error) => {
      assert.equal(err.name, 'NotFound');
      assert.equal((err as faunadb.errors.FaunaHTTPError).requestResult.statusCode, 404);
      return true;
    });
  });

  it('rejects a wrong secret with Unauthorized (401)', async () => {
    const bad = new faunadb.Client({ secret: 'nope', scheme: 'http', domain: '127.0.0.1', port: server.port });
    try {
      await assert.rejects(bad.query(q.Add(1, 2)), (err: Error) => err.name === 'Unauthorized');
    } finally {
      await bad.close({ force: true });
    }
  });

  it('pings', async () => {
    assert.equal(await client.ping(), 'Scope write is OK');
  });

  it('speaks HTTP/1.1 too, with Basic or Bearer auth and x-txn-time', async () => {
    const basic = 'Basic ' + Buffer.from(`${SECRET}:`).toString('base64');
    const ok = await http1('POST', '/', { authorization: basic, 'content-type': 'application/json' }, '{"add":[1,2.5]}');
    assert.equal(ok.status, 200);
    assert.equal(ok.body, '{"resource":3.5}');
    assert.match(String(ok.headers['x-txn-time']), /^\d+$/);
    const bearer = await http1('POST', '/', { authorization: `Bearer ${SECRET}`, 'X-Last-Seen-Txn': String(ok.headers['x-txn-time']) }, '{"add":[1,2]}');
    assert.equal(bearer.body, '{"resource":3}');
    const missing = await http1('POST', '/', {}, '{"add":[1,2]}');
    assert.equal(missing.status, 401);
    assert.equal(JSON.parse(missing.body).errors[0].code, 'unauthorized');
    const garbage = await http1('POST', '/', { authorization: `Bearer ${SECRET}` }, '{"add":');
    assert.equal(garbage.status, 400);
    assert.equal(JSON.parse(garbage.body).errors[0].code, 'invalid expression');
    const ping = await http1('GET', '/ping', {});
    assert.deepEqual([ping.status, JSON.parse(ping.body)], [200, { resource: 'Scope write is OK' }]);
    const get = await http1('GET', '/', { authorization: `Bearer ${SECRET}` });
    assert.equal(get.status, 405);
    const other = await http1('GET', '/elsewhere', {});
    assert.equal(other.status, 404);
  });

  it('reads the secret from either header form', () => {
    assert.equal(secretFrom('Bearer abc'), 'abc');
    assert.equal(secretFrom('Basic ' + Buffer.from('abc:').toString('base64')), 'abc');
    assert.equal(secretFrom('Basic ' + Buffer.from('abc').toString('base64')), 'abc');
    assert.equal(secretFrom('Token abc'), null);
    assert.equal(secretFrom(undefined), null);
  });

  it('refuses to listen on a non-loopback address', async () => {
    await assert.rejects(startFaunaServer({ file: join(dir, 'x.db'), secret: 's', host: '0.0.0.0' }), /loopback/);
  });
});
