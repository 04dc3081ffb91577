// A missing, corrupt or mismatched bundle shows a clear message in the page,
// never a blank screen or a panic.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveSite } from '../support/server.mjs';
import { SITE, firstAnswer, launchBrowser, newPage, resultIds, search, searchBox } from '../support/browser.mjs';

let browser;
const cleanup = [];
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  for (const step of cleanup) await step();
});

/** A copy of the built site, changed by `damage`, served on its own port. */
async function damagedSite(damage) {
  const root = await mkdtemp(join(tmpdir(), 'cuecard-site-'));
  await cp(SITE, root, { recursive: true });
  await damage(root);
  const server = await serveSite(root);
  cleanup.push(() => server.close(), () => rm(root, { recursive: true, force: true }));
  return server;
}

/** Overwrites bytes in the middle of en-US's part whose name starts with `prefix`. */
async function corruptPart(root, prefix) {
  const dir = join(root, 'bundle', 'en-US');
  const part = (await readdir(dir)).find((f) => f.startsWith(prefix));
  const bytes = await readFile(join(dir, part));
  bytes.fill(0x5a, 100, 400);
  await writeFile(join(dir, part), bytes);
}

async function alertText(server) {
  const page = await newPage(browser);
  await page.goto(server.url + '/');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  return { text: await alert.textContent(), page };
}

test('a corrupt first tier is refused with a clear message', async () => {
  const server = await damagedSite((root) => corruptPart(root, 'titles.'));
  const { text, page } = await alertText(server);
  assert.match(text, /search index for en-US could not be loaded/);
  assert.match(text, /damaged/);
  assert.equal(await searchBox(page).count(), 1, 'the page is still there');
});

test('a corrupt whole index leaves titles, summaries and headings searchable, and says so', async () => {
  const server = await damagedSite((root) => corruptPart(root, 'index.'));
  const page = await newPage(browser);
  await page.goto(server.url + '/');
  await page.getByText('The full search index for English (US) could not be loaded: searching titles, summaries and headings only.').waitFor();
  await search(page, 'late payment');
  assert.equal((await resultIds(page))[0], 'billing/late-payment-fee');
  assert.deepEqual(page.errors.filter((e) => /panicked|RuntimeError/.test(e)), []);
});

test('a corrupt head (summaries and headings) is skipped: the whole index still takes over', async () => {
  const server = await damagedSite((root) => corruptPart(root, 'head.'));
  const page = await newPage(browser);
  await page.goto(server.url + '/');
  // "waive" is in the fee's summary, a heading and its body, not its title.
  await search(page, 'waive');
  assert.equal((await resultIds(page))[0], 'billing/late-payment-fee');
  assert.equal(await page.getByRole('alert').count(), 0, 'nothing the agent must act on');
  assert.deepEqual(page.errors.filter((e) => /panicked|RuntimeError/.test(e)), []);
});

test('a corrupt head and whole index leave titles, other names and codes searchable, and say so', async () => {
  const server = await damagedSite(async (root) => {
    await corruptPart(root, 'head.');
    await corruptPart(root, 'index.');
  });
  const page = await newPage(browser);
  await page.goto(server.url + '/');
  await page.getByText('The full search index for English (US) could not be loaded: searching titles, other names and codes only.').waitFor();
  // "penalty fee" is one of the fee's other names (`aka`), not its title.
  await search(page, 'penalty fee');
  assert.equal((await resultIds(page))[0], 'billing/late-payment-fee');
  assert.deepEqual(page.errors.filter((e) => /panicked|RuntimeError/.test(e)), []);
});

test('corrupt bucket lists leave search working without snippets, and an opened article says why it is not there', async () => {
  const server = await damagedSite((root) => corruptPart(root, 'buckets.'));
  const page = await newPage(browser);
  await page.goto(server.url + '/');
  // The list settles (the second stage stops waiting for lists that will
  // not come), answered by the whole index: "waive" is not in a title.
  await search(page, 'waive');
  assert.equal((await resultIds(page))[0], 'billing/late-payment-fee');
  const snippets = await page.locator('[role="option"] .result-snippet').allTextContents();
  assert.ok(snippets.length > 0 && snippets.every((text) => text.trim() === ''), `no snippets without the lists: ${snippets}`);
  await searchBox(page).press('Enter');
  const alert = page.getByRole('alert').filter({ hasText: 'This article could not be opened:' });
  await alert.waitFor();
  assert.match(await alert.textContent(), /buckets\.[0-9a-f]{12}\.ccz/, 'the message names the damaged part');
  assert.deepEqual(page.errors.filter((e) => /panicked|RuntimeError/.test(e)), []);
});

test('a missing bundle says the knowledge base could not be loaded', async () => {
  const server = await damagedSite((root) => rm(join(root, 'bundle'), { recursive: true }));
  const { text } = await alertText(server);
  assert.match(text, /knowledge base could not be loaded/);
  assert.match(text, /HTTP 404/);
});

test('a bundle of another format version is refused by name', async () => {
  const server = await damagedSite(async (root) => {
    const path = join(root, 'bundle', 'manifest.json');
    const manifest = JSON.parse(await readFile(path, 'utf8'));
    manifest.format_version = 999;
    await writeFile(path, JSON.stringify(manifest));
  });
  const { text } = await alertText(server);
  assert.match(text, /format version 999/);
  assert.match(text, /rebuild the bundle/);
});

// Regression: before the index arrived, the list claimed (via data-query)
// to show the results for the typed text, with none on screen.
test('a query typed before the index arrives gets its real results', async () => {
  const server = await serveSite(SITE, { slow: { pattern: /\.ccz$/, ms: 1500 } });
  cleanup.push(() => server.close());
  const page = await newPage(browser);
  await page.goto(server.url + '/');
  await page.locator('[role="listbox"]').waitFor({ state: 'attached' });
  // Read the list in the very mutation that sets data-query="refund":
  // whatever is on screen then is what the list claims answers "refund".
  const shown = firstAnswer(page, 'refund');
  await searchBox(page).fill('refund');
  assert.equal((await shown).ids[0], 'billing/refund-annual-plan');
});

test('a manifest that is not JSON is reported, not a blank page', async () => {
  const server = await damagedSite((root) => writeFile(join(root, 'bundle', 'manifest.json'), '<!doctype html><h1>Oops'));
  const { text } = await alertText(server);
  assert.match(text, /manifest\.json is not valid/);
});
