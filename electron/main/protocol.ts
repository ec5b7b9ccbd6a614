/**
 * The renderer is served from `app://stockroom/` rather than file://, so the
 * pages have a real origin (for the CSP's 'self' and the IPC sender check).
 * Only files inside the built renderer folder are served (policy.ts decides
 * which); paths without an extension get index.html (client-side routes).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { protocol } from 'electron';
import { APP_SCHEME, rendererTarget } from './policy.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json',
};

const PLACEHOLDER = `<!doctype html><html><head><meta charset="utf-8"><title>Stockroom</title></head>
<body style="font-family: system-ui, sans-serif; margin: 3rem">
<h1>Stockroom</h1><p>The screens are not built yet. Run <code>npm run build:renderer</code> and reload (Ctrl/Cmd+R).</p>
</body></html>`;

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves the built renderer on app://stockroom/. Call once the app is ready. */
export function serveRenderer(renderDir: string, csp: string): void {
  const headers = (type: string): Record<string, string> => ({ 'Content-Type': type, 'Content-Security-Policy': csp, 'X-Content-Type-Options': 'nosniff' });
  protocol.handle(APP_SCHEME, (request) => {
    const target = rendererTarget(renderDir, request.url);
    if (target.kind === 'file' && existsSync(target.file) && statSync(target.file).isFile()) {
      return new Response(readFileSync(target.file), { headers: headers(TYPES[extname(target.file).toLowerCase()] ?? 'application/octet-stream') });
    }
    if (target.kind === 'index') {
      return new Response(existsSync(target.file) ? readFileSync(target.file) : PLACEHOLDER, { headers: headers(TYPES['.html']!) });
    }
    return new Response('Not found', { status: 404 });
  });
}
