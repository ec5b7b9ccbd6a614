/**
 * Serving the built renderer (Vite's output, `dist/renderer`) in web mode.
 *
 * The index page is served with the per-run token injected as
 *   <meta name="stockroom-token" content="…">
 * right after `<head>`; the page's script reads it and opens the API socket
 * (see ws-api.ts). Paths without a file extension fall back to the index
 * page (client-side routes); nothing outside the renderer folder is served.
 * Without a built renderer, a placeholder page says how to build it.
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export const TOKEN_META_NAME = 'stockroom-token';

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The index page's HTML with the token meta tag injected. */
export function injectToken(html: string, token: string): string {
  const meta = `<meta name="${TOKEN_META_NAME}" content="${escapeHtml(token)}">`;
  const head = /<head[^>]*>/i.exec(html);
  if (head) return html.slice(0, head.index + head[0].length) + meta + html.slice(head.index + head[0].length);
  return meta + html;
}

export function placeholderPage(token: string, renderDir: string): string {
  return injectToken(
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Stockroom</title>
<link rel="stylesheet" href="/__placeholder.css"></head>
<body><main>
<h1>Stockroom web mode is running</h1>
<p>The engine and its API are up, but the screens have not been built yet:
no <code>index.html</code> in <code>${escapeHtml(renderDir)}</code>.</p>
<p>Build them with <code>npm run build:renderer</code> (or use <code>npm run web</code>, which builds everything), then reload this page.</p>
<p>Meanwhile the FQL shell works in a terminal: <code>npx stockroom shell</code>.</p>
</main></body></html>`,
    token,
  );
}

const PLACEHOLDER_CSS = 'body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2430}main{max-width:40rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 4px #0002}code{background:#eef0f3;padding:0 .25em;border-radius:3px}';

export interface StaticSite {
  handle(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): void;
}

export function staticSite(renderDir: string, token: string): StaticSite {
  const root = resolve(renderDir);
  const indexFile = join(root, 'index.html');

  const sendIndex = (res: ServerResponse, headers: Record<string, string>, head: boolean): void => {
    const html = existsSync(indexFile) ? injectToken(readFileSync(indexFile, 'utf8'), token) : placeholderPage(token, root);
    res.writeHead(200, { ...headers, 'Content-Type': CONTENT_TYPES['.html']!, 'Cache-Control': 'no-store' });
    res.end(head ? undefined : html);
  };

  return {
    handle(req, res, headers) {
      const head = req.method === 'HEAD';
      if (req.method !== 'GET' && !head) {
        res.writeHead(405, { ...headers, Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('Method not allowed\n');
        return;
      }
      let pathname: string;
      try {
        pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      } catch {
        res.writeHead(400, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('Bad request\n');
        return;
      }
      if (pathname === '/' || pathname === '/index.html') return sendIndex(res, headers, head);
      if (pathname === '/__placeholder.css' && !existsSync(indexFile)) {
        res.writeHead(200, { ...headers, 'Content-Type': CONTENT_TYPES['.css']! });
        res.end(head ? undefined : PLACEHOLDER_CSS);
        return;
      }
      const file = normalize(join(root, pathname));
      const inside = file.startsWith(root + sep) && !pathname.includes('\0');
      if (inside && existsSync(file) && statSync(file).isFile()) {
        const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
        // Vite's assets carry a content hash in their names: cache those; everything else revalidates.
        const cache = pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
        res.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': String(statSync(file).size), 'Cache-Control': cache });
        if (head) res.end();
        else createReadStream(file).pipe(res);
        return;
      }
      if (extname(pathname) === '') return sendIndex(res, headers, head); // a client-side route
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Not found\n');
    },
  };
}
