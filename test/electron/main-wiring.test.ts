/**
 * The Electron main process's wiring, run in plain Node against a recorded
 * stand-in for the `electron` module (fake-electron.mjs): it starts the
 * engine host on the sample store, opens a hardened window on app://, serves
 * the renderer, registers the IPC handler with its sender check, pushes
 * change events to every window, opens new windows from the menu, guards
 * navigation, and closes the engine on quit. The real shell is exercised by
 * app.test.ts where the Electron binary exists.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { register } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { IPC_CALL_CHANNEL, IPC_CHANGES_CHANNEL, type CallReply } from '../../shared/api/transport.js';

interface FakeContents {
  id: number;
  sent: { channel: string; payload: unknown }[];
  mainFrame: { url: string };
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null;
  emit(event: string, ...args: unknown[]): boolean;
}
interface FakeWindow {
  options: { webPreferences: Record<string, unknown> };
  webContents: FakeContents;
  shown?: boolean;
  close(): void;
}
interface FakeState {
  windows: FakeWindow[];
  ipcHandlers: Map<string, (event: unknown, ...args: unknown[]) => Promise<CallReply>>;
  protocolHandlers: Map<string, (req: { url: string }) => Response>;
  privilegedSchemes: { scheme: string; privileges: Record<string, boolean> }[];
  menu: { getMenuItemById(id: string): { accelerator?: string; click(): void } | null } | null;
  opened: string[];
  headerHooks: ((d: { responseHeaders: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void)[];
  permissionHandler: ((wc: unknown, perm: string, cb: (ok: boolean) => void) => void) | null;
  sandboxEnabled: boolean;
  paths: Map<string, string>;
  quitRequested: boolean;
  exitCode: number | null;
  errorBox?: { title: string; message: string };
}

let state: FakeState;
let dir: string;

async function until(cond: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const eventFrom = (win: FakeWindow, frame: { url: string } | null = win.webContents.mainFrame) => ({ sender: win.webContents, senderFrame: frame });

function call(win: FakeWindow, method: string, args: unknown, frame?: { url: string } | null): Promise<CallReply> {
  return state.ipcHandlers.get(IPC_CALL_CHANNEL)!(frame === undefined ? eventFrom(win) : eventFrom(win, frame), method, args);
}

describe('Electron main process wiring (stand-in electron module)', () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stockroom-main-'));
    process.env.STOCKROOM_DB = join(dir, 'store.db');
    register('./fake-electron-hooks.mjs', import.meta.url);
    await import('../../electron/main/main.js');
    state = (globalThis as unknown as { __fakeElectron: FakeState }).__fakeElectron;
    await until(() => state.windows.length === 1 && state.ipcHandlers.size === 1, 'the first window');
  });

  after(async () => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('sets up the app before it is ready: sandbox for all, the app:// scheme, the user data folder', () => {
    assert.equal(state.sandboxEnabled, true);
    assert.deepEqual(state.privilegedSchemes.map((s) => s.scheme), ['app']);
    assert.equal(state.paths.get('userData'), join('/tmp/fake-appdata', 'Stockroom'));
    assert.equal(state.errorBox, undefined);
  });

  it('opens a hardened window on the app page', async () => {
    const [win] = state.windows;
    const prefs = win!.options.webPreferences;
    assert.deepEqual([prefs.contextIsolation, prefs.sandbox, prefs.nodeIntegration, prefs.webviewTag], [true, true, false, false]);
    assert.match(String(prefs.preload), /preload\.cjs$/);
    assert.equal(win!.webContents.mainFrame.url, 'app://stockroom/index.html');
    await until(() => win!.shown === true, 'ready-to-show');
  });

  it('serves the renderer on app:// with the CSP, and nothing outside it', async () => {
    const handler = state.protocolHandlers.get('app')!;
    const index = handler({ url: 'app://stockroom/index.html' });
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.equal(handler({ url: 'app://stockroom/..%2f..%2fpackage.json' }).status, 404);
    const hooked: Record<string, string[]>[] = [];
    state.headerHooks[0]!({ responseHeaders: {} }, (r) => hooked.push(r.responseHeaders));
    assert.match(hooked[0]!['Content-Security-Policy']![0]!, /default-src 'self'/);
    let granted: boolean | null = null;
    state.permissionHandler!({}, 'media', (ok) => (granted = ok));
    assert.equal(granted, false);
  });

  it('answers API calls from its windows and refuses other senders', async () => {
    const [win] = state.windows;
    const reply = await call(win!, 'stores.list', {});
    assert.ok(reply.ok);
    assert.equal((reply.result as unknown[]).length, 3);
    const info = await call(win!, 'app.info', {});
    assert.deepEqual(info.ok && info.result, { database: process.env.STOCKROOM_DB, version: '9.9.9-test', transport: 'ipc' });
    const bad = await call(win!, 'products.get', { id: 'nope' });
    assert.equal(!bad.ok && bad.error.code, 'invalid request');
    const subframe = await call(win!, 'stores.list', {}, { url: 'app://stockroom/index.html' });
    assert.equal(!subframe.ok && subframe.error.code, 'permission denied');
    const stranger = { webContents: { id: 999, sent: [], mainFrame: { url: 'app://stockroom/index.html' }, windowOpenHandler: null, emit: () => false }, options: { webPreferences: {} }, close() {} };
    const foreign = await call(stranger, 'stores.list', {});
    assert.equal(!foreign.ok && foreign.error.code, 'permission denied');
  });

  it('opens independent windows from File > New Window (Ctrl/Cmd+N) and sends every commit to every window', async () => {
    const item = state.menu!.getMenuItemById('new-window')!;
    assert.equal(item.accelerator, 'CmdOrCtrl+N');
    item.click();
    assert.equal(state.windows.length, 2);
    const [first, second] = state.windows;
    const reply = await call(first!, 'products.restock', { id: '201', quantity: 3 });
    assert.ok(reply.ok);
    for (const win of [first!, second!]) {
      await until(() => win.webContents.sent.some((m) => m.channel === IPC_CHANGES_CHANNEL), 'a change event');
      const event = win.webContents.sent.find((m) => m.channel === IPC_CHANGES_CHANNEL)!.payload as { origin: string; changes: { collection: string; id: string }[] };
      assert.equal(event.origin, 'window:1');
      assert.deepEqual(event.changes.map((c) => [c.collection, c.id]), [['products', '201']]);
    }
    const fromSecond = await call(second!, 'products.get', { id: '201' });
    assert.equal(fromSecond.ok && (fromSecond.result as { quantity: number }).quantity, 103);
    second!.close();
    const afterClose = await call(second!, 'stores.list', {});
    assert.equal(!afterClose.ok && afterClose.error.code, 'permission denied', 'a closed window is no longer trusted');
  });

  it('blocks navigation and new windows; https links go to the browser', () => {
    const contents = state.windows[0]!.webContents;
    let prevented = 0;
    const ev = { preventDefault: () => prevented++ };
    contents.emit('will-navigate', ev, 'https://example.com/page');
    contents.emit('will-navigate', ev, 'file:///etc/passwd');
    contents.emit('will-navigate', { preventDefault: () => assert.fail('own pages may navigate') }, 'app://stockroom/orders');
    assert.equal(prevented, 2);
    assert.deepEqual(contents.windowOpenHandler!({ url: 'https://fauna.com/' }), { action: 'deny' });
    assert.deepEqual(contents.windowOpenHandler!({ url: 'javascript:alert(1)' }), { action: 'deny' });
    assert.deepEqual(state.opened, ['https://example.com/page', 'https://fauna.com/']);
  });

  it('closes the engine before quitting', async () => {
    const { app } = (await import('electron' as string)) as { app: { emit(e: string, ev: unknown): void } };
    let prevented = false;
    app.emit('will-quit', { preventDefault: () => (prevented = true) });
    assert.equal(prevented, true);
    await until(() => state.quitRequested, 'app.quit after closing the engine');
  });
});
