/** Create and edit a customer; validation as you type; the card only ever masked. */
import { expect, test } from '@playwright/test';
import { goTo, openApp, screenshot, watchConsole } from './support/app.js';
import { startServer, type TestServer } from './support/server.js';

let server: TestServer;
test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server?.close();
});

test('create and edit a customer', async ({ page }) => {
  const errors = watchConsole(page);
  await openApp(page, server.url, 'customers');
  await expect(page.getByTestId('customers-table').locator('tbody tr')).toHaveCount(3);

  await page.getByRole('link', { name: 'Add customer' }).click();
  const form = page.getByRole('form', { name: 'New customer' });
  await expect(form.getByLabel('First name')).toBeFocused();
  await form.getByLabel('Card number').fill('1234');
  await expect(form.getByText('A card number has 12 to 19 digits.')).toBeVisible();
  await form.getByRole('button', { name: 'Add customer' }).click();
  await expect(form.getByText('Enter a first name.')).toBeVisible();
  await expect(form.getByText('Enter a street address.')).toBeVisible();
  await screenshot(page, 'customer-form-errors-light');

  await form.getByLabel('First name').fill('Dana');
  await form.getByLabel('Last name').fill('Diaz');
  await form.getByLabel('Telephone').fill('202-555-0199');
  await form.getByLabel('Street').fill('1600 Pennsylvania Ave');
  await form.getByLabel('ZIP code').fill('20500');
  await form.getByLabel('Network').selectOption('Mastercard');
  await form.getByLabel('Card number').fill('5555 4444 3333 1111');
  await expect(form.locator('.field-error')).toHaveCount(0);
  await form.getByLabel('Card number').press('Enter');

  await expect(page.getByRole('heading', { name: 'Dana Diaz' })).toBeVisible();
  await expect(page.getByTestId('customer-card')).toHaveText('Mastercard •••• 1111');
  await expect(page.getByText('1600 Pennsylvania Ave')).toBeVisible();
  await expect(page.locator('body')).not.toContainText('5555444433331111');
  await expect(page.getByRole('heading', { name: 'No orders yet' })).toBeVisible();
  await screenshot(page, 'customer-created-light');

  // Edit the telephone; the card stays as it was (it is never sent back to the page).
  await page.getByRole('link', { name: 'Edit' }).click();
  const edit = page.getByRole('form', { name: 'Edit customer' });
  await expect(edit).toContainText('Mastercard •••• 1111');
  await edit.getByLabel('Telephone').fill('202-555-0100');
  await edit.getByLabel('Street').fill('');
  await expect(edit.getByText('Enter a street address.')).toBeVisible();
  await edit.getByLabel('Street').fill('1600 Pennsylvania Avenue NW');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { name: 'Dana Diaz' })).toBeVisible();
  await expect(page.getByText('202-555-0100')).toBeVisible();
  await expect(page.getByText('1600 Pennsylvania Avenue NW')).toBeVisible();
  await expect(page.getByTestId('customer-card')).toHaveText('Mastercard •••• 1111');

  // Replace the card.
  await page.getByRole('link', { name: 'Edit' }).click();
  await page.getByRole('button', { name: 'Replace card' }).click();
  await page.getByLabel('Network').selectOption('Visa');
  await page.getByLabel('Card number').fill('4111111111111111');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('customer-card')).toHaveText('Visa •••• 1111');

  // The history shows the versions.
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByRole('list', { name: 'History' }).getByRole('listitem')).toHaveCount(3);

  // The list has the new customer, masked card only.
  await goTo(page, 'Customers');
  const table = page.getByTestId('customers-table');
  await expect(table.locator('tbody tr')).toHaveCount(4);
  await expect(table).toContainText('Dana Diaz');
  await expect(table).toContainText('Visa •••• 1111');
  await page.getByRole('searchbox', { name: 'Search customers' }).fill('dian');
  await expect(table.locator('tbody tr')).toHaveCount(0);
  await page.getByRole('searchbox', { name: 'Search customers' }).fill('diaz');
  await expect(table.locator('tbody tr')).toHaveCount(1);
  expect(errors).toEqual([]);
});
