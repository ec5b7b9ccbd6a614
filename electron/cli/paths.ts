/**
 * Where Stockroom keeps its default database: the same folder the desktop
 * app uses for its user data, so the CLI and the app share one store.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function userDataDir(): string {
  const home = homedir();
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'Stockroom');
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Stockroom');
  return join(process.env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Stockroom');
}

export function defaultDatabasePath(): string {
  return process.env.STOCKROOM_DB ?? join(userDataDir(), 'stockroom.db');
}
