/**
 * 10,000 products: the Products screen pages through the engine's cursors
 * (50 rows at a time), searches, and stays live; timings are printed, not
 * asserted (a slow machine must not fail a test).
 */
import { expect, test } from '@playwright/test';
import { callApi, goTo, openApp, productRow, screenshot, stockCell } from './support/app.js';
import { startServer, type TestServer } from './support/server.js';

let server: TestServer;
test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server?.close();
});

const TOTAL = 10_000;
const BATCH = 1_000;

test('10,000 products page smoothly and stay live', async ({ page }) => {
  test.setTimeout(180_000);
  await openApp(page, server.url, 'stores');
  const t0 = Date.now();
  for (let start = 0; start < TOTAL; start += BATCH) {
    const ids = Array.from({ length: BATCH }, (_, i) => start + i);
    const text = `Map(${JSON.stringify(ids)}, Lambda("i", Select(["ref"], Create(Collection("products"), { data: { name: Concat(["bulk item ", ToString(Var("i"))]), description: "Generated for the scale test", price: 1.25, quantity: 40, store: Ref(Collection("stores"), "302"), backorderLimit: 5, backordered: false } }))))`;
    const reply = await callApi(page, 'fql.query', { text });
    expect(reply.ok, JSON.stringify(reply.error)).toBe(true);
    const results = reply.result as { ok: boolean; error?: unknown }[];
    expect(results[0]?.ok, JSON.stringify(results[0]?.error)).toBe(true);
  }
  console.log(`created ${TOTAL} products in ${Date.now() - t0} ms`);

  // The stores screen counts them (live: it was open while they were created).
  const party = page.getByTestId('store-card').filter({ has: page.getByRole('heading', { name: 'Party Supplies' }) });
  await expect(party).toContainText('10,002 products', { timeout: 30_000 });
  await expect(party.getByRole('link', { name: /View all 10,002 products/ })).toBeVisible();

  const t1 = Date.now();
  await goTo(page, 'Products');
  const rows = page.getByTestId('products-table').locator('tbody tr');
  await expect(rows).toHaveCount(50, { timeout: 30_000 });
  console.log(`first page of products in ${Date.now() - t1} ms`);
  await expect(page.getByRole('navigation', { name: 'Pages' })).toContainText('1–50');

  const t2 = Date.now();
  for (let i = 0; i < 5; i++) await page.getByRole('button', { name: 'Next page' }).click();
  await expect(page.getByRole('navigation', { name: 'Pages' })).toContainText('251–300');
  await expect(rows).toHaveCount(50);
  console.log(`5 more pages in ${Date.now() - t2} ms`);
  await screenshot(page, 'products-10k-light');
  await page.getByRole('button', { name: 'Previous page' }).click();
  await expect(page.getByRole('navigation', { name: 'Pages' })).toContainText('201–250');

  // Search across all of them.
  const t3 = Date.now();
  await page.getByRole('searchbox', { name: 'Search products' }).fill('bulk item 9999');
  await expect(rows).toHaveCount(1, { timeout: 30_000 });
  console.log(`search over ${TOTAL} in ${Date.now() - t3} ms`);
  await page.getByRole('searchbox', { name: 'Search products' }).fill('cups');
  await expect(rows).toHaveCount(1);

  // Still live: a change elsewhere shows up.
  const reply = await callApi(page, 'products.restock', { id: '201', quantity: 7 });
  expect(reply.ok).toBe(true);
  await expect(stockCell(productRow(page, '201'))).toHaveText('107');
});
