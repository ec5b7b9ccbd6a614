/**
 * Child scripts bundled once per test process. Starting a child through the
 * tsx loader costs about half a second of CPU (every module resolved and
 * transformed through loader hooks); the same sources bundled by esbuild — the
 * compiler tsx itself uses — start in about a tenth of that, which is what
 * makes fifty kill -9 rounds affordable in CI. The engine worker is bundled
 * next to them as `engine-worker.js`, where a compiled EngineHost looks for it.
 * STOCKROOM_CHILD_TSX=1 runs children through tsx instead.
 */
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
let dir: string | null = null;
const built = new Map<string, Promise<string>>();

function bundleDir(): string {
  if (dir === null) {
    // Inside the project, so that `better-sqlite3` (left out of the bundle) resolves from node_modules.
    const parent = join(root, 'test-results', '.child-bundles');
    mkdirSync(parent, { recursive: true });
    const d = mkdtempSync(join(parent, `${process.pid}-`));
    writeFileSync(join(d, 'package.json'), '{ "type": "module" }\n');
    process.on('exit', () => rmSync(d, { recursive: true, force: true }));
    dir = d;
  }
  return dir;
}

async function bundle(entry: string, name: string): Promise<string> {
  const out = join(bundleDir(), `${name}.js`);
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3'],
    outfile: out,
    logLevel: 'warning',
    // Bundled CommonJS dependencies may call require().
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return out;
}

/** Node arguments that run a TypeScript script as a child process. */
export async function childArgs(script: string): Promise<string[]> {
  if (process.env.STOCKROOM_CHILD_TSX === '1') return ['--import', 'tsx', script];
  const worker = built.get('engine-worker') ?? bundle(join(root, 'electron', 'host', 'engine-worker.ts'), 'engine-worker');
  built.set('engine-worker', worker);
  const name = basename(script).replace(/\.ts$/, '');
  const file = built.get(script) ?? bundle(script, name);
  built.set(script, file);
  await worker;
  return [await file];
}
