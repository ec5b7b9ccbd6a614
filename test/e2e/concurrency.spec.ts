/**
 * Two windows order the last units of a product at the same moment: exactly
 * one order is placed, the other window shows the engine's message, and
 * both windows show the final stock without a reload.
 */
import { expect, test, type Page } from '@playwright/test';
import { addToCart, chooseCustomer, goTo, openApp, productRow, screenshot, stockCell, watchConsole } from './support/app.js';
import { startServer, type TestServer } from './support/server.js';

let server: TestServer;
test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server?.close();
});

async function markNoReload(page: Page): Promise<void> {
  await page.evaluate(() => {
    (globalThis as unknown as { __noReload: boolean }).__noReload = true;
  });
}

async function stillSamePage(page: Page): Promise<boolean> {
  return page.evaluate(() => (globalThis as unknown as { __noReload?: boolean }).__noReload === true);
}

test('two windows race for the last cups: one order, one clear message, live stock in both', async ({ browser }) => {
  const windowA = await browser.newContext({ viewport: { width: 1360, height: 860 } });
  const windowB = await browser.newContext({ viewport: { width: 1360, height: 860 } });
  const a = await windowA.newPage();
  const b = await windowB.newPage();
  const errors = [...watchConsole(a), ...watchConsole(b)];
  await openApp(a, server.url, 'new-order');
  await openApp(b, server.url, 'new-order');
  await markNoReload(a);
  await markNoReload(b);

  // Cups (201) have 100 in stock. A wants 70 for Alice, B wants 50 for Bob.
  await chooseCustomer(a, /Alice Appleseed/);
  await addToCart(a, 'cups', '201', 70);
  await chooseCustomer(b, /Bob Brown/);
  await addToCart(b, 'cups', '201', 50);

  await Promise.all([a.getByRole('button', { name: 'Place order' }).click(), b.getByRole('button', { name: 'Place order' }).click()]);

  const outcome = async (page: Page): Promise<'ok' | 'refused'> => {
    const ok = page.getByRole('status').filter({ hasText: 'placed for' });
    const refused = page.getByTestId('order-error');
    await expect(ok.or(refused)).toBeVisible();
    return (await refused.count()) > 0 ? 'refused' : 'ok';
  };
  const [ra, rb] = await Promise.all([outcome(a), outcome(b)]);
  expect([ra, rb].sort()).toEqual(['ok', 'refused']);
  const loser = ra === 'refused' ? a : b;
  const winner = ra === 'refused' ? b : a;
  const final = ra === 'ok' ? 30 : 50;

  await expect(loser.getByTestId('order-error')).toHaveText(/^Stock quantity for Product \[201\] not enough – requested at \[[^\]]+\]$/);
  // The refused window's cart is untouched and its stock figure is already the final one.
  await expect(loser.locator('[data-product="201"] input')).toHaveValue(ra === 'refused' ? '70' : '50');
  await expect(loser.locator('[data-product="201"] [data-testid="cart-line-stock"]')).toHaveText(`Only ${final} in stock`);
  // The winning window's product list shows the final stock too.
  await expect(winner.getByTestId('product-picker').getByRole('option', { name: /cups/ })).toContainText(`${final} in stock`);
  await screenshot(loser, 'race-refused-window-light');
  await screenshot(winner, 'race-winning-window-light');

  // Both windows, without reloading, show the final stock on the Products screen.
  for (const page of [a, b]) {
    await goTo(page, 'Products');
    await expect(stockCell(productRow(page, '201'))).toHaveText(String(final));
    expect(await stillSamePage(page)).toBe(true);
  }
  await goTo(a, 'Orders');
  await expect(a.getByTestId('orders-table').locator('tbody tr')).toHaveCount(1);

  // A later change in one window reaches the other live, and the changed row highlights.
  await goTo(a, 'Products');
  await expect(stockCell(productRow(a, '201'))).toHaveText(String(final));
  await b.getByRole('link', { name: 'cups', exact: true }).first().click();
  await b.getByRole('complementary').getByLabel('Restock').fill('5');
  await b.getByRole('complementary').getByRole('button', { name: 'Add stock' }).click();
  await expect(stockCell(productRow(a, '201'))).toHaveText(String(final + 5));
  await expect(productRow(a, '201')).toHaveClass(/flash/);
  await expect(productRow(a, '201')).not.toHaveClass(/flash/);
  expect(await stillSamePage(a)).toBe(true);
  expect(errors).toEqual([]);
  await windowA.close();
  await windowB.close();
});
