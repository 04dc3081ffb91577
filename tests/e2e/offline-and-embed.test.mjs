// Working when the network does not, switching to a newly published
// bundle without mixing versions, and being driven by a host page (a CRM)
// through postMessage from another origin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveSite } from '../support/server.mjs';
import { CUECARD_BIN, REPO, SITE, launchBrowser, newPage, search, resultIds, screenshot } from '../support/browser.mjs';

let browser;
const cleanups = [];
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  for (const cleanup of cleanups) await cleanup();
});

/** A copy of the built site in a temporary folder, served on its own port. */
async function serveCopy() {
  const root = mkdtempSync(join(tmpdir(), 'cuecard-site-'));
  cpSync(SITE, root, { recursive: true });
  const server = await serveSite(root);
  cleanups.push(async () => {
    await server.kill();
    rmSync(root, { recursive: true, force: true });
  });
  return { root, server };
}

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
  const kb = mkdtempSync(join(tmpdir(), 'cuecard-kb-'));
  cleanups.push(() => rmSync(kb, { recursive: true, force: true }));
  cpSync(join(REPO, 'kb'), kb, { recursive: true });
  const feePath = join(kb, 'en-US', 'billing', 'late-payment-fee.md');
  writeFileSync(feePath, readFileSync(feePath, 'utf8') + '\nQuasarword applies from the next bill.\n');
  execFileSync(CUECARD_BIN, ['build', '--kb', kb, '--out', join(root, 'bundle')], { stdio: 'pipe' });

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

/** A CRM-like host page on another origin that embeds Cuecard. */
async function serveHost(siteUrl, embedOrigin) {
  const server = createServer((request, response) => {
    // `self`: the frame is told this host's own origin.
    const origin = embedOrigin === 'self' ? `http://127.0.0.1:${server.address().port}` : embedOrigin;
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><html lang="en"><title>CRM</title>
<h1>Case 4711</h1>
<iframe title="Cuecard" src="${siteUrl}/?embed_origin=${encodeURIComponent(origin)}" width="380" height="600"></iframe>
<script>
  window.received = [];
  addEventListener('message', (event) => window.received.push({ origin: event.origin, data: event.data }));
  window.send = (message) => document.querySelector('iframe').contentWindow.postMessage(message, '*');
</script>`);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${server.address().port}`;
}

async function hostPage(siteUrl, embedOrigin) {
  const page = await newPage(browser);
  const hostUrl = await serveHost(siteUrl, embedOrigin);
  await page.goto(hostUrl + '/');
  return { page, hostUrl };
}

test('a host page drives the embedded app by postMessage and hears what the agent opened', async () => {
  const site = await serveSite(SITE);
  cleanups.push(() => site.kill());
  const { page } = await hostPage(site.url, 'self');
  await page.waitForFunction(() => window.received.some((m) => m.data?.type === 'cuecard:ready'));
  const ready = await page.evaluate(() => window.received.find((m) => m.data.type === 'cuecard:ready'));
  assert.equal(ready.origin, site.url);
  assert.ok(ready.data.locales.includes('de-DE'));

  const frame = page.frameLocator('iframe');
  await page.evaluate(() => window.send({ type: 'cuecard:search', query: 'Mahngebühr', locale: 'de-DE' }));
  await frame.locator('[role="listbox"][data-query="Mahngebühr"] [role="option"]').first().waitFor();
  assert.equal(await frame.locator('[role="option"]').first().getAttribute('data-article-id'), 'billing/late-payment-fee');

  await frame.locator('[role="option"]').first().click();
  await frame.locator('article[data-article-id="billing/late-payment-fee"]').waitFor();
  await page.waitForFunction(() => window.received.some((m) => m.data?.type === 'cuecard:article-opened'));
  const opened = await page.evaluate(() => window.received.find((m) => m.data.type === 'cuecard:article-opened').data);
  assert.deepEqual(opened, { type: 'cuecard:article-opened', id: 'billing/late-payment-fee', title: 'Mahngebühr', locale: 'de-DE', shownBecause: 'own' });

  await page.evaluate(() => window.send({ type: 'cuecard:open', id: 'scripts/call-opening' }));
  await frame.locator('article[data-article-id="scripts/call-opening"]').waitFor();
  await screenshot(page, 'embedded');
});

test('an embedded app ignores messages from an origin it was not given', async () => {
  const site = await serveSite(SITE);
  cleanups.push(() => site.kill());
  const { page } = await hostPage(site.url, 'https://crm.example');
  const frame = page.frameLocator('iframe');
  await frame.locator('[role="listbox"][data-query=""]').waitFor({ state: 'attached' });
  await page.evaluate(() => window.send({ type: 'cuecard:search', query: 'refund' }));
  await frame.locator('[role="listbox"]').evaluate((list) => new Promise((resolve) => setTimeout(resolve, 500, list)));
  assert.equal(await frame.locator('[role="listbox"]').getAttribute('data-query'), '');
  // And it reports nothing to a page that is not the named origin.
  assert.deepEqual(await page.evaluate(() => window.received.map((m) => m.data?.type)), []);
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
