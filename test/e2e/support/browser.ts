/** Debian's Chromium (Playwright's own browser download is not available here). */
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.STOCKROOM_CHROMIUM ?? '/usr/bin/chromium';

if (!existsSync(CHROMIUM)) {
  throw new Error(`Chromium not found at ${CHROMIUM}: install it with 'apt-get install -y chromium' (or set STOCKROOM_CHROMIUM).`);
}
