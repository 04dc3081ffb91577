// Markdown never injects script into the page: an article full of attacks,
// built by the real CLI, opened and clicked through in the real app.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveSite } from '../support/server.mjs';
import { CUECARD_BIN, REPO, SITE, launchBrowser, newPage, search, resultIds } from '../support/browser.mjs';

let server;
let browser;
let root;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'cuecard-hostile-'));
  await cp(SITE, root, { recursive: true });
  await rm(join(root, 'bundle'), { recursive: true });
  await promisify(execFile)(CUECARD_BIN, ['build', '--kb', join(REPO, 'tests/fixtures/hostile-kb'), '--out', join(root, 'bundle')]);
  server = await serveSite(root);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

test('an article full of script injections runs none of them', async () => {
  const page = await newPage(browser);
  const dialogs = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    dialog.dismiss();
  });
  await page.goto(server.url + '/');
  await search(page, 'hostile');
  assert.deepEqual(await resultIds(page), ['hostile']);
  await page.keyboard.press('Enter');
  const article = page.locator('article[data-article-id="hostile"]');
  await article.waitFor();
  // The title is shown as text, tags and all.
  assert.match(await article.locator('h1').textContent(), /<img src=x onerror=/);
  // Clicking every link must not run anything either.
  for (const link of await article.getByRole('link').all()) {
    await link.click({ noWaitAfter: true }).catch(() => {});
  }
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(dialogs, []);
  const dangerous = await page.evaluate(() => {
    const body = document.querySelector('article');
    if (!body) return 'article gone';
    const found = [];
    body.querySelectorAll('*').forEach((el) => {
      if (['SCRIPT', 'IFRAME', 'SVG', 'OBJECT', 'EMBED'].includes(el.tagName.toUpperCase())) found.push(el.tagName);
      for (const attr of el.attributes) {
        if (attr.name.startsWith('on')) found.push(`${el.tagName}[${attr.name}]`);
        if (/^\s*(javascript|data):/i.test(attr.value) && ['href', 'src'].includes(attr.name)) found.push(`${el.tagName}[${attr.name}=${attr.value}]`);
      }
    });
    return found;
  });
  assert.deepEqual(dangerous, []);
});

test('no link in an article navigates the app away, outside pages open in a new tab, outside images stay unloaded', async () => {
  const page = await newPage(browser);
  const outside = [];
  page.context().on('request', (request) => {
    if (request.url().includes('example.test')) outside.push(request.url());
  });
  await page.context().route(/example\.test/, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: 'outside' }));
  await page.goto(server.url + '/');
  await search(page, 'links of every kind');
  await page.keyboard.press('Enter');
  const article = page.locator('article[data-article-id="links"]');
  await article.waitFor();
  const appUrl = page.url();
  assert.deepEqual(outside, [], 'opening the article loads nothing from outside (the image is a link)');
  assert.equal(await article.getByRole('link', { name: 'tracking pixel' }).getAttribute('target'), '_blank');

  for (const [name, opened] of [
    ['upper case scheme', 'https://example.test/upper'],
    ['mixed case scheme', 'http://example.test/mixed'],
    ['protocol relative', 'https://example.test/relative'],
  ]) {
    const [popup] = await Promise.all([page.context().waitForEvent('page'), article.getByRole('link', { name }).click()]);
    await popup.waitForLoadState();
    assert.equal(popup.url(), opened, name);
    await popup.close();
    assert.equal(page.url(), appUrl, `${name} left the app`);
  }
  // Neutralised links are not links at all; clicking their text goes nowhere.
  for (const text of ['relative page', 'odd scheme']) {
    assert.equal(await article.getByRole('link', { name: text }).count(), 0, text);
    await article.getByText(text).click();
    assert.equal(page.url(), appUrl, `${text} navigated`);
  }
  assert.equal(await article.getByRole('link', { name: 'mail' }).getAttribute('href'), 'mailto:help@example.test');
  assert.deepEqual(page.errors, []);
});
