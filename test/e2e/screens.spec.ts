/**
 * Every screen renders the sample store, in the light and the dark theme,
 * with no console errors (so no CSP violation either). Screenshots go to
 * test-results/screenshots/.
 */
import { expect, test, type Page } from '@playwright/test';
import { goTo, openApp, productRow, screenshot, stockCell, watchConsole } from './support/app.js';
import { startServer, type TestServer } from './support/server.js';

let server: TestServer;
test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server?.close();
});

async function visitEveryScreen(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.emulateMedia({ colorScheme: theme });
  await openApp(page, server.url, 'stores');
  await expect(page.getByTestId('db-name')).toHaveText('store.db');

  // Stores: address, product count, its products.
  await expect(page.getByTestId('store-card')).toHaveCount(3);
  const dcFruits = page.getByTestId('store-card').filter({ has: page.getByRole('heading', { name: 'DC Fruits' }) });
  await expect(dcFruits).toContainText('13 Pierstorff Drive');
  await expect(dcFruits).toContainText('Washington, DC 20220');
  await expect(dcFruits).toContainText('4 products');
  await expect(dcFruits.locator('tbody tr')).toHaveCount(4);
  await screenshot(page, `stores-${theme}`);

  // Products: the index table.
  await goTo(page, 'Products');
  await expect(page.getByTestId('products-table').locator('tbody tr')).toHaveCount(9);
  const cups = productRow(page, '201');
  await expect(cups).toContainText('cups');
  await expect(cups).toContainText('Translucent 9 Oz, 100 ct');
  await expect(cups).toContainText('Party Supplies');
  await expect(cups).toContainText('$6.98');
  await expect(stockCell(cups)).toHaveText('100');
  await screenshot(page, `products-${theme}`);

  // A product in the side panel.
  await cups.click();
  await expect(page.getByRole('complementary')).toContainText('Translucent 9 Oz, 100 ct');
  await expect(page.getByTestId('product-stock')).toHaveText('100');
  await page.getByRole('button', { name: 'History' }).click();
  await expect(page.getByRole('list', { name: 'History' })).toContainText('Created');
  await screenshot(page, `product-panel-${theme}`);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('complementary')).toHaveCount(0);

  // Customers, masked cards only.
  await goTo(page, 'Customers');
  const customers = page.getByTestId('customers-table').locator('tbody tr');
  await expect(customers).toHaveCount(3);
  await expect(page.getByTestId('customers-table')).toContainText('Visa •••• 3393');
  await expect(page.locator('body')).not.toContainText('4556781272473393');
  await screenshot(page, `customers-${theme}`);
  await customers.filter({ hasText: 'Alice' }).click();
  await expect(page.getByRole('heading', { name: 'Alice Appleseed' })).toBeVisible();
  await expect(page.getByTestId('customer-card')).toHaveText('Visa •••• 3393');
  await expect(page.getByText('87856 Mendota Court')).toBeVisible();
  await screenshot(page, `customer-detail-${theme}`);

  // Orders: none yet, and the empty state offers the next action.
  await goTo(page, 'Orders');
  await expect(page.getByRole('heading', { name: 'No orders yet' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Place an order' })).toBeVisible();
  await screenshot(page, `orders-empty-${theme}`);

  // New order.
  await goTo(page, 'New order');
  await expect(page.getByTestId('customer-picker').getByRole('option')).toHaveCount(3);
  await expect(page.getByTestId('product-picker').getByRole('option')).toHaveCount(8);
  await expect(page.getByRole('heading', { name: 'The cart is empty' })).toBeVisible();
  await screenshot(page, `new-order-${theme}`);

  // Shell.
  await goTo(page, 'Shell');
  await expect(page.locator('.cm-content')).toContainText('Paginate');
  await screenshot(page, `shell-${theme}`);

  // Ledger: the sample store was provisioned in one transaction.
  await goTo(page, 'Ledger');
  const entries = page.getByTestId('ledger-entry');
  await expect(entries).toHaveCount(1);
  await expect(entries.first()).toContainText('27 created');
  await entries.first().getByRole('button').first().click();
  await expect(entries.first()).toContainText('products/201');
  await screenshot(page, `ledger-${theme}`);

  // Schema.
  await goTo(page, 'Schema');
  const collections = page.getByRole('table', { name: 'Collections' });
  await expect(collections.locator('tbody tr')).toHaveCount(4);
  await expect(collections.locator('tbody tr').filter({ hasText: 'products' })).toContainText('9');
  await expect(page.getByRole('table', { name: 'Indexes' })).toContainText('products_by_store');
  await expect(page.getByTestId('schema-function').filter({ hasText: 'submit_order' })).toBeVisible();
  await screenshot(page, `schema-${theme}`);
}

test('every screen renders the sample store (light theme)', async ({ page }) => {
  const errors = watchConsole(page);
  await visitEveryScreen(page, 'light');
  expect(errors).toEqual([]);
});

test('every screen renders the sample store (dark theme)', async ({ page }) => {
  const errors = watchConsole(page);
  await visitEveryScreen(page, 'dark');
  expect(errors).toEqual([]);
});

test('the command palette jumps to a screen, a product and a customer from the keyboard', async ({ page }) => {
  const errors = watchConsole(page);
  await openApp(page, server.url, 'stores');
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await expect(palette).toBeVisible();
  await page.keyboard.type('Giant');
  await expect(palette.getByRole('option').first()).toContainText('Giant Taco Pinata');
  await screenshot(page, 'palette-light');
  await page.keyboard.press('Enter');
  await expect(palette).toHaveCount(0);
  await expect(page).toHaveURL(/#\/products\/209$/);
  await expect(page.getByRole('complementary')).toContainText('Giant Taco Pinata');

  await page.keyboard.press('Control+k');
  await page.keyboard.type('Carol');
  await expect(palette.getByRole('option')).toHaveCount(1);
  await expect(palette.getByRole('option').first()).toContainText('Carol Clark');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Carol Clark' })).toBeVisible();

  await page.keyboard.press('Control+k');
  await page.keyboard.type('ledg');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Ledger' })).toBeVisible();

  // Alt+digit jumps to a section too.
  await page.keyboard.press('Alt+2');
  await expect(page.getByRole('heading', { name: 'Products', level: 1 })).toBeVisible();
  expect(errors).toEqual([]);
});
