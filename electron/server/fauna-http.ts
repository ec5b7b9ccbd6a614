/**
 * FQL v4 over HTTP: Fauna's v4 wire protocol on a loopback address, so the
 * official `faunadb` driver and existing FQL v4 code run against a local
 * Stockroom file unchanged.
 *
 * - `POST /` with a wire-format JSON expression as the body runs it as one
 *   transaction: 200 `{"resource": …}`, or `{"errors": [...]}` with Fauna's
 *   status for the first error's code (400, 404, 401, 403, 409, 500, 503…).
 * - `GET /ping` answers `{"resource": "Scope write is OK"}` (no secret needed).
 * - Auth: `Authorization: Bearer <secret>` or Basic `<secret>:` (the driver
 *   sends Bearer). A missing or wrong secret gets 401 `unauthorized`.
 * - Every query reply carries `x-txn-time` (the transaction's or read's
 *   timestamp, microseconds). `X-Last-Seen-Txn` is accepted and needs no
 *   action: the engine host starts every read on a fresh snapshot after the
 *   request arrives and answers a write only once it has committed, so a
 *   client never reads older state than it has seen.
 * - The driver speaks HTTP/2 without TLS (h2c, prior knowledge) in Node and
 *   HTTP/1.1 elsewhere (curl, fetch); the listener tells them apart by the
 *   HTTP/2 connection preface and serves both on one port.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer as createHttp1Server, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttp2Server, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { parseJson, stringifyJson } from '../../shared/fql/json.js';
import { printExpr } from '../../shared/fql/print.js';
import { statusOf, type FaunaErrorJson } from '../engine/errors.js';
import { EngineHost } from '../host/engine-host.js';

export interface FaunaServerOptions {
  /** The secret clients must present. */
  secret: string;
  /** Loopback address: 127.0.0.1 (default), localhost or ::1. */
  host?: string;
  port?: number;
  /** The database file (ignored when `engine` is given). */
  file?: string;
  /** Provision the sample store into a new file (default false). */
  sample?: boolean;
  /** An engine host to share; not closed by close(). */
  engine?: EngineHost;
  /** Largest request body in bytes (default 16 MiB). */
  maxBodyBytes?: number;
  nativeBinding?: string;
}

export interface FaunaServer {
  readonly url: string;
  readonly port: number;
  readonly engine: EngineHost;
  close(): Promise<void>;
}

type Req = IncomingMessage | Http2ServerRequest;
type Res = ServerResponse | Http2ServerResponse;

const LOOPBACK_BIND = new Set(['127.0.0.1', 'localhost', '::1']);
const HTTP2_PREFACE = 'PRI * HTTP/2.0';

