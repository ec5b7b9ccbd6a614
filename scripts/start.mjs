#!/usr/bin/env node
// `npm start`: builds the app and launches the Electron desktop shell. Where
// Electron cannot run — its binary is not installed and cannot be downloaded
// (no network), or there is no display — it says so and starts web mode
// instead: the same screens in the browser, against the same database.
//
//   STOCKROOM_START=electron|web   force one or the other
//   extra arguments are passed on (e.g. `npm start -- --db store.db` in web mode)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const passOn = process.argv.slice(2);
const forced = process.env.STOCKROOM_START;

function step(label, cmd, args, { optional = false, timeoutMs } = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...(timeoutMs ? { timeout: timeoutMs } : {}) });
  if (r.status !== 0 && !optional) {
    console.error(`npm start: ${label} failed.`);
    process.exit(r.status ?? 1);
  }
  return r.status === 0;
}

/** The Electron executable, if the electron package has its binary. */
function electronBinary() {
  const dir = join(root, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const exe = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(exe) ? exe : null;
}

function hasDisplay() {
  if (process.platform !== 'linux') return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

function startWeb(reason) {
  console.log(`\n${reason}\nStarting web mode instead: the same app in your browser, on this machine only.\n`);
  const child = spawn(process.execPath, [join(root, 'dist', 'electron', 'server', 'main.js'), '--open', ...passOn], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
}

// 1. Build: engine, main process, preload, renderer.
step('the TypeScript build', npm, ['run', 'build']);
step('the preload bundle', process.execPath, [join(root, 'scripts', 'build-preload.mjs')]);
step('the renderer build', npm, ['run', 'build:renderer', '--if-present']);

if (forced === 'web') {
  startWeb('STOCKROOM_START=web.');
} else {
  // 2. Electron's binary: installed lazily by the electron package; try once to fetch it.
  let exe = electronBinary();
  if (!exe && forced !== 'web') {
    console.log('npm start: the Electron binary is not installed; trying to download it…');
    const r = spawnSync(process.execPath, [join(root, 'node_modules', 'electron', 'install.js')], { cwd: root, encoding: 'utf8', timeout: 5 * 60_000 });
    exe = electronBinary();
    if (!exe) {
      const why = `${r.stderr ?? ''}${r.stdout ?? ''}`.split('\n').find((line) => /error|fail/i.test(line)) ?? `exit code ${r.status}`;
      console.log(`npm start: the download failed (${why.trim()}).`);
    }
  }
  if (!exe) {
    startWeb('The Electron binary is not installed on this machine and could not be downloaded (no network?).');
  } else if (!hasDisplay() && forced !== 'electron') {
    startWeb('There is no display to open a desktop window on (DISPLAY/WAYLAND_DISPLAY unset).');
  } else {
    // 3. better-sqlite3 built for Electron's ABI, in its own folder (node_modules keeps the Node build).
    step('the Electron build of better-sqlite3', process.execPath, [join(root, 'scripts', 'electron-native.mjs')], { optional: true });
    const child = spawn(exe, [root, ...passOn], { cwd: root, stdio: 'inherit' });
    child.on('exit', (code) => process.exit(code ?? 0));
    for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  }
}
