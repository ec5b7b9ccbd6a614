/**
 * The Shell: several statements, each result printed and collapsible, an
 * error with its code, position and a caret, the history of queries; a write
 * from the Shell reaches another window live.
 */
import { expect, test, type Page } from '@playwright/test';
import { goTo, openApp, productRow, screenshot, watchConsole } from './support/app.js';
import { startServer, type TestServer } from './support/server.js';

let server: TestServer;
test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server?.close();
});

async function setEditorText(page: Page, text: string): Promise<void> {
  const editor = page.locator('.cm-content');
  await editor.click();
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

test('runs several statements and shows each result and an error position', async ({ page }) => {
  const errors = watchConsole(page);
  await openApp(page, server.url, 'shell');
  const query = [
    'Add(1, 2);',
    'Select(["data", "name"], Get(Ref(Collection("products"), "201")))',
    'Add(1, ToInteger("two"))',
    'Count(Documents(Collection("products")))',
  ].join('\n');
  await setEditorText(page, query);
  await page.keyboard.press('Control+Enter');

  const statements = page.getByTestId('shell-statement');
  await expect(statements).toHaveCount(4);
  await expect(statements.nth(0).getByTestId('shell-output')).toHaveText('3');
  await expect(statements.nth(1).getByTestId('shell-output')).toHaveText('"cups"');
  await expect(statements.nth(3).getByTestId('shell-output')).toHaveText('9');

  const error = statements.nth(2).getByTestId('shell-error');
  await expect(error).toContainText('invalid argument');
  await expect(error).toContainText('Cannot cast String to Integer.');
  await expect(error).toContainText('add › [1] › to_integer');
  await expect(error).toContainText('line 3, column 18');
  // The caret sits under column 18 of line 3: `Add(1, ToInteger("two"))`.
  const caret = await error.getByTestId('shell-caret').innerText();
  const [source, marker] = caret.split('\n');
  expect(source).toContain('Add(1, ToInteger("two"))');
  const gutter = source!.indexOf('Add(');
  expect(marker!.indexOf('^') - gutter).toBe(17);
  await screenshot(page, 'shell-results-light');

  // Results collapse and expand.
  await statements.nth(1).getByRole('button').first().click();
  await expect(statements.nth(1).getByTestId('shell-output')).toHaveCount(0);
  await statements.nth(1).getByRole('button').first().click();
  await expect(statements.nth(1).getByTestId('shell-output')).toHaveText('"cups"');

  // A syntax error names its place too.
  await setEditorText(page, 'Add(1, 2');
  await page.getByRole('button', { name: /Run/ }).click();
  const syntax = page.getByTestId('shell-run').first().getByTestId('shell-error');
  await expect(syntax).toContainText('invalid syntax');
  await expect(syntax.getByTestId('shell-caret')).toContainText('^');

  // The history keeps both queries; clicking one loads it back.
  const history = page.getByRole('complementary', { name: 'History' });
  await expect(history.getByRole('button', { name: /Add\(1, 2$/ })).toBeVisible();
  await history.getByRole('button', { name: /Count\(Documents/ }).click();
  await expect(page.locator('.cm-content')).toContainText('Count(Documents(Collection("products")))');
  await screenshot(page, 'shell-history-light');
  expect(errors).toEqual([]);
});

test('a write from the Shell reaches another window live and highlights the row', async ({ browser }) => {
  const shellWindow = await (await browser.newContext()).newPage();
  const listWindow = await (await browser.newContext()).newPage();
  await openApp(shellWindow, server.url, 'shell');
  await openApp(listWindow, server.url, 'products');
  await expect(productRow(listWindow, '205')).toContainText('$0.35');

  await setEditorText(shellWindow, 'Update(Ref(Collection("products"), "205"), { data: { price: 0.4 } })');
  await shellWindow.keyboard.press('Control+Enter');
  await expect(shellWindow.getByTestId('shell-statement').first()).toContainText('price: 0.4');

  await expect(productRow(listWindow, '205')).toContainText('$0.40');
  await expect(productRow(listWindow, '205')).toHaveClass(/flash/);
  await expect(listWindow.getByTestId('live-indicator')).toContainText('updated just now');
  await goTo(listWindow, 'Ledger');
  await expect(listWindow.getByTestId('ledger-entry').first()).toContainText('Update(');
  await shellWindow.context().close();
  await listWindow.context().close();
});
