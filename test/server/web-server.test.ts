/**
 * Web mode: the renderer served on loopback with the per-run token injected,
 * and the API over a WebSocket that takes only our own origin with the right
 * token; calls work, malformed messages are refused without harm, and a
 * commit by one client reaches every other client as a change event.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import type { ChangeEvent } from '../../shared/api/contract.js';
import type { CallReply, ServerMessage } from '../../shared/api/transport.js';
import { startWebServer, type WebServer } from '../../electron/server/web-server.js';

let dir: string;
let server: WebServer;

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end();
  });
}

const ownOrigin = (): string => `http://127.0.0.1:${server.port}`;

/** Opens a socket; resolves when open, rejects with the HTTP status when refused. */
function connect(opts: { token?: string | null; origin?: string | null; host?: string } = {}): Promise<Client> {
  const token = opts.token === undefined ? server.token : opts.token;
  const url = `ws://127.0.0.1:${server.port}/api${token === null ? '' : `?token=${encodeURIComponent(token)}`}`;
  const origin = opts.origin === undefined ? ownOrigin() : opts.origin;
  const ws = new WebSocket(url, { ...(origin === null ? {} : { origin }), ...(opts.host ? { headers: { host: opts.host } } : {}) });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(new Client(ws)));
    ws.once('unexpected-response', (_req, res) => {
      reject(new Error(`refused ${res.statusCode}`));
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

class Client {
  private nextId = 1;
  private readonly waiting = new Map<number, (r: CallReply) => void>();
  readonly changes: ChangeEvent[] = [];
  private changeWaiters: (() => void)[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as ServerMessage;
      if (msg.type === 'changes') {
        this.changes.push(msg.event);
        for (const w of this.changeWaiters.splice(0)) w();
      } else {
        this.waiting.get(msg.id)?.(msg);
        this.waiting.delete(msg.id);
      }
    });
  }

  call(method: string, args: unknown): Promise<CallReply> {
    const id = this.nextId++;
    return this.raw(JSON.stringify({ type: 'call', id, method, args }), id);
  }

  raw(text: string, id: number): Promise<CallReply> {
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.ws.send(text);
    });
  }

  async waitForChange(pred: (e: ChangeEvent) => boolean, ms = 5000): Promise<ChangeEvent> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const hit = this.changes.find(pred);
      if (hit) return hit;
      await new Promise<void>((resolve) => {
        this.changeWaiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
    throw new Error('no matching change event arrived');
  }

  close(): void {
    this.ws.close();
  }
}

