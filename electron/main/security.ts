/**
 * The desktop shell's hardening (the rules themselves are in policy.ts):
 * - every window: contextIsolation, sandbox, no Node integration, no webviews;
 * - a strict Content-Security-Policy header on every response;
 * - no navigation away from the app, no new windows; https links open in the
 *   user's browser through a checked shell.openExternal;
 * - every permission request (camera, notifications, …) denied.
 */
import { app, shell, type Session, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY, isAppUrl, safeExternalUrl } from './policy.js';

/** Opens a link in the user's browser only when it is a plain https URL. */
export function openExternalChecked(url: string): boolean {
  const safe = safeExternalUrl(url);
  if (safe === null) return false;
  void shell.openExternal(safe);
  return true;
}

export function hardenSession(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    openExternalChecked(url);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternalChecked(url);
    return { action: 'deny' };
  });
}

/** Applies the navigation rules to every web contents the app ever creates. */
export function installNavigationGuards(): void {
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
}
