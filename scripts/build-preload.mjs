#!/usr/bin/env node
// Bundles the Electron preload (electron/main/preload.ts) into one CommonJS file,
// dist/electron/main/preload.cjs: sandboxed preloads cannot load ES modules or
// require anything but a few Electron modules, so its imports are inlined.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await build({
  entryPoints: [join(root, 'electron', 'main', 'preload.ts')],
  outfile: join(root, 'dist', 'electron', 'main', 'preload.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'es2022',
  external: ['electron'],
  sourcemap: true,
  logLevel: 'warning',
});
console.log('built dist/electron/main/preload.cjs');
