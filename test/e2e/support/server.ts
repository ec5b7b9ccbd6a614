/**
 * Starts the web-mode server on a fresh temporary database (the server
 * provisions the sample store into a new file) and a free port.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface TestServer {
  /** The page URL, e.g. http://127.0.0.1:40123/ */
  url: string;
  port: number;
  db: string;
  /** Everything the server printed (for failure messages). */
  output(): string;
  close(): Promise<void>;
}

export interface ServerOptions {
  /** Reuse a database file (kept when the server closes); default: a new one in a fresh temp folder. */
  db?: string;
  /** Default: any free port. */
  port?: number;
}

export async function startServer(options: ServerOptions = {}): Promise<TestServer> {
  if (!existsSync(join(ROOT, 'dist', 'renderer', 'index.html'))) {
    throw new Error('dist/renderer is missing: run `npm run build:renderer` (npm run test:e2e does).');
  }
  const dir = options.db ? null : mkdtempSync(join(tmpdir(), 'stockroom-e2e-'));
  const db = options.db ?? join(dir!, 'store.db');
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'electron', 'server', 'main.ts'), '--db', db, '--port', String(options.port ?? 0)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'test' },
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The server did not start within 60 s:\n${out}`)), 60_000);
    const check = () => {
      const m = /Stockroom web mode: (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout.on('data', check);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`The server exited (${code}) before it was ready:\n${out}`));
    });
  });

  return {
    url,
    port: Number(new URL(url).port),
    db,
    output: () => out,
    async close() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
