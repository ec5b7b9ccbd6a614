/**
 * Web mode from the command line:
 *
 *   node dist/electron/server/main.js [--db FILE] [--port N] [--host 127.0.0.1] [--open] [--allow-origin URL]
 *
 * Serves the built renderer (dist/renderer) and the API over a WebSocket on a
 * loopback address, against the database FILE (default: the same file the
 * CLI and the desktop app use, created with the sample store). Prints the URL
 * (`Stockroom web mode: http://127.0.0.1:N/`); Ctrl+C stops it.
 */
import { parseArgs } from 'node:util';
import { defaultDatabasePath } from '../cli/paths.js';
import { openInBrowser } from './open-url.js';
import { startWebServer, type WebServer } from './web-server.js';

export const DEFAULT_WEB_PORT = 7412;

const USAGE = `Usage: node dist/electron/server/main.js [--db FILE] [--port N] [--host 127.0.0.1|localhost|::1] [--open]
  --db FILE    database file (default: ${defaultDatabasePath()}); created with the sample store
  --port N     port (default ${DEFAULT_WEB_PORT}, or a free one if that is taken; 0 = any free port)
  --open       open the page in the default browser
  --allow-origin http://localhost:5173
               also accept API sockets from that loopback origin (a Vite dev server proxying /api)`;

function parsePort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--port must be a number from 0 to 65535, not '${text}'`);
  return n;
}

export async function main(argv: string[]): Promise<WebServer | null> {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      open: { type: 'boolean', default: false },
      'allow-origin': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return null;
  }
  const file = values.db ?? defaultDatabasePath();
  const port = parsePort(values.port);
  const extraOrigins = values['allow-origin'] ?? [];
  const start = (p: number): Promise<WebServer> => startWebServer({ file, port: p, host: values.host ?? '127.0.0.1', extraOrigins });
  let server: WebServer;
  try {
    server = await start(port ?? DEFAULT_WEB_PORT);
  } catch (err) {
    if (port !== undefined || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    server = await start(0);
  }
  process.stdout.write(`Stockroom web mode: ${server.url}\nDatabase: ${file}\nPress Ctrl+C to stop.\n`);
  if (extraOrigins.length > 0) {
    // A dev server's page has no token meta tag: open it with ?token=… (renderer/api/token.ts reads either).
    for (const origin of extraOrigins) process.stdout.write(`Also accepting ${origin}: open ${origin}/?token=${server.token}\n`);
  }
  if (values.open) openInBrowser(server.url);
  const stop = (): void => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return server;
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`stockroom web: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
