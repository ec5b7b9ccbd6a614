/**
 * The tutorial's orders through the New order screen: stock and badges
 * change; an order that asks for too much shows the engine's message
 * verbatim, keeps the cart and changes nothing; shipping; the ledger.
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
test.describe.configure({ mode: 'serial' });

async function placeOrder(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Place order' }).click();
  const toast = page.getByTestId('toast').filter({ hasText: 'placed for' });
  await expect(toast).toHaveCount(1);
  const href = await toast.getByRole('link', { name: 'View order' }).getAttribute('href');
  await toast.getByRole('button', { name: 'Dismiss' }).click();
  await expect(toast).toHaveCount(0);
  return /#\/orders\/(\d+)/.exec(href ?? '')![1]!;
}

test('place orders; stock and backordered badges change; too much stock fails and changes nothing', async ({ page }) => {
  const errors = watchConsole(page);
  await openApp(page, server.url, 'new-order');

  // Case 1: Alice orders avocados ×10, organic limes ×5, cilantro ×20.
  await chooseCustomer(page, /Alice Appleseed/);
  await addToCart(page, 'Hass', '204', 10);
  await addToCart(page, 'Organic, 16 oz', '206', 5);
  await addToCart(page, 'cilantro', '208', 20);
  await expect(page.getByTestId('cart-total')).toHaveText('$87.15'); // 39.90 + 17.45 + 29.80
  await screenshot(page, 'new-order-cart-light');
  const first = await placeOrder(page);
  await expect(page.getByRole('heading', { name: 'The cart is empty' })).toBeVisible();
  await screenshot(page, 'new-order-success-light');

  // Case 2: Carol orders organic limes ×40 and pizza ×90: both become backordered.
  await chooseCustomer(page, /Carol Clark/);
  await addToCart(page, 'Organic, 16 oz', '206', 40);
  await addToCart(page, 'pizza', '203', 90);
  await placeOrder(page);

  await goTo(page, 'Products');
  await expect(stockCell(productRow(page, '204'))).toHaveText('990');
  await expect(stockCell(productRow(page, '206'))).toHaveText('5');
  await expect(stockCell(productRow(page, '208'))).toHaveText('80');
  await expect(stockCell(productRow(page, '203'))).toHaveText('10');
  await expect(productRow(page, '206')).toContainText('Backordered');
  await expect(productRow(page, '203')).toContainText('Backordered');
  await expect(productRow(page, '204')).not.toContainText('Backordered');
  await screenshot(page, 'products-after-orders-light');

  // Case 3: Bob asks for pizza ×15 (10 left) and donkey pinatas ×45: refused, nothing changes.
  await goTo(page, 'New order');
  await chooseCustomer(page, /Bob Brown/);
  await addToCart(page, 'pizza', '203', 15);
  await addToCart(page, 'Donkey', '202', 45);
  await expect(page.locator('[data-product="203"] [data-testid="cart-line-stock"]')).toHaveText('Only 10 in stock');
  await page.getByRole('button', { name: 'Place order' }).click();
  const message = page.getByTestId('order-error');
  await expect(message).toHaveText(/^Stock quantity for Product \[203\] not enough – requested at \[\d{4}-\d\d-\d\dT[^\]]+\]$/);
  // The cart is untouched.
  await expect(page.getByTestId('chosen-customer')).toContainText('Bob Brown');
  await expect(page.locator('[data-product="203"] input')).toHaveValue('15');
  await expect(page.locator('[data-product="202"] input')).toHaveValue('45');
  await screenshot(page, 'new-order-failure-light');

  await goTo(page, 'Products');
  await expect(stockCell(productRow(page, '203'))).toHaveText('10');
  await expect(stockCell(productRow(page, '202'))).toHaveText('20');
  await goTo(page, 'Orders');
  await expect(page.getByTestId('orders-table').locator('tbody tr')).toHaveCount(2);
  // The cart is still there when coming back.
  await goTo(page, 'New order');
  await expect(page.getByTestId('cart-line')).toHaveCount(2);

  // Orders list and detail, then ship.
  await goTo(page, 'Orders');
  const row = page.getByTestId('orders-table').locator(`tr[data-row="${first}"]`);
  await expect(row).toContainText('Alice Appleseed');
  await expect(row).toContainText('$87.15');
  await expect(row).toContainText('35'); // items
  await expect(row).toContainText('Processing');
  await screenshot(page, 'orders-light');
  await row.click();
  await expect(page.getByRole('heading', { name: `Order #${first}` })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Order lines' }).locator('tbody tr')).toHaveCount(3);
  await expect(page.getByTestId('order-total')).toHaveText('$87.15');
  await expect(page.getByText('Visa •••• 3393')).toBeVisible();
  await expect(page.getByText('87856 Mendota Court')).toBeVisible();
  await screenshot(page, 'order-detail-light');
  await page.getByRole('button', { name: 'Ship order' }).click();
  await expect(page.locator('.page-title-row')).toContainText('Shipped');
  await expect(page.getByRole('button', { name: 'Ship order' })).toHaveCount(0);
  await goTo(page, 'Orders');
  await page.getByRole('tab', { name: 'Shipped' }).click();
  await expect(page.getByTestId('orders-table').locator('tbody tr')).toHaveCount(1);
  await page.getByRole('tab', { name: 'Processing' }).click();
  await expect(page.getByTestId('orders-table').locator('tbody tr')).toHaveCount(1);

  // The customer's page lists their order.
  await goTo(page, 'Customers');
  await page.getByTestId('customers-table').locator('tbody tr').filter({ hasText: 'Alice' }).click();
  await expect(page.getByRole('table', { name: 'Orders of Alice Appleseed' }).locator('tbody tr')).toHaveCount(1);

  // The ledger: newest first; the order's writes with before → after.
  await goTo(page, 'Ledger');
  const entries = page.getByTestId('ledger-entry');
  await expect(entries).toHaveCount(4); // sample store, two orders, one shipment (the failed order left nothing)
  const firstOrder = entries.nth(2);
  await firstOrder.getByRole('button').first().click();
  await expect(firstOrder).toContainText('products/204');
  await expect(firstOrder).toContainText('1000');
  await expect(firstOrder).toContainText('990');
  await expect(firstOrder).toContainText(`orders/${first}`);
  await screenshot(page, 'ledger-expanded-light');
  // Filter by document.
  await page.getByLabel('Filter by collection').selectOption('products');
  await page.getByPlaceholder('Document id, e.g. 201').fill('203');
  await expect(entries).toHaveCount(2); // created with the sample store, then Carol's order
  expect(errors).toEqual([]);
});