describe('web mode server', () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stockroom-web-'));
    const renderDir = join(dir, 'renderer');
    mkdirSync(join(renderDir, 'assets'), { recursive: true });
    writeFileSync(join(renderDir, 'index.html'), '<!doctype html><html><head><title>Stockroom</title></head><body><script type="module" src="/assets/app.js"></script></body></html>');
    writeFileSync(join(renderDir, 'assets', 'app.js'), 'console.log("hi")');
    writeFileSync(join(dir, 'secret.txt'), 'do not serve');
    server = await startWebServer({ file: join(dir, 'store.db'), port: 0, renderDir });
  });

  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the index page with the token and a strict CSP', async () => {
    const page = await get('/');
    assert.equal(page.status, 200);
    assert.ok(page.body.includes(`<meta name="stockroom-token" content="${server.token}">`));
    assert.ok(server.token.length >= 32);
    const csp = String(page.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.ok(csp.includes(`connect-src 'self' ws://127.0.0.1:${server.port}`), csp);
    assert.doesNotMatch(csp, /unsafe-eval/);
    assert.equal(page.headers['cache-control'], 'no-store');
    const route = await get('/orders/123');
    assert.ok(route.body.includes('stockroom-token'), 'client-side routes get the index page');
  });

  it('serves assets and nothing outside the renderer folder', async () => {
    const asset = await get('/assets/app.js');
    assert.equal(asset.status, 200);
    assert.match(String(asset.headers['content-type']), /javascript/);
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/nope.js']) {
      const r = await get(path);
      assert.ok(r.status === 404 || !r.body.includes('do not serve'), path);
      assert.ok(!r.body.includes('do not serve'), path);
    }
  });

  it('refuses requests that name another host (DNS rebinding)', async () => {
    const r = await get('/', { host: `evil.example:${server.port}` });
    assert.equal(r.status, 421);
    assert.ok(!r.body.includes(server.token));
  });

  it('refuses sockets from another origin, without the token, with a wrong token or another host', async () => {
    await assert.rejects(connect({ origin: 'http://evil.example' }), /refused 403/);
    await assert.rejects(connect({ origin: `http://localhost:${server.port + 1}` }), /refused 403/);
    await assert.rejects(connect({ origin: null }), /refused 403/);
    await assert.rejects(connect({ token: null }), /refused 403/);
    await assert.rejects(connect({ token: 'x'.repeat(server.token.length) }), /refused 403/);
    await assert.rejects(connect({ token: server.token + 'x' }), /refused 403/);
    await assert.rejects(connect({ host: `evil.example:${server.port}`, origin: `http://evil.example:${server.port}` }), /refused 403/);
  });

  it('answers calls over the socket', async () => {
    const c = await connect();
    try {
      const info = await c.call('app.info', {});
      assert.ok(info.ok);
      assert.equal((info.result as { transport: string }).transport, 'websocket');
      const products = await c.call('products.list', { storeId: '302' });
      assert.ok(products.ok);
      assert.deepEqual((products.result as { items: { name: string }[] }).items.map((p) => p.name), ['cups', 'pinata']);
    } finally {
      c.close();
    }
  });

  it('rejects malformed messages and keeps working', async () => {
    const c = await connect();
    try {
      const bad = await c.call('products.get', { id: 'DROP TABLE' });
      assert.equal(bad.ok, false);
      assert.equal(!bad.ok && bad.error.code, 'invalid request');
      const unknown = await c.call('fs.readFile', { path: '/etc/passwd' });
      assert.equal(!unknown.ok && unknown.error.code, 'invalid request');
      const notJson = await c.raw('{not json', -1);
      assert.equal(!notJson.ok && notJson.error.code, 'invalid request');
      const noMethod = await c.raw(JSON.stringify({ type: 'call', id: 77 }), 77);
      assert.equal(!noMethod.ok && noMethod.error.code, 'invalid request');
      const good = await c.call('products.get', { id: '201' });
      assert.ok(good.ok);
    } finally {
      c.close();
    }
  });

  it('pushes change events to every client when one commits', async () => {
    const a = await connect();
    const b = await connect();
    try {
      const r = await a.call('products.restock', { id: '202', quantity: 5 });
      assert.ok(r.ok);
      const seen = await b.waitForChange((e) => e.changes.some((ch) => ch.collection === 'products' && ch.id === '202' && ch.action === 'update'));
      assert.match(seen.origin, /^web:\d+$/);
      await a.waitForChange((e) => e.ts === seen.ts);
    } finally {
      a.close();
      b.close();
    }
  });
});

describe('web mode without a built renderer', () => {
  it('serves a placeholder page that says how to build it', async () => {
    const d = mkdtempSync(join(tmpdir(), 'stockroom-web-'));
    const s = await startWebServer({ file: join(d, 'store.db'), port: 0, renderDir: join(d, 'missing') });
    try {
      const res = await new Promise<string>((resolve, reject) => {
        request({ host: '127.0.0.1', port: s.port, path: '/' }, (r) => {
          let t = '';
          r.on('data', (c) => (t += String(c)));
          r.on('end', () => resolve(t));
        })
          .on('error', reject)
          .end();
      });
      assert.match(res, /npm run build:renderer/);
      assert.ok(res.includes(s.token));
    } finally {
      await s.close();
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('refuses to listen on a non-loopback address, or to trust a non-loopback origin', async () => {
    await assert.rejects(startWebServer({ file: ':memory:', host: '0.0.0.0' }), /loopback/);
    await assert.rejects(startWebServer({ file: ':memory:', extraOrigins: ['http://evil.example:5173'] }), /loopback/);
    await assert.rejects(startWebServer({ file: ':memory:', extraOrigins: ['https://localhost:5173'] }), /loopback/);
  });

  it('accepts sockets from an explicitly allowed dev-server origin (a Vite proxy), with the token', async () => {
    const d = mkdtempSync(join(tmpdir(), 'stockroom-web-'));
    const s = await startWebServer({ file: join(d, 'store.db'), port: 0, renderDir: join(d, 'missing'), extraOrigins: ['http://localhost:5173'] });
    const open = (token: string): Promise<number> =>
      new Promise((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${s.port}/api?token=${token}`, { origin: 'http://localhost:5173', headers: { host: 'localhost:5173' } });
        ws.once('open', () => {
          ws.close();
          resolve(101);
        });
        ws.once('unexpected-response', (_req, res) => {
          resolve(res.statusCode ?? 0);
          ws.terminate();
        });
        ws.on('error', () => {
          /* reported through unexpected-response */
        });
      });
    try {
      assert.equal(await open(s.token), 101);
      assert.equal(await open('wrong'), 403);
    } finally {
      await s.close();
      rmSync(d, { recursive: true, force: true });
    }
  });
});
