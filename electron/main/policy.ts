/**
 * The desktop shell's security rules as plain functions (no Electron import
 * at run time), so they are tested in Node: the window settings, the CSP,
 * which URLs are the app's own, which links may open in the browser, which
 * IPC senders are trusted, and which files the app:// protocol may serve.
 */
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { WebPreferences } from 'electron';

export const APP_SCHEME = 'app';
export const APP_HOST = 'stockroom';
export const APP_ORIGIN = 'app://stockroom';
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** No inline or eval'd scripts; everything from the app itself. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
  };
}

/** True for a parsed URL on app://stockroom (compared by parts: Node's URL gives custom schemes a 'null' origin). */
function isAppLocation(u: URL): boolean {
  return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '' && u.port === '';
}

/** True for URLs of the app's own pages. */
export function isAppUrl(url: string): boolean {
  try {
    return isAppLocation(new URL(url));
  } catch {
    return false;
  }
}

/** The URL to hand to shell.openExternal, or null: only plain https URLs (no credentials) leave the app. */
export function safeExternalUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '' || parsed.hostname === '') return null;
  return parsed.toString();
}

/** What the IPC sender check looks at (a subset of IpcMainInvokeEvent). */
export interface SenderInfo<C> {
  sender: C & { mainFrame: unknown };
  senderFrame: { url: string } | null;
}

/**
 * True when a message comes from the main frame of one of our windows,
 * showing our own page (not a frame inside it, not another page, not a
 * window we did not make).
 */
export function isTrustedSender<C>(event: SenderInfo<C>, windows: Iterable<{ webContents: C; isDestroyed(): boolean }>): boolean {
  const frame = event.senderFrame;
  if (!frame || frame !== event.sender.mainFrame) return false;
  if (!isAppUrl(frame.url)) return false;
  for (const win of windows) if (!win.isDestroyed() && win.webContents === event.sender) return true;
  return false;
}

/** What app://stockroom/<path> serves: a file inside the renderer folder, the index page, or nothing. */
export function rendererTarget(renderDir: string, url: string): { kind: 'file'; file: string } | { kind: 'index'; file: string } | { kind: 'none' } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { kind: 'none' };
  }
  if (!isAppLocation(parsed)) return { kind: 'none' };
  const root = resolve(renderDir);
  let pathname: string;
  try {
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return { kind: 'none' };
  }
  if (pathname.includes('\0')) return { kind: 'none' };
  const index = join(root, 'index.html');
  if (pathname === '/' || pathname === '/index.html') return { kind: 'index', file: index };
  const file = normalize(join(root, pathname));
  if (!file.startsWith(root + sep)) return { kind: 'none' };
  if (extname(pathname) === '') return { kind: 'index', file: index }; // a client-side route
  return { kind: 'file', file };
}
