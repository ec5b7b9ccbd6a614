/**
 * The API over a WebSocket (web mode), carrying transport.ts's messages.
 *
 * How the browser client connects (for the renderer):
 *   const token = document.querySelector('meta[name="stockroom-token"]').content;
 *   const ws = new WebSocket(`ws://${location.host}/api?token=${encodeURIComponent(token)}`);
 *   ws.send(JSON.stringify({ type: 'call', id: 1, method: 'products.list', args: {} }));
 *   // replies: {type:'result', id, ok, result | error}; pushes: {type:'changes', event}
 *
 * An upgrade is accepted only when all of these hold, otherwise it is
 * answered 403 and closed:
 * - the path is `/api`;
 * - the Host header names this server on a loopback name (127.0.0.1,
 *   localhost or [::1] with our port), which also defeats DNS rebinding;
 * - the Origin header is exactly this server's own origin (`http://` + that
 *   host), so no other site or host can open the socket from a browser;
 * - `token` equals the per-run token, which only our own index page carries.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ChangeEvent } from '../../shared/api/contract.js';
import { WS_PATH, type CallReply, type ServerMessage } from '../../shared/api/transport.js';
import type { Dispatcher } from '../api/handlers.js';

/** Largest message accepted (a Shell query may be up to 1 000 000 characters). */
const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sameToken(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The Host header values that name this server: loopback names with its port. */
export function ownHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
}

export interface WsApi {
  /** Handles an HTTP upgrade request (accepts or refuses it). */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Sends a change event to every connected client. */
  broadcast(event: ChangeEvent): void;
  readonly clientCount: number;
  close(): void;
}

export interface WsApiOptions {
  dispatcher: Dispatcher;
  token: string;
  /** The server's port, once listening. */
  port: () => number;
  /** Further loopback origins allowed to connect (a Vite dev server proxying /api), e.g. http://localhost:5173. */
  extraOrigins?: readonly string[];
}

/** Checks that an extra origin is a plain http origin on a loopback name. */
export function checkExtraOrigin(origin: string): string {
  const m = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):(\d{1,5})$/.exec(origin);
  if (!m) throw new Error(`Only loopback http origins such as http://localhost:5173 may be allowed, not '${origin}'.`);
  return origin;
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.write(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${reason.length}\r\n\r\n${reason}`);
  socket.destroy();
}

/** Why an upgrade request is refused, or null when it is acceptable. */
export function upgradeRefusal(req: IncomingMessage, port: number, token: string, extraOrigins: readonly string[] = []): string | null {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname !== WS_PATH) return 'Not Found';
  const host = req.headers.host ?? '';
  const extraHosts = extraOrigins.map((o) => o.slice('http://'.length));
  if (!ownHosts(port).has(host) && !extraHosts.includes(host)) return 'Forbidden: unknown host';
  if (req.headers.origin !== `http://${host}`) return 'Forbidden: wrong origin';
  if (!sameToken(url.searchParams.get('token'), token)) return 'Forbidden: wrong token';
  return null;
}

function invalid(id: number, description: string): CallReply {
  return { type: 'result', id, ok: false, error: { code: 'invalid request', description } };
}

export function createWsApi(options: WsApiOptions): WsApi {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false });
  let nextClient = 1;

  const send = (ws: WebSocket, msg: ServerMessage): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };

  const onMessage = async (ws: WebSocket, origin: string, data: Buffer, isBinary: boolean): Promise<void> => {
    if (isBinary) return send(ws, invalid(-1, 'Messages must be JSON text.'));
    let msg: unknown;
    try {
      msg = JSON.parse(data.toString('utf8'));
    } catch {
      return send(ws, invalid(-1, 'Message is not valid JSON.'));
    }
    const m = msg as { type?: unknown; id?: unknown; method?: unknown; args?: unknown };
    const id = typeof m?.id === 'number' && Number.isSafeInteger(m.id) ? m.id : -1;
    if (typeof msg !== 'object' || msg === null || m.type !== 'call' || id === -1 || typeof m.method !== 'string') {
      return send(ws, invalid(id, "Expected {type: 'call', id: <integer>, method: <string>, args}."));
    }
    send(ws, await options.dispatcher.reply(id, m.method, m.args, origin));
  };

  return {
    upgrade(req, socket, head) {
      const refusal = upgradeRefusal(req, options.port(), options.token, options.extraOrigins);
      if (refusal !== null) return refuse(socket, refusal === 'Not Found' ? 404 : 403, refusal);
      wss.handleUpgrade(req, socket, head, (ws) => {
        const origin = `web:${nextClient++}`;
        ws.on('message', (data: Buffer, isBinary: boolean) => {
          onMessage(ws, origin, data, isBinary).catch(() => send(ws, invalid(-1, 'The message could not be handled.')));
        });
        ws.on('error', () => ws.terminate());
        wss.emit('connection', ws, req);
      });
    },
    broadcast(event) {
      const text = JSON.stringify({ type: 'changes', event } satisfies ServerMessage);
      for (const ws of wss.clients) if (ws.readyState === ws.OPEN) ws.send(text);
    },
    get clientCount() {
      return wss.clients.size;
    },
    close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
