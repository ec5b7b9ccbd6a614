/**
 * better-sqlite3 for Electron. Node (tests, CLI) and Electron need builds for
 * different ABIs, so the Electron build lives in its own folder —
 * `native/electron/better_sqlite3.node`, made by `npm run electron:native`
 * (scripts/electron-native.mjs), or `resources/native/` in a packaged app —
 * and is handed to better-sqlite3 as its `nativeBinding`. node_modules keeps
 * the Node build, so `npm test` and `npm start` both work in either order.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const NATIVE_FILE = 'better_sqlite3.node';

export function electronNativeBinding(projectRoot: string | null): string | undefined {
  const candidates = [
    process.env.STOCKROOM_NATIVE_BINDING,
    typeof process.resourcesPath === 'string' ? join(process.resourcesPath, 'native', NATIVE_FILE) : undefined,
    projectRoot ? join(projectRoot, 'native', 'electron', NATIVE_FILE) : undefined,
  ];
  return candidates.find((c): c is string => typeof c === 'string' && c !== '' && existsSync(c));
}
