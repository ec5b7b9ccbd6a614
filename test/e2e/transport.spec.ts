/**
 * The screens do not know their transport: the same app runs over the
 * preload's bridge (`window.stockroom`, as under Electron) and over its own
 * WebSocket, which reconnects (with the new token) when the server restarts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { callApi, goTo, openApp, productRow, stockCell, watchConsole } from './support/app.js';
import { startServer, type TestServer } from './support/server.js';

test('the app runs over a preload-style bridge (window.stockroom) and stays live', async ({ page }) => {
  const server = await startServer();
  try {
    // What Electron's preload provides, emulated in the page: a BridgeApi of its own.
    await page.addInitScript(() => {
      type Reply = { type: string; id: number; ok: boolean };
      type Listener = (e: unknown) => void;
      const g = globalThis as unknown as {
        WebSocket: new (url: string) => { send(d: string): void; addEventListener(t: string, f: (e: { data: unknown }) => void): void };
        document: { querySelector(s: string): { getAttribute(n: string): string | null } | null };
        location: { host: string };
        stockroom?: unknown;
        __bridgeCalls: number;
      };
      let socket: Promise<{ send(d: string): void }> | null = null;
      const pending = new Map<number, (r: Reply) => void>();
      const listeners = new Set<Listener>();
      let next = 1;
      g.__bridgeCalls = 0;
      const open = () => {
        if (socket) return socket;
        const token = g.document.querySelector('meta[name="stockroom-token"]')?.getAttribute('content') ?? '';
        const ws = new g.WebSocket(`ws://${g.location.host}/api?token=${encodeURIComponent(token)}`);
        ws.addEventListener('message', (e) => {
          const m = JSON.parse(String(e.data)) as { type: string; id: number; event?: unknown };
          if (m.type === 'result') pending.get(m.id)?.(m as unknown as Reply);
          else if (m.type === 'changes') for (const l of listeners) l(m.event);
        });
        socket = new Promise((resolve) => ws.addEventListener('open', () => resolve(ws)));
        return socket;
      };
      g.stockroom = {
        async call(method: string, args: unknown) {
          g.__bridgeCalls++;
          const ws = await open();
          const id = next++;
          return new Promise<Reply>((resolve) => {
            pending.set(id, resolve);
            ws.send(JSON.stringify({ type: 'call', id, method, args }));
          });
        },
        onChanges(l: Listener) {
          void open();
          listeners.add(l);
          return () => listeners.delete(l);
        },
      };
    });
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    const errors = watchConsole(page);
    await openApp(page, server.url, 'products');
    await expect(stockCell(productRow(page, '201'))).toHaveText('100');
    // Another client changes stock: the bridge's change events reach the screen.
    const other = await page.context().newPage();
    await other.goto(server.url);
    const reply = await callApi(other, 'products.restock', { id: '201', quantity: 3 });
    expect(reply.ok).toBe(true);
    await expect(stockCell(productRow(page, '201'))).toHaveText('103');
    // Every call went through the bridge: the app opened no socket of its own.
    expect(sockets).toHaveLength(1);
    expect(await page.evaluate(() => (globalThis as unknown as { __bridgeCalls: number }).__bridgeCalls)).toBeGreaterThan(2);
    expect(errors).toEqual([]);
  } finally {
    await server.close();
  }
});

test('web mode reconnects after the server restarts and refreshes what it shows', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'stockroom-e2e-restart-'));
  const db = join(dir, 'store.db');
  let server: TestServer | null = await startServer({ db });
  try {
    const port = server.port;
    await openApp(page, server.url, 'products');
    await expect(stockCell(productRow(page, '202'))).toHaveText('20');
    await server.close();
    server = null;
    await expect(page.getByTestId('live-indicator')).toContainText('reconnecting');

    // The same database, restocked while the app was away, served again on the same port (with a new token).
    server = await startServer({ db, port });
    const other = await page.context().newPage();
    await other.goto(server.url);
    expect((await callApi(other, 'products.restock', { id: '202', quantity: 5 })).ok).toBe(true);
    await other.close();

    await expect(page.getByTestId('live-indicator')).toContainText('live', { timeout: 20_000 });
    await expect(stockCell(productRow(page, '202'))).toHaveText('25');
    // And it is live again.
    await goTo(page, 'Stores');
    await goTo(page, 'Products');
    const third = await page.context().newPage();
    await third.goto(server.url);
    expect((await callApi(third, 'products.restock', { id: '202', quantity: 1 })).ok).toBe(true);
    await expect(stockCell(productRow(page, '202'))).toHaveText('26');
  } finally {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
