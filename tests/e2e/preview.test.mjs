// `cuecard serve`, the authors' preview, as a knowledge manager uses it:
// the page open, an article changed on disk, and the page shows the change
// with no manual reload, query kept; a broken link is named with file and
// line in the page's panel while search goes on; fixing it clears the
// panel. Editors' save patterns: a swap file rebuilds nothing, a
// rename-on-save rebuilds once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CUECARD_BIN, launchBrowser, newPage, search, resultIds, searchBox } from '../support/browser.mjs';
import { appendToArticle, kbCopy } from '../support/site-copy.mjs';

let browser;
const cleanups = [];
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Starts `cuecard serve` on `kb`; resolves once it serves, with its output so far. */
async function startPreview(kb, extraArgs = []) {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(CUECARD_BIN, ['serve', '--kb', kb, '--port', String(port), ...extraArgs], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr.on('data', (chunk) => (output += chunk));
  cleanups.push(() => child.kill('SIGKILL'));
  const deadline = Date.now() + 60_000;
  while (!output.includes('serving the preview')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`cuecard serve did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: `http://127.0.0.1:${port}`, output: () => output, rebuilds: () => (output.match(/changed: rebuilding/g) ?? []).length };
}

test('the preview follows saves, keeps the query, and names broken links in the page', async () => {
  const kb = kbCopy(cleanups);
  const preview = await startPreview(kb);
  const page = await newPage(browser);
  await page.goto(preview.url + '/#/a/billing/late-payment-fee');
  const article = page.locator('article[data-article-id="billing/late-payment-fee"]');
  await article.waitFor();
  await search(page, 'late fee');
  await searchBox(page).press('Enter');
  await article.waitFor();

  // Saving the article: the open page shows the new text by itself.
  appendToArticle(kb, 'en-US/billing/late-payment-fee.md', '\nPreview quokka sentence.\n');
  await article.getByText('Preview quokka sentence.').waitFor({ timeout: 20_000 });
  assert.equal(await searchBox(page).inputValue(), 'late fee', 'the query survives the reload');

  // A broken link: the panel names file and line; search still works.
  appendToArticle(kb, 'en-US/billing/late-payment-fee.md', '\nSee [the gone article](no-such-article.md).\n');
  // (The sample kb has warnings of its own: the panel lists them too.)
  const panel = page.getByRole('region', { name: 'Preview findings' }).filter({ hasText: 'no-such-article' });
  await panel.waitFor({ timeout: 20_000 });
  assert.match(await panel.textContent(), /en-US\/billing\/late-payment-fee\.md:\d+: error: .*no-such-article/);
  assert.match(await panel.textContent(), /Not published/);
  assert.ok(await article.getByText('Preview quokka sentence.').isVisible(), 'the last good build stays on screen');
  // The last good site still searches (in a tab of its own).
  const other = await newPage(browser);
  await other.goto(preview.url + '/');
  await search(other, 'refund');
  assert.ok((await resultIds(other)).length > 0, 'the last good site still searches');

  // Fixed: the finding leaves the panel, and the fix is published.
  const file = join(kb, 'en-US/billing/late-payment-fee.md');
  const { readFileSync } = await import('node:fs');
  writeFileSync(file, readFileSync(file, 'utf8').replace('See [the gone article](no-such-article.md).', 'Fixed sentence.'));
  await panel.waitFor({ state: 'detached', timeout: 20_000 });
  await article.getByText('Fixed sentence.').waitFor({ timeout: 20_000 });

  // A swap file rebuilds nothing; a rename-on-save rebuilds once.
  const before = preview.rebuilds();
  writeFileSync(join(kb, 'en-US/billing/.late-payment-fee.md.swp'), 'swap');
  await page.waitForTimeout(1500);
  assert.equal(preview.rebuilds(), before, 'a swap file is not a save');
  const temp = join(kb, 'en-US/billing/late-payment-fee.md___jb_tmp___');
  writeFileSync(temp, readFileSync(file, 'utf8') + '\nRenamed save sentence.\n');
  renameSync(temp, file);
  await article.getByText('Renamed save sentence.').waitFor({ timeout: 20_000 });
  await page.waitForTimeout(1000);
  assert.equal(preview.rebuilds(), before + 1, `one rebuild for one save: ${preview.output()}`);
  rmSync(join(kb, 'en-US/billing/.late-payment-fee.md.swp'));
  assert.deepEqual(page.errors, []);
});

test('--poll watches by polling: a save rebuilds and publishes once', async () => {
  const kb = kbCopy(cleanups);
  const preview = await startPreview(kb, ['--poll']);
  const state = async () => (await fetch(`${preview.url}/_cuecard/findings.json`)).json();
  const first = await state();
  appendToArticle(kb, 'en-US/billing/late-payment-fee.md', '\nPolled sentence.\n');
  const deadline = Date.now() + 20_000;
  let now = first;
  while (now.published === first.published && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    now = await state();
  }
  assert.equal(now.published, first.published + 1, `one more published build: ${preview.output()}`);
  const page = await (await fetch(`${preview.url}/`)).text();
  // The app's own page has two (the app's loader, and the early downloads
  // of the manifest and first tier); the preview adds exactly one.
  assert.equal(page.match(/<script/g).length, 3, 'the page gains exactly one script');
  assert.ok(page.includes('<script id="cuecard-early">'));
  assert.ok(page.includes('<script src="/_cuecard/preview.js"></script>'));
});
