// "Suggested for this call": a ticket handed over in the URL fragment (or
// by the host, see embedding.test.mjs) lists the articles for it while the
// search box is empty; the fragment leaves the address bar at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveSite } from '../support/server.mjs';
import { SITE, launchBrowser, newPage, screenshot } from '../support/browser.mjs';

const TICKET = `Subject: huge bill after my holiday
Hi, this is Dana Whitaker (card on file 4111 1111 1111 1111). I just got back from two
weeks in Portugal and my bill is $214 higher than usual, with lots of charges for using
data and calls abroad. Nobody warned me. Can you explain these charges? Account 55120987.`;

let server;
let browser;
before(async () => {
  server = await serveSite(SITE);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('a ticket in the URL fragment suggests articles until the agent types, and leaves the address bar', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}/#context=${encodeURIComponent(TICKET)}`);
  const box = page.getByRole('combobox', { name: 'Search the knowledge base' });
  const suggested = page.getByRole('listbox').getByRole('group', { name: 'Suggested for this call' });
  const options = suggested.getByRole('option');
  await options.first().waitFor();
  // The whole index may still reorder them: wait until the list is settled.
  await page.locator('[role="listbox"][aria-busy="false"]').waitFor({ state: 'attached' });
  const ids = await options.evaluateAll((rows) => rows.map((row) => row.dataset.articleId));
  assert.ok(ids.length >= 1 && ids.length <= 5, ids.join());
  assert.ok(ids.slice(0, 3).includes('billing/roaming-charges'), `top 3: ${ids.slice(0, 3).join(', ')}`);
  // Nothing of the ticket stays in the address bar (or its history entry).
  assert.doesNotMatch(page.url(), /context|4111|Portugal/);
  await screenshot(page, 'suggestions');

  // Typing replaces the suggestions with results; clearing brings them back.
  await box.fill('late fee');
  await page.locator('[role="listbox"][data-query="late fee"] [role="option"]').first().waitFor();
  assert.equal(await suggested.count(), 0);
  await box.fill('');
  await options.first().waitFor();
  assert.deepEqual(await options.evaluateAll((rows) => rows.map((row) => row.dataset.articleId)), ids);

  // Enter opens the first suggestion.
  await box.press('Enter');
  await page.locator(`article[data-article-id="${ids[0]}"]`).waitFor();
  assert.deepEqual(page.errors, []);
});

test('without a context nothing is suggested', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}/`);
  await page.locator('[role="listbox"][data-query=""]').waitFor({ state: 'attached' });
  await page.locator('[role="listbox"][aria-busy="false"]').waitFor({ state: 'attached' });
  assert.equal(await page.getByRole('group', { name: 'Suggested for this call' }).count(), 0);
});
