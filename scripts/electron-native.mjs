#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into its own folder,
// native/electron/better_sqlite3.node, which the Electron main process hands
// to better-sqlite3 as `nativeBinding` (electron/main/native.ts). The copy in
// node_modules stays built for Node, so `npm test` (Node) and `npm start`
// (Electron) both keep working after one install, in either order.
//
// It works on a copy of the package in native/electron/.work: first
// prebuild-install (a prebuilt binary for this Electron version), else
// node-gyp against Electron's headers. Both need the network; without it
// the script says so and exits 0 (use --strict to fail instead).
//
//   node scripts/electron-native.mjs [--force] [--strict]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'native', 'electron');
const outFile = join(outDir, 'better_sqlite3.node');
const stampFile = join(outDir, 'build-info.json');
const force = process.argv.includes('--force');
const strict = process.argv.includes('--strict');
const require = createRequire(import.meta.url);

function fail(message) {
  console.error(`electron-native: ${message}`);
  process.exit(strict ? 1 : 0);
}

const readJson = (p) => JSON.parse(readFileSync(p, 'utf8'));
const electronDir = join(root, 'node_modules', 'electron');
const sqliteDir = join(root, 'node_modules', 'better-sqlite3');
if (!existsSync(join(electronDir, 'package.json'))) fail('the electron package is not installed (npm install).');
if (!existsSync(join(sqliteDir, 'package.json'))) fail('better-sqlite3 is not installed (npm install).');
const electronVersion = readJson(join(electronDir, 'package.json')).version;
const sqliteVersion = readJson(join(sqliteDir, 'package.json')).version;
const abi = existsSync(join(electronDir, 'abi_version')) ? readFileSync(join(electronDir, 'abi_version'), 'utf8').trim() : null;
const wanted = { electron: electronVersion, abi, betterSqlite3: sqliteVersion, platform: process.platform, arch: process.arch };

if (!force && existsSync(outFile) && existsSync(stampFile)) {
  const have = readJson(stampFile);
  if (JSON.stringify(have) === JSON.stringify(wanted)) {
    console.log(`electron-native: up to date (${outFile})`);
    process.exit(0);
  }
}

mkdirSync(outDir, { recursive: true });
// The built binary is machine-specific: never committed.
writeFileSync(join(root, 'native', '.gitignore'), '*\n');
const work = join(outDir, '.work', 'better-sqlite3');
rmSync(join(outDir, '.work'), { recursive: true, force: true });
cpSync(sqliteDir, work, { recursive: true, filter: (src) => !src.startsWith(join(sqliteDir, 'build')) });

// npm's nodedir setting points node-gyp at Node's headers; an Electron build needs Electron's.
const env = { ...process.env };
for (const key of Object.keys(env)) if (/^npm_config_(nodedir|target|runtime|disturl|dist_url)$/i.test(key)) delete env[key];

const run = (cmd, args) => spawnSync(cmd, args, { cwd: work, env, stdio: 'inherit', timeout: 10 * 60_000 });
const built = () => existsSync(join(work, 'build', 'Release', 'better_sqlite3.node'));

console.log(`electron-native: building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (ABI ${abi ?? '?'}, ${process.platform}-${process.arch})`);
let prebuild = null;
try {
  prebuild = require.resolve('prebuild-install/bin.js');
} catch {
  /* not installed: go straight to node-gyp */
}
if (prebuild) run(process.execPath, [prebuild, '--runtime', 'electron', '--target', electronVersion, '--arch', process.arch, '--platform', process.platform]);
if (!built()) {
  let gyp = null;
  for (const candidate of [join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'), join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')]) {
    if (existsSync(candidate)) gyp = candidate;
  }
  if (gyp) run(process.execPath, [gyp, 'rebuild', '--release', '--runtime=electron', `--target=${electronVersion}`, `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers']);
}
if (!built()) {
  rmSync(join(outDir, '.work'), { recursive: true, force: true });
  fail(
    `could not build better-sqlite3 for Electron ${electronVersion}: neither a prebuilt binary nor Electron's headers could be fetched (no network?).\n` +
      'The desktop app needs it; everything else (tests, CLI, web mode) uses the Node build in node_modules and is unaffected.',
  );
}
copyFileSync(join(work, 'build', 'Release', 'better_sqlite3.node'), outFile);
writeFileSync(stampFile, JSON.stringify(wanted, null, 2) + '\n');
rmSync(join(outDir, '.work'), { recursive: true, force: true });
console.log(`electron-native: wrote ${outFile}`);
