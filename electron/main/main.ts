/**
 * The desktop app's main process: one instance per user, any number of
 * independent windows (File > New Window, Ctrl/Cmd+N), the engine host on a
 * worker thread (never the UI thread), the API over IPC, and the database in
 * the user's data folder — the same file the CLI uses — created with the
 * sample store on first run.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, Menu, session } from 'electron';
import { IPC_CHANGES_CHANNEL } from '../../shared/api/transport.js';
import { projectRoot } from '../api/app.js';
import { registerHandlers } from '../api/handlers.js';
import { EngineHost } from '../host/engine-host.js';
import { buildMenu } from './menu.js';
import { electronNativeBinding } from './native.js';
import { registerAppScheme, serveRenderer } from './protocol.js';
import { registerIpc } from './ipc.js';
import { CONTENT_SECURITY_POLICY } from './policy.js';
import { hardenSession, installNavigationGuards } from './security.js';
import { Windows } from './windows.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = projectRoot();
let host: EngineHost | null = null;

// The same data folder as the CLI (electron/cli/paths.ts): ~/.config/Stockroom, …/Application Support/Stockroom, %APPDATA%\Stockroom.
app.setName('Stockroom');
app.setPath('userData', join(app.getPath('appData'), 'Stockroom'));
app.enableSandbox();
registerAppScheme();
installNavigationGuards();

const windows = new Windows(join(here, 'preload.cjs'));

async function start(): Promise<void> {
  hardenSession(session.defaultSession);
  serveRenderer(join(root ?? join(here, '..', '..', '..'), 'dist', 'renderer'), CONTENT_SECURITY_POLICY);
  const file = process.env.STOCKROOM_DB ?? join(app.getPath('userData'), 'stockroom.db');
  const nativeBinding = electronNativeBinding(root);
  try {
    host = await EngineHost.start({ file, sample: true, ...(nativeBinding ? { nativeBinding } : {}) });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    dialog.showErrorBox(
      'Stockroom could not open its database',
      `${file}\n\n${message}\n\n${nativeBinding ? '' : 'The SQLite driver for Electron may be missing: run `npm run electron:native` in the project folder.'}`,
    );
    app.exit(1);
    return;
  }
  const dispatcher = registerHandlers(host, { database: file, transport: 'ipc', version: app.getVersion() });
  registerIpc(dispatcher, windows.all, (event) => windows.originOf(event.sender.id));
  host.onChange((event) => windows.send(IPC_CHANGES_CHANNEL, event));
  Menu.setApplicationMenu(buildMenu({ newWindow: () => windows.open() }));
  windows.open();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!windows.focusAny() && host) windows.open();
  });
  app.on('activate', () => {
    if (windows.all.size === 0 && host) windows.open();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', (event) => {
    if (!host) return;
    event.preventDefault();
    const closing = host;
    host = null;
    closing.close().finally(() => app.quit());
  });
  app.whenReady().then(start, (err: unknown) => {
    dialog.showErrorBox('Stockroom failed to start', err instanceof Error ? err.message : String(err));
    app.exit(1);
  });
}
