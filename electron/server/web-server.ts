/**
 * Web mode: the same renderer the desktop app shows, served on a loopback
 * address, with the same API over a WebSocket against the same engine host.
 * Only loopback addresses can be bound; requests naming another host are
 * refused (DNS rebinding), and the socket takes only our own origin with the
 * per-run token (ws-api.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { registerHandlers } from '../api/handlers.js';
import { projectRoot } from '../api/app.js';
import { EngineHost } from '../host/engine-host.js';
import { staticSite } from './static.js';
import { checkExtraOrigin, createWsApi, newToken, ownHosts } from './ws-api.js';

export interface WebServerOptions {
  /** Loopback address to bind: 127.0.0.1 (default), localhost or ::1. */
  host?: string;
  /** Port; 0 picks a free one. */
  port?: number;
  /** The database file (ignored when `engine` is given). */
  file: string;
  /** Provision the sample store into a new file (default true). */
  sample?: boolean;
  /** The built renderer (default: dist/renderer in the project). */
  renderDir?: string;
  /** An engine host to share (e.g. with the FQL-over-HTTP endpoint); not closed by close(). */
  engine?: EngineHost;
  /**
   * Further loopback origins whose pages may open the API socket — for a Vite
   * dev server that proxies /api here (`--allow-origin http://localhost:5173`).
   */
  extraOrigins?: string[];
  /** Fixed token (tests); default: a new random one per run. */
  token?: string;
  nativeBinding?: string;
}

export interface WebServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly engine: EngineHost;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export function defaultRenderDir(): string {
  return join(projectRoot() ?? process.cwd(), 'dist', 'renderer');
}

/**
 * Response headers for every page: a strict CSP (no inline or eval'd scripts)
 * and no framing. `host` is the request's (already checked) Host header; the
 * socket's ws:// origin is listed for browsers whose 'self' does not cover
 * ws: (an IPv6 literal cannot be listed, and there 'self' does the work).
 */
export function securityHeaders(host: string): Record<string, string> {
  const socket = host.startsWith('[') ? '' : ` ws://${host}`;
  return {
    'Content-Security-Policy': [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self' data:",
      `connect-src 'self'${socket}`,
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const bindHost = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(bindHost)) throw new Error(`Web mode listens on loopback addresses only (127.0.0.1, localhost, ::1), not '${bindHost}'.`);
  const extraOrigins = (options.extraOrigins ?? []).map(checkExtraOrigin);
  const extraHosts = extraOrigins.map((o) => o.slice('http://'.length));
  const ownsEngine = options.engine === undefined;
  const engine =
    options.engine ?? (await EngineHost.start({ file: options.file, sample: options.sample ?? true, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) }));
  const token = options.token ?? newToken();
  const dispatcher = registerHandlers(engine, { database: options.file, transport: 'websocket' });
  const site = staticSite(options.renderDir ?? defaultRenderDir(), token);
  let port = 0;
  const api = createWsApi({ dispatcher, token, port: () => port, extraOrigins });
  const unsubscribe = engine.onChange((event) => api.broadcast(event));

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const host = req.headers.host ?? '';
    if (!ownHosts(port).has(host) && !extraHosts.includes(host)) {
      res.writeHead(421, { ...securityHeaders(`127.0.0.1:${port}`), 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Misdirected request: this server answers only on its loopback address.\n');
      return;
    }
    site.handle(req, res, securityHeaders(host));
  });
  server.on('upgrade', (req, socket, head) => api.upgrade(req, socket, head));
  server.on('clientError', (_err, socket) => socket.destroy());

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, bindHost, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    unsubscribe();
    if (ownsEngine) await engine.close();
    throw err;
  }
  port = (server.address() as AddressInfo).port;
  const urlHost = bindHost === '::1' ? '[::1]' : bindHost;

  return {
    url: `http://${urlHost}:${port}/`,
    port,
    token,
    engine,
    async close() {
      unsubscribe();
      api.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (ownsEngine) await engine.close();
    },
  };
}
