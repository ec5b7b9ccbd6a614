/**
 * Malformed API payloads sent from the page over its own WebSocket are
 * rejected with an error, change nothing, and the host keeps serving.
 */
import { expect, test } from '@playwright/test';
import { openApp, productRow, stockCell } from './support/app.js';
import { startServer, type TestServer } from './support/server.js';

let server: TestServer;
test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server?.close();
});

interface Reply {
  type?: string;
  id?: number;
  ok?: boolean;
  error?: { code?: string; description?: string };
  result?: unknown;
}

test('malformed payloads are rejected and the host survives', async ({ page }) => {
  await openApp(page, server.url, 'products');

  const deep = '['.repeat(5000) + ']'.repeat(5000);
  const payloads: string[] = [
    'not json at all',
    '{"type":"call"',
    'null',
    '[]',
    '42',
    JSON.stringify({ type: 'subscribe', id: 1 }),
    JSON.stringify({ type: 'call', id: 'x', method: 'products.list', args: {} }),
    JSON.stringify({ type: 'call', id: 2, method: 'nope.nothing', args: {} }),
    JSON.stringify({ type: 'call', id: 3, method: '__proto__', args: {} }),
    JSON.stringify({ type: 'call', id: 4, method: 'products.get', args: { id: '../../etc/passwd' } }),
    JSON.stringify({ type: 'call', id: 5, method: 'products.get', args: null }),
    JSON.stringify({ type: 'call', id: 6, method: 'products.create', args: { product: { name: 'x', description: '', price: -1, quantity: 1, storeId: '301', backorderLimit: 0 } } }),
    JSON.stringify({ type: 'call', id: 7, method: 'products.update', args: { id: '201', product: { quantity: 'lots' } } }),
    JSON.stringify({ type: 'call', id: 8, method: 'orders.submit', args: { customerId: '101', lines: [{ productId: '201', quantity: -5 }] } }),
    JSON.stringify({ type: 'call', id: 9, method: 'orders.submit', args: { customerId: '101', lines: [] } }),
    JSON.stringify({ type: 'call', id: 10, method: 'orders.submit', args: { customerId: '101', lines: [{ productId: '201', quantity: 1.5 }] } }),
    JSON.stringify({ type: 'call', id: 11, method: 'products.restock', args: { id: '201', quantity: 1e12 } }),
    JSON.stringify({ type: 'call', id: 13, method: 'fql.query', args: { text: '' } }),
    `{"type":"call","id":14,"method":"products.list","args":${deep}}`,
    JSON.stringify({ type: 'call', id: 15, method: 'customers.create', args: { customer: { firstName: 'Eve', lastName: 'X', telephone: '1', address: { street: 's', city: 'c', state: 'DC', zipCode: '1' }, creditCard: { network: 'Visa', number: '12ab' } } } }),
  ];

  const replies = await page.evaluate(async (messages: string[]): Promise<Reply[]> => {
    const g = globalThis as unknown as {
      WebSocket: new (url: string) => { readyState: number; send(d: unknown): void; close(): void; addEventListener(t: string, f: (e: { data: unknown }) => void): void };
      document: { querySelector(s: string): { getAttribute(n: string): string | null } | null };
      location: { host: string };
      Uint8Array: typeof Uint8Array;
    };
    const token = g.document.querySelector('meta[name="stockroom-token"]')?.getAttribute('content') ?? new URLSearchParams((globalThis as unknown as { location: { search: string } }).location.search).get('token') ?? '';
    const ws = new g.WebSocket(`ws://${g.location.host}/api?token=${encodeURIComponent(token)}`);
    const received: Reply[] = [];
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener('open', () => resolve());
      ws.addEventListener('error', () => reject(new Error('socket error')));
    });
    ws.addEventListener('message', (e) => {
      const r = JSON.parse(String(e.data)) as Reply;
      if (r.type === 'result') received.push(r);
    });
    for (const m of messages) ws.send(m);
    ws.send(new g.Uint8Array([0xde, 0xad, 0xbe, 0xef]));
    const expected = messages.length + 1;
    const start = Date.now();
    while (received.length < expected && Date.now() - start < 15000) await new Promise((r) => setTimeout(r, 50));
    ws.close();
    return received;
  }, payloads);

  // One error reply per malformed message (and for the binary frame), none ok.
  expect(replies.map((r) => r.id).sort()).toHaveLength(payloads.length + 1);
  for (const r of replies) {
    expect(r.ok, JSON.stringify(r)).toBe(false);
    expect(typeof r.error?.code).toBe('string');
    expect(typeof r.error?.description).toBe('string');
  }
  const byId = new Map(replies.filter((r) => typeof r.id === 'number' && r.id > 0).map((r) => [r.id!, r]));
  expect(byId.get(2)?.error?.description).toMatch(/Unknown method/);
  expect(byId.get(6)?.error?.description).toMatch(/price/);
  expect(byId.get(8)?.error?.description).toMatch(/quantity/);

  // A `__proto__` key is plain data: stripped as an unknown field, it cannot reach the stored product.
  const sneaky = await page.evaluate(async (): Promise<Reply> => {
    const g = globalThis as unknown as {
      WebSocket: new (url: string) => { send(d: string): void; close(): void; addEventListener(t: string, f: (e: { data: unknown }) => void): void };
      document: { querySelector(s: string): { getAttribute(n: string): string | null } | null };
      location: { host: string; search: string };
    };
    const token = g.document.querySelector('meta[name="stockroom-token"]')?.getAttribute('content') ?? new URLSearchParams(g.location.search).get('token') ?? '';
    const ws = new g.WebSocket(`ws://${g.location.host}/api?token=${encodeURIComponent(token)}`);
    return new Promise<Reply>((resolve) => {
      ws.addEventListener('open', () => ws.send('{"type":"call","id":1,"method":"products.update","args":{"id":"201","product":{"__proto__":{"quantity":0}}}}'));
      ws.addEventListener('message', (e) => {
        const r = JSON.parse(String(e.data)) as Reply;
        if (r.type === 'result') {
          ws.close();
          resolve(r);
        }
      });
    });
  });
  if (sneaky.ok) expect((sneaky.result as { quantity: number }).quantity).toBe(100);

  // Nothing changed and the host still serves this page and a new one.
  await expect(stockCell(productRow(page, '201'))).toHaveText('100');
  await expect(page.getByTestId('products-table').locator('tbody tr')).toHaveCount(9);
  const fresh = await page.context().newPage();
  await openApp(fresh, server.url, 'customers');
  await expect(fresh.getByTestId('customers-table').locator('tbody tr')).toHaveCount(3);
  await expect(fresh.getByTestId('live-indicator')).toContainText('live');
});

