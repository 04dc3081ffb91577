// "Report a problem" with an article (`f`): the agent's note leaves the
// device scrubbed of customer data; the report goes to the kb's tracker,
// prefilled, when cuecard.yaml names one, and is copied when it does not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveSite } from '../support/server.mjs';
import { SITE, launchBrowser, newPage, screenshot } from '../support/browser.mjs';
import { kbCopy, serveCopy } from '../support/site-copy.mjs';

const ID = 'billing/refund-annual-plan';
const NOTE = 'Fee is $30 now, caller card 4111 1111 1111 1111, mail jo@example.com, order 98765432, router E-4012';

let server;
let browser;
const cleanups = [];
before(async () => {
  server = await serveSite(SITE);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function writeNote(page) {
  const dialog = page.getByRole('dialog', { name: 'Report a problem' });
  await dialog.waitFor();
  await dialog.getByRole('textbox', { name: /What is wrong/ }).fill(NOTE);
  return dialog;
}

test('without a tracker, f copies a report whose note has no customer data', async () => {
  const page = await newPage(browser, { permissions: ['clipboard-read', 'clipboard-write'] });
  await page.goto(`${server.url}/#/a/${ID}`);
  await page.locator(`article[data-article-id="${ID}"]`).waitFor();
  await page.locator('body').press('f');
  const dialog = await writeNote(page);
  await screenshot(page, 'report-a-problem');
  await dialog.getByRole('button', { name: 'Copy the report' }).click();
  await dialog.getByRole('status').filter({ hasText: 'Report copied' }).waitFor();
  const report = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(report, /Refund an annual plan/);
  assert.match(report, new RegExp(`\\(${ID}\\)`));
  assert.match(report, /File: en-US\/billing\/refund-annual-plan\.md/);
  assert.match(report, /Fee is \$30 now, caller card \[card number\], mail \[e-mail\], order \[number\], router E-4012/);
  assert.doesNotMatch(report, /4111|jo@example|98765432/);
  // Esc closes it; the article stays.
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  await page.locator(`article[data-article-id="${ID}"]`).waitFor();
  assert.deepEqual(page.errors, []);
});

test('with a tracker in cuecard.yaml, the report opens it prefilled, percent-encoded and scrubbed', async () => {
  const kb = kbCopy(cleanups, {
    edit: (dir) => appendFileSync(join(dir, 'cuecard.yaml'), '\nfeedback:\n  url: "https://tracker.example/kb/issues/new?title={title}&body={body}"\n'),
  });
  const { server: copy } = await serveCopy(cleanups, { kb });
  const page = await newPage(browser);
  await page.context().route('https://tracker.example/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>Tracker</title>' }));
  await page.goto(`${copy.url}/#/a/${ID}`);
  const article = page.locator(`article[data-article-id="${ID}"]`);
  await article.getByRole('button', { name: /Report a problem/ }).click();
  const dialog = await writeNote(page);
  const [tracker] = await Promise.all([page.context().waitForEvent('page'), dialog.getByRole('button', { name: 'Open the report' }).click()]);
  await tracker.waitForURL(/tracker\.example/);
  const url = new URL(tracker.url());
  assert.equal(url.searchParams.get('title'), 'Refund an annual plan');
  const body = url.searchParams.get('body');
  assert.match(body, /File: en-US\/billing\/refund-annual-plan\.md/);
  assert.match(body, /\[card number\].*\[e-mail\].*\[number\].*E-4012/);
  assert.doesNotMatch(tracker.url(), /4111|jo%40example|98765432/);
  await dialog.waitFor({ state: 'hidden' });
  assert.deepEqual(page.errors, []);
});