/** True when a client address is on the loopback network. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** The secret in an Authorization header (Bearer S, or Basic base64("S:")), or null. */
export function secretFrom(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^(Bearer|Basic)\s+(\S+)\s*$/i.exec(header);
  if (!m) return null;
  if (m[1]!.toLowerCase() === 'bearer') return m[2]!;
  const decoded = Buffer.from(m[2]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? decoded : decoded.slice(0, colon);
}

function sameSecret(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function send(res: Res, status: number, body: string, extra: Record<string, string> = {}): void {
  const headers: Record<string, string> = { 'content-type': 'application/json;charset=utf-8', 'x-faunadb-build': 'stockroom', ...extra };
  if (!(res as ServerResponse).headersSent) {
    (res as ServerResponse).writeHead(status, headers);
  }
  res.end(body);
}

function sendErrors(res: Res, errors: FaunaErrorJson[], extra: Record<string, string> = {}): void {
  const first = errors[0]!;
  send(res, statusOf(first.code, first.description), JSON.stringify({ errors }), extra);
}

function readBody(req: Req, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The ledger's summary of a request: the expression printed as FQL when it parses. */
function summaryOf(body: string): string {
  try {
    return printExpr(parseJson(body)).slice(0, 2000);
  } catch {
    return body.slice(0, 2000);
  }
}

export async function startFaunaServer(options: FaunaServerOptions): Promise<FaunaServer> {
  if (!options.secret) throw new Error('The FQL endpoint needs a secret.');
  const bindHost = options.host ?? '127.0.0.1';
  if (!LOOPBACK_BIND.has(bindHost)) throw new Error(`The FQL endpoint listens on loopback addresses only, not '${bindHost}'.`);
  if (options.engine === undefined && options.file === undefined) throw new Error('Give the FQL endpoint a database file or an engine host.');
  const ownsEngine = options.engine === undefined;
  const engine =
    options.engine ??
    (await EngineHost.start({ file: options.file!, sample: options.sample ?? false, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) }));
  const maxBody = options.maxBodyBytes ?? 16 * 1024 * 1024;
  const secret = options.secret;

  const handle = async (req: Req, res: Res): Promise<void> => {
    if (!isLoopbackAddress(req.socket.remoteAddress)) {
      return sendErrors(res, [{ code: 'permission denied', description: 'This endpoint answers loopback clients only.' }]);
    }
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/ping') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendErrors(res, [{ code: 'method not allowed', description: `${req.method} is not allowed on /ping.` }]);
      return send(res, 200, JSON.stringify({ resource: 'Scope write is OK' }));
    }
    if (path !== '/') return sendErrors(res, [{ code: 'not found', description: `No such endpoint: ${path.slice(0, 100)}` }]);
    if (!sameSecret(secretFrom(req.headers.authorization), secret)) {
      return sendErrors(res, [{ code: 'unauthorized', description: 'Unauthorized' }], { 'www-authenticate': 'Basic realm="Unauthorized"' });
    }
    if (req.method !== 'POST') return sendErrors(res, [{ code: 'method not allowed', description: `${req.method} is not allowed; send queries with POST.` }]);
    const body = await readBody(req, maxBody);
    if (body === null) return sendErrors(res, [{ code: 'request too large', description: `Request body is larger than ${maxBody} bytes.` }]);
    const started = Date.now();
    const reply = await engine.query(body, 'http', { summary: summaryOf(body) });
    const headers: Record<string, string> = { 'x-query-time': String(Date.now() - started) };
    if (reply.ts !== null) headers['x-txn-time'] = reply.ts.toString();
    if (reply.ok) send(res, 200, `{"resource":${stringifyJson(reply.resource)}}`, headers);
    else sendErrors(res, reply.errors, headers);
  };

  const onRequest = (req: Req, res: Res): void => {
    handle(req, res).catch((err: unknown) => {
      const description = err instanceof Error ? err.message : String(err);
      sendErrors(res, [{ code: 'internal server error', description }]);
    });
  };

  const h1 = createHttp1Server(onRequest);
  const h2 = createHttp2Server(onRequest);
  h1.on('clientError', (_err, socket) => socket.destroy());
  h2.on('sessionError', () => {
    /* a broken client session; the next one is unaffected */
  });
  const sockets = new Set<Socket>();
  const listener = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    if (!isLoopbackAddress(socket.remoteAddress)) {
      socket.destroy();
      return;
    }
    // Peek at the first bytes: the HTTP/2 preface goes to the h2c server, anything else is HTTP/1.1.
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      socket.unshift(chunk);
      const isHttp2 = chunk.toString('latin1', 0, HTTP2_PREFACE.length) === HTTP2_PREFACE;
      (isHttp2 ? h2 : h1).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(options.port ?? 0, bindHost, () => {
        listener.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    if (ownsEngine) await engine.close();
    throw err;
  }
  const port = (listener.address() as AddressInfo).port;
  const urlHost = bindHost === '::1' ? '[::1]' : bindHost;
  return {
    url: `http://${urlHost}:${port}/`,
    port,
    engine,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
      h1.close();
      h2.close();
      if (ownsEngine) await engine.close();
    },
  };
}
