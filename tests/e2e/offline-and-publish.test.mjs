// Working when the network does not, and a publish during a call: the
// running app never mixes versions, keeps searching when files of its
// version vanish, and switches when the agent says so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendToArticle, kbCopy, publish, serveCopy as serveSiteCopy } from '../support/site-copy.mjs';
import { launchBrowser, newPage, search, resultIds, screenshot } from '../support/browser.mjs';

let browser;
const cleanups = [];
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  for (const cleanup of cleanups) await cleanup();
});

const serveCopy = (options) => serveSiteCopy(cleanups, options);
const FEE = join('en-US', 'billing', 'late-payment-fee.md');

test('with the network gone, the saved app still searches and opens articles', async () => {
  const { server } = await serveCopy();
  const page = await newPage(browser);
  await page.goto(server.url + '/kb/');
  await page.locator('[data-saved-offline="true"]').waitFor({ timeout: 30_000 });
  await page.getByText('Saved for offline use').waitFor();

  await server.kill();
  await page.context().setOffline(true);
  await page.reload();
  await search(page, 'refund');
  assert.equal((await resultIds(page))[0], 'billing/refund-annual-plan');
  await page.getByText('Offline: searching the saved knowledge base').waitFor();
  await page.keyboard.press('Enter');
  await page.locator('article[data-article-id="billing/refund-annual-plan"] h1').waitFor();
  await screenshot(page, 'offline');
  // Every article of the locale was kept, not only those opened before.
  await page.goto(page.url().split('#')[0].split('?')[0] + '#/a/billing/late-payment-fee');
  await page.locator('article[data-article-id="billing/late-payment-fee"] h1').waitFor();
});

test('a newly published bundle is offered, never mixed in, and switched to on request', async () => {
  const { root, server } = await serveCopy();
  const page = await newPage(browser);
  await page.goto(server.url + '/');
  await page.locator('[data-saved-offline="true"]').waitFor({ timeout: 30_000 });

  // Publish a new bundle: one article changed, every file name new.
  const kb = kbCopy(cleanups, { edit: (dir) => appendToArticle(dir, FEE, '\nQuasarword applies from the next bill.\n') });
  publish(root, kb);

  // The app looks again when the network comes back (and every 5 minutes).
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  const notice = page.getByRole('status').filter({ hasText: 'A newer knowledge base was published' });
  await notice.waitFor();
  await screenshot(page, 'update-offered');
  // Until the agent switches, the running app keeps its own bundle: the old
  // index, and old articles (kept by the service worker) although the host
  // no longer has their files.
  await search(page, 'quasarword');
  assert.deepEqual(await resultIds(page), []);
  await search(page, 'refund');
  await page.keyboard.press('Enter');
  await page.locator('article[data-article-id="billing/refund-annual-plan"] h1').waitFor();

  await Promise.all([page.waitForEvent('load'), notice.getByRole('button', { name: 'Switch now' }).click()]);
  await search(page, 'quasarword');
  assert.deepEqual(await resultIds(page), ['billing/late-payment-fee']);
});

