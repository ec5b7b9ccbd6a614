/** app.info: which database is open, the app's version and the transport in use. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Handlers } from './context.js';

let cachedRoot: { dir: string; version: string } | null | undefined;

/** The project's folder and version: the nearest package.json named "stockroom" above this module (in src or dist). */
function findProject(): { dir: string; version: string } | null {
  if (cachedRoot !== undefined) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      try {
        const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'stockroom') return (cachedRoot = { dir, version: typeof pkg.version === 'string' ? pkg.version : '0.0.0' });
      } catch {
        // keep looking upwards
      }
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return (cachedRoot = null);
}

export function packageVersion(): string {
  return findProject()?.version ?? '0.0.0';
}

/** The project's root folder (where package.json is), or null when not found (a packaged app). */
export function projectRoot(): string | null {
  return findProject()?.dir ?? null;
}

export const appHandlers: Handlers<'app.info'> = {
  async 'app.info'(_args, ctx) {
    return { database: ctx.info.database, version: ctx.info.version ?? packageVersion(), transport: ctx.info.transport };
  },
};
