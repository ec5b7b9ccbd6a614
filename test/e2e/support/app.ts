/** Driving the app in a page: open a screen, watch the console, take screenshots. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { ROOT } from './server.js';

const SHOTS = join(ROOT, 'test-results', 'screenshots');

/** Opens the app at a screen (hash route) and waits until it is connected. */
export async function openApp(page: Page, url: string, route = 'products'): Promise<void> {
  await page.goto(`${url}#/${route}`);
  // Generous: the first connection can be slow on a loaded machine.
  await expect(page.getByTestId('live-indicator')).toContainText('live', { timeout: 30_000 });
}

/** Goes to a screen through the sidebar (no reload). */
export async function goTo(page: Page, label: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: label, exact: true }).click();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.waitForTimeout(250); // let highlights and transitions settle
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}

/**
 * Collects console errors and uncaught exceptions. The backend's CSP header
 * lists `ws://[::1]:PORT`, which Chromium reports as an invalid source; that
 * message is the server's, not the page's, and is left out.
 */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    if (/contains an invalid source: 'ws:\/\/\[::1\]/.test(text)) return;
    errors.push(text);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

export function productRow(page: Page, id: string): Locator {
  return page.getByTestId('products-table').locator(`tr[data-row="${id}"]`);
}

/** The stock cell of a product row. */
export function stockCell(row: Locator): Locator {
  return row.locator('td[data-col="stock"]');
}

/** New order: choose a customer by name. */
export async function chooseCustomer(page: Page, name: RegExp): Promise<void> {
  const picker = page.getByTestId('customer-picker');
  await picker.getByRole('option', { name }).first().click();
  await expect(page.getByTestId('chosen-customer')).toBeVisible();
}

/** New order: search for a product, add it, set its quantity. */
export async function addToCart(page: Page, search: string, productId: string, quantity: number): Promise<void> {
  const picker = page.getByTestId('product-picker');
  await picker.getByRole('combobox').fill(search);
  await picker.getByRole('option', { name: new RegExp(search.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i') }).first().click();
  const line = page.locator(`[data-testid="cart-line"][data-product="${productId}"]`);
  await expect(line).toBeVisible();
  await line.getByRole('textbox').fill(String(quantity));
}

interface CallReply {
  ok: boolean;
  result?: unknown;
  error?: { code: string; description: string };
}

/** Calls the API from inside the page over a socket of its own (setup for a test, as another client would). */
export async function callApi(page: Page, method: string, args: unknown): Promise<CallReply> {
  return page.evaluate(
    ([m, a]) => {
      const g = globalThis as unknown as {
        WebSocket: new (url: string) => { send(d: string): void; close(): void; addEventListener(t: string, f: (e: { data: unknown }) => void): void };
        document: { querySelector(s: string): { getAttribute(n: string): string | null } | null };
        location: { host: string; search: string };
      };
      const token = g.document.querySelector('meta[name="stockroom-token"]')?.getAttribute('content') ?? new URLSearchParams(g.location.search).get('token') ?? '';
      const ws = new g.WebSocket(`ws://${g.location.host}/api?token=${encodeURIComponent(token)}`);
      return new Promise<CallReply>((resolve, reject) => {
        ws.addEventListener('open', () => ws.send(JSON.stringify({ type: 'call', id: 1, method: m, args: a })));
        ws.addEventListener('error', () => reject(new Error('socket error')));
        ws.addEventListener('message', (e) => {
          const r = JSON.parse(String(e.data)) as CallReply & { type: string };
          if (r.type !== 'result') return;
          ws.close();
          resolve(r);
        });
      });
    },
    [method, args] as const,
  );
}
