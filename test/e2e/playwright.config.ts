/**
 * End-to-end tests: the real renderer (dist/renderer, built by `npm run
 * build:renderer`) in Debian's Chromium, against the web-mode server
 * (electron/server/main.ts), one fresh database per test file.
 *
 *   npm run test:e2e
 */
import { defineConfig } from '@playwright/test';
import { CHROMIUM } from './support/browser.js';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  workers: 2,
  fullyParallel: false,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  outputDir: '../../test-results/e2e-artifacts',
  use: {
    viewport: { width: 1360, height: 860 },
    launchOptions: { executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] },
    screenshot: 'only-on-failure',
    trace: 'off',
    actionTimeout: 15_000,
  },
});
