/**
 * FQL v4 over HTTP from the command line:
 *
 *   node dist/electron/server/fauna-main.js [--db FILE] [--port N] [--secret S] [--sample]
 *
 * Serves Fauna's v4 wire protocol on 127.0.0.1 against FILE (default: the
 * app's database, created with the sample store), for the official `faunadb`
 * driver:
 *
 *   const client = new faunadb.Client({ secret: S, scheme: 'http', domain: '127.0.0.1', port: N });
 *
 * The secret comes from --secret or STOCKROOM_SECRET; without either a
 * random one is made and printed.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { defaultDatabasePath } from '../cli/paths.js';
import { startFaunaServer } from './fauna-http.js';

export const DEFAULT_FQL_PORT = 8443;

const USAGE = `Usage: node dist/electron/server/fauna-main.js [--db FILE] [--port N] [--secret S] [--host 127.0.0.1|localhost|::1]
  --db FILE     database file (default: ${defaultDatabasePath()})
  --port N      port (default ${DEFAULT_FQL_PORT}; 0 = any free port)
  --secret S    the secret clients send (default: $STOCKROOM_SECRET, else a random one, printed)
  --sample      provision the sample store into a new file (done by default for the default database)`;

async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string' },
      port: { type: 'string' },
      secret: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      sample: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  const port = values.port === undefined ? DEFAULT_FQL_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a number from 0 to 65535, not '${values.port}'`);
  const given = values.secret ?? process.env.STOCKROOM_SECRET;
  const secret = given && given.length > 0 ? given : randomBytes(24).toString('base64url');
  const file = values.db ?? defaultDatabasePath();
  const server = await startFaunaServer({ file, port, secret, host: values.host ?? '127.0.0.1', sample: values.sample || values.db === undefined });
  process.stdout.write(`Stockroom FQL v4 endpoint: ${server.url}\nDatabase: ${file}\n`);
  if (!given) process.stdout.write(`Secret: ${secret}\n`);
  process.stdout.write('Press Ctrl+C to stop.\n');
  const stop = (): void => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

run(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`stockroom fql endpoint: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
