// Old ids keep working: an article that moved (its front matter's
// `redirect_from` lists the id it had) opens from an old link or an old
// pin, says so, and the address bar and the pins follow it to its new id.
// The sample kb's `billing/refund-annual-plan` used to be
// `billing/annual-refunds`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveSite } from '../support/server.mjs';
import { SITE, launchBrowser, newPage } from '../support/browser.mjs';

const OLD_ID = 'billing/annual-refunds';
const NEW_ID = 'billing/refund-annual-plan';

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

test('a bookmark to an old id opens the article where it is now, with a note, and the address follows', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}/#/a/${OLD_ID}`);
  const article = page.locator(`article[data-article-id="${NEW_ID}"]`);
  await article.getByRole('heading', { level: 1, name: 'Refund an annual plan' }).waitFor();
  const note = page.getByRole('note').filter({ hasText: 'This article moved' });
  await note.waitFor();
  assert.match(await note.textContent(), new RegExp(OLD_ID));
  assert.match(page.url(), new RegExp(`#/a/${NEW_ID}$`));
  // An id that never existed is still an honest error, not a guess.
  const unknown = await newPage(browser);
  await unknown.goto(`${server.url}/#/a/billing/never-was`);
  await unknown.getByRole('alert').filter({ hasText: 'billing/never-was' }).waitFor();
  assert.deepEqual(page.errors, []);
});

test('a pin saved under an old id opens the moved article and is kept under its new id', async () => {
  const page = await newPage(browser);
  await page.addInitScript((oldId) => {
    if (!localStorage.getItem('cuecard.pinned')) {
      localStorage.setItem('cuecard.pinned', JSON.stringify({ entries: [{ locale: 'en-US', id: oldId, title: 'Annual refunds' }] }));
    }
  }, OLD_ID);
  await page.goto(server.url + '/');
  const pinned = page.getByRole('group', { name: 'Pinned' });
  await pinned.getByRole('option', { name: /Annual refunds/ }).click();
  await page.locator(`article[data-article-id="${NEW_ID}"]`).waitFor();
  await page.getByRole('note').filter({ hasText: 'This article moved' }).waitFor();
  // Back at the list: the pin names the article by its new id and title.
  await page.goto(server.url + '/');
  const pin = pinned.getByRole('option', { name: /Refund an annual plan/ });
  await pin.waitFor();
  assert.equal(await pin.getAttribute('data-article-id'), NEW_ID);
  assert.equal(await pinned.getByRole('option').count(), 1);
  assert.deepEqual(page.errors, []);
});

test('an old help-centre article URL opens the article an import made of it', async () => {
  const { kbCopy, serveCopy } = await import('../support/site-copy.mjs');
  const { readFileSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const cleanups = [];
  // What `cuecard import zendesk` writes: the Zendesk id in `redirect_from`.
  const kb = kbCopy(cleanups, {
    edit: (dir) => {
      const file = join(dir, 'en-US/billing/late-payment-fee.md');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/^---\n/, '---\nredirect_from: ["360001"]\n'));
    },
  });
  const { server: copy } = await serveCopy(cleanups, { kb });
  try {
    const page = await newPage(browser);
    const old = 'https://acme.zendesk.com/hc/en-us/articles/360001-Late-payment-fee';
    await page.goto(`${copy.url}/#/a/${encodeURIComponent(old)}`);
    await page.locator('article[data-article-id="billing/late-payment-fee"]').waitFor();
    assert.match(page.url(), /#\/a\/billing\/late-payment-fee$/);
    assert.deepEqual(page.errors, []);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
});