test('looking for a newer bundle while nothing was published costs a 304, not the manifest', async () => {
  const { server } = await serveCopy();
  const page = await newPage(browser);
  await page.goto(server.url + '/');
  await page.locator('[data-saved-offline="true"]').waitFor({ timeout: 30_000 });
  const checks = () => server.responses.filter((r) => r.path === '/bundle/manifest.json' && new URLSearchParams(r.search).has('check'));
  // The app looks again when the network comes back (and every 5 minutes).
  for (let asked = 0; asked < 2; asked++) {
    const before = checks().length;
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    for (let waited = 0; checks().length === before; waited++) {
      assert.ok(waited < 200, 'the app asked for the manifest again');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const statuses = checks().map((r) => r.status);
  assert.ok(statuses.length >= 2, `${statuses}`);
  assert.equal(statuses.at(-1), 304, `the last check was revalidated, not downloaded: ${statuses}`);
  assert.equal(new Set(checks().map((r) => r.search)).size, 1, 'one address for every check');
  // Nothing new: nothing offered.
  await search(page, 'refund');
  assert.equal(await page.getByRole('status').filter({ hasText: 'A newer knowledge base was published' }).count(), 0);
  assert.deepEqual(page.errors, []);
});

test('offline, the kept page is only ever the app: visiting another file of its folder does not replace it', async () => {
  const { server } = await serveCopy();
  const page = await newPage(browser);
  await page.goto(server.url + '/kb/');
  await page.locator('[data-saved-offline="true"]').waitFor({ timeout: 30_000 });
  // A 200 navigation inside the app's folder, while online (before the
  // fix, the worker kept sw.js's source as the offline page).
  await page.goto(server.url + '/kb/sw.js');
  await server.kill();
  await page.context().setOffline(true);
  await page.goto(server.url + '/kb/');
  await search(page, 'refund');
  assert.equal((await resultIds(page))[0], 'billing/refund-annual-plan');
});

test('files of the running version vanish in a publish: search goes on, the new version is offered at once, and switching keeps the agent\'s place', async () => {
  // An SPA host: a vanished file is answered with index.html and 200.
  const { root, server } = await serveCopy({ serveOptions: { spaFallback: true } });
  // Without a service worker, so that nothing of the old version is kept
  // (as on a first visit, or before the worker has finished).
  const page = await newPage(browser, { serviceWorkers: 'block' });
  await page.goto(server.url + '/?q=refund');
  await page.locator('[role="listbox"][data-query="refund"] [role="option"]').first().waitFor();

  // A publish that deletes the old files at once (no grace period). Every
  // ja-JP article gets a new heading quoting a code, so its first tier
  // (titles, other names, codes) is rebuilt (an unchanged part keeps its
  // name and stays).
  const kb = kbCopy(cleanups, {
    edit: (dir) => {
      appendToArticle(dir, FEE, '\nQuasarword applies from the next bill.\n');
      for (const file of readdirSync(join(dir, 'ja-JP'), { recursive: true }).filter((f) => f.endsWith('.md') && !f.startsWith('_'))) {
        appendToArticle(dir, join('ja-JP', file), '\n## 追加の注意 (JP-0042)\n\n内容は変わりません。\n');
      }
    },
  });
  publish(root, kb, ['--keep-old', '0s']);

  // ja-JP's first tier was never loaded: its file is gone, and the host
  // answers with its page instead, which is not the file the manifest names.
  await page.getByRole('combobox', { name: 'Knowledge base language' }).selectOption('ja-JP');
  await page.getByText('日本語 could not be loaded. Still searching English (US).').waitFor();
  // Offered now, not at the next periodic check.
  const notice = page.getByRole('status').filter({ hasText: 'A newer knowledge base was published' });
  await notice.waitFor();
  await screenshot(page, 'publish-during-call');
  // The agent keeps searching what is loaded.
  await search(page, 'refund');
  assert.equal((await resultIds(page))[0], 'billing/refund-annual-plan');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en-US');

  // An article whose file is gone (the edited one's: other articles'
  // files are unchanged, so they stay) says so, and where to find it.
  await search(page, 'late payment fee');
  assert.equal((await resultIds(page))[0], 'billing/late-payment-fee');
  await page.keyboard.press('Enter');
  await page.getByRole('alert').getByText('“Switch now” above opens this article there').waitFor();
  await Promise.all([page.waitForEvent('load'), notice.getByRole('button', { name: 'Switch now' }).click()]);
  // Query and open article are restored, on the new version.
  await page.locator('article[data-article-id="billing/late-payment-fee"] h1').waitFor();
  assert.match(await page.locator('article[data-article-id="billing/late-payment-fee"]').textContent(), /Quasarword/);
  assert.equal(await page.getByRole('combobox', { name: 'Search the knowledge base' }).inputValue(), 'late payment fee');
  await search(page, 'quasarword');
  assert.deepEqual(await resultIds(page), ['billing/late-payment-fee']);
  assert.deepEqual(page.errors.filter((e) => /panicked|RuntimeError/.test(e)), []);
});

test('a new version is kept for offline use only when every file of it arrived intact; until then the previous one stays', async () => {
  const { root, server } = await serveCopy();
  const page = await newPage(browser);
  await page.goto(server.url + '/kb/');
  await page.locator('[data-saved-offline="true"]').waitFor({ timeout: 30_000 });

  // Publish, and damage one of the new article files on the host.
  const kb = kbCopy(cleanups, { edit: (dir) => appendToArticle(dir, FEE, '\nQuasarword applies from the next bill.\n') });
  const before = new Set(readdirSync(join(root, 'bundle', 'en-US')));
  publish(root, kb);
  const fresh = readdirSync(join(root, 'bundle', 'en-US')).filter((f) => f.startsWith('articles-') && !before.has(f));
  assert.ok(fresh.length > 0, 'the publish wrote new article files');
  writeFileSync(join(root, 'bundle', 'en-US', fresh[0]), 'damaged on the host');

  // Online, the agent gets the new version; it cannot be kept.
  await page.reload();
  await search(page, 'quasarword');
  assert.deepEqual(await resultIds(page), ['billing/late-payment-fee']);
  await page.locator('[data-saved-offline="failed"]').waitFor({ timeout: 30_000 });
  await page.getByText('Not saved for offline use: a download failed').waitFor();

  // Offline, the previous complete version answers: page, manifest, index and articles.
  await server.kill();
  await page.context().setOffline(true);
  await page.reload();
  await search(page, 'refund');
  assert.equal((await resultIds(page))[0], 'billing/refund-annual-plan');
  await search(page, 'quasarword');
  assert.deepEqual(await resultIds(page), []);
  await search(page, 'refund');
  await page.keyboard.press('Enter');
  await page.locator('article[data-article-id="billing/refund-annual-plan"] h1').waitFor();
});
