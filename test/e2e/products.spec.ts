/** Create, edit, restock and delete a product; validation as you type; badges follow stock. */
import { expect, test } from '@playwright/test';
import { openApp, productRow, screenshot, stockCell, watchConsole } from './support/app.js';
import { startServer, type TestServer } from './support/server.js';

let server: TestServer;
test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server?.close();
});

test('create, edit, restock and delete a product', async ({ page }) => {
  const errors = watchConsole(page);
  await openApp(page, server.url, 'products');
  await expect(page.getByTestId('products-table').locator('tbody tr')).toHaveCount(9);

  // Create: the form validates as you type.
  await page.getByRole('link', { name: 'Add product' }).click();
  const form = page.getByRole('form', { name: 'New product' });
  await expect(form).toBeVisible();
  await expect(form.getByLabel('Name')).toBeFocused();
  await form.getByLabel('Price').fill('abc');
  await expect(form.getByText('Enter a price as a number, like 4.99.')).toBeVisible();
  await form.getByLabel('Price').fill('0.799');
  await expect(form.getByText('Use at most two decimals.')).toBeVisible();
  await form.getByLabel('Stock').fill('-3');
  await expect(form.getByText('Stock is a whole number, 0 or more.')).toBeVisible();
  // Submitting an invalid form shows every problem and sends nothing.
  await form.getByRole('button', { name: 'Add product' }).click();
  await expect(form.getByText('Enter a name.')).toBeVisible();
  await expect(form.getByText('Choose the store that sells it.')).toBeVisible();
  await screenshot(page, 'product-form-errors-light');

  await form.getByLabel('Name').fill('lemons');
  await form.getByLabel('Description').fill('Organic, 2 lb bag');
  await form.getByLabel('Price').fill('4.79');
  await form.getByLabel('Stock').fill('3');
  await form.getByLabel('Backorder limit').fill('5');
  await form.getByLabel('Store').selectOption({ label: 'DC Fruits' });
  await expect(form.locator('.field-error')).toHaveCount(0);
  await form.getByLabel('Backorder limit').press('Enter'); // Enter submits
  await expect(page.getByRole('status').getByText('lemons added')).toBeVisible();
  await expect(page).toHaveURL(/#\/products\/\d+$/);
  const id = /#\/products\/(\d+)$/.exec(page.url())![1]!;

  const row = productRow(page, id);
  await expect(row).toContainText('lemons');
  await expect(row).toContainText('$4.79');
  await expect(row).toContainText('DC Fruits');
  await expect(row).toContainText('Backordered'); // 3 in stock, limit 5
  await expect(page.getByTestId('products-table').locator('tbody tr')).toHaveCount(10);

  // Edit: change the price and the description.
  const panel = page.getByRole('complementary');
  await panel.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('form', { name: 'Edit lemons' });
  await edit.getByLabel('Price').fill('4.89');
  await edit.getByLabel('Description').fill('Organic, 2 lb bag, Florida');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').getByText('lemons saved')).toBeVisible();
  await expect(row).toContainText('$4.89');
  await expect(panel).toContainText('Organic, 2 lb bag, Florida');

  // Esc cancels an edit without saving.
  await panel.getByRole('button', { name: 'Edit' }).click();
  await page.getByRole('form', { name: 'Edit lemons' }).getByLabel('Price').fill('9.99');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('form', { name: 'Edit lemons' })).toHaveCount(0);
  await expect(row).toContainText('$4.89');

  // Restock: the badge goes when stock rises above the limit.
  await panel.getByLabel('Restock').fill('12');
  await panel.getByRole('button', { name: 'Add stock' }).click();
  await expect(page.getByTestId('product-stock')).toHaveText('15');
  await expect(stockCell(productRow(page, id))).toHaveText('15');
  await expect(row).not.toContainText('Backordered');
  await screenshot(page, 'product-edited-light');

  // History of the product: created, then changed.
  await panel.getByRole('button', { name: 'History' }).click();
  await expect(panel.getByRole('list', { name: 'History' }).getByRole('listitem')).toHaveCount(3);

  // Delete, after confirming.
  await panel.getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete lemons?' });
  await expect(dialog).toBeVisible();
  await screenshot(page, 'product-delete-confirm-light');
  await dialog.getByRole('button', { name: 'Delete product' }).click();
  await expect(page.getByRole('status').getByText('lemons deleted')).toBeVisible();
  await expect(row).toHaveCount(0);
  await expect(page.getByTestId('products-table').locator('tbody tr')).toHaveCount(9);
  expect(errors).toEqual([]);
});

test('search, store filter and backordered filter', async ({ page }) => {
  await openApp(page, server.url, 'products');
  const rows = page.getByTestId('products-table').locator('tbody tr');
  await expect(rows).toHaveCount(9);
  await page.getByRole('searchbox', { name: 'Search products' }).fill('limes');
  await expect(rows).toHaveCount(3);
  await page.getByLabel('Filter by store').selectOption({ label: 'DC Fruits' });
  await expect(rows).toHaveCount(2);
  await page.getByRole('searchbox', { name: 'Search products' }).fill('');
  await expect(rows).toHaveCount(4);
  await page.getByRole('button', { name: 'Backordered only' }).click();
  await expect(page.getByRole('heading', { name: 'No products match' })).toBeVisible();
  await screenshot(page, 'products-filter-empty-light');
  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  await expect(rows).toHaveCount(9);
});

test('the products table works from the keyboard', async ({ page }) => {
  await openApp(page, server.url, 'products');
  await expect(productRow(page, '204')).toBeVisible();
  const first = page.getByTestId('products-table').locator('tbody tr').first();
  await first.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const third = page.getByTestId('products-table').locator('tbody tr').nth(2);
  await expect(third).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('complementary')).toContainText('Translucent 9 Oz, 100 ct'); // cups, third by name
  await page.keyboard.press('Escape');
  await expect(page.getByRole('complementary')).toHaveCount(0);
  // Sorting by stock, descending.
  await page.getByRole('button', { name: 'Stock' }).click();
  await page.getByRole('button', { name: 'Stock' }).click();
  await expect(page.getByTestId('products-table').locator('tbody tr').first().locator('td[data-col="stock"]')).toHaveText('1,000');
  await expect(page.getByRole('columnheader', { name: 'Stock' })).toHaveAttribute('aria-sort', 'descending');
});