test('a socket without the right token, or from another origin, is refused', async ({ page }) => {
  await openApp(page, server.url, 'products');
  const outcome = await page.evaluate(async () => {
    const g = globalThis as unknown as { WebSocket: new (url: string) => { addEventListener(t: string, f: () => void): void }; location: { host: string } };
    const tryOpen = (url: string) =>
      new Promise<string>((resolve) => {
        const ws = new g.WebSocket(url);
        ws.addEventListener('open', () => resolve('open'));
        ws.addEventListener('error', () => resolve('refused'));
      });
    return [await tryOpen(`ws://${g.location.host}/api`), await tryOpen(`ws://${g.location.host}/api?token=wrong`)];
  });
  expect(outcome).toEqual(['refused', 'refused']);

  // The right token from a page of another origin is refused too.
  const token = await page.locator('meta[name="stockroom-token"]').getAttribute('content');
  const host = new URL(server.url).host;
  const stranger = await page.context().newPage();
  await stranger.goto('about:blank');
  const foreign = await stranger.evaluate(
    ([h, t]) =>
      new Promise<string>((resolve) => {
        const g = globalThis as unknown as { WebSocket: new (url: string) => { addEventListener(t: string, f: () => void): void } };
        const ws = new g.WebSocket(`ws://${h}/api?token=${encodeURIComponent(t ?? '')}`);
        ws.addEventListener('open', () => resolve('open'));
        ws.addEventListener('error', () => resolve('refused'));
      }),
    [host, token] as const,
  );
  expect(foreign).toBe('refused');
  await stranger.close();
  // The app's own connection is unaffected.
  await expect(page.getByTestId('live-indicator')).toContainText('live');
});
