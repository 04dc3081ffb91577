// The lean bundle as an agent meets it: a cold visit is answered by the
// first tier (titles, other names, their codes), then the head (summaries,
// headings and bodies' codes too) while the whole index loads,
// and a publish costs an open app only the parts that changed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { appendToArticle, kbCopy, publish, serveCopy as serveSiteCopy } from '../support/site-copy.mjs';
import { firstAnswer, launchBrowser, newPage, search, resultIds, searchBox } from '../support/browser.mjs';

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
/** The whole index of a locale (not its first tier `titles.*` or its head `head.*`). */
const WHOLE_INDEX = /\/index\.[0-9a-f]{12}\.ccz$/;

test('a cold visit is answered by the first tier at once; words only in bodies follow with the whole index', async () => {
  const kb = kbCopy(cleanups, { edit: (dir) => appendToArticle(dir, FEE, '\nZephyrword covers the fee in one case (reference ZX-4471).\n') });
  const { server } = await serveCopy({ kb, serveOptions: { slow: { pattern: WHOLE_INDEX, ms: 4000 } } });
  const page = await newPage(browser);
  await page.goto(server.url + '/');
  await page.locator('[role="listbox"]').waitFor({ state: 'attached' });

  // A title word: answered while the whole index is still on its way, and
  // marked busy because the list may still change.
  const title = firstAnswer(page, 'late payment');
  await searchBox(page).fill('late payment');
  const early = await title;
  assert.equal(early.ids[0], 'billing/late-payment-fee');
  assert.equal(early.busy, 'true', 'the whole index has not arrived yet');

  // A word of a summary and a heading, not of the title: answered by the
  // head, which follows the first tier, still before the whole index.
  await searchBox(page).fill('waive');
  const fee = page.locator('[role="listbox"][data-query="waive"] [role="option"][data-article-id="billing/late-payment-fee"]');
  await fee.waitFor();
  assert.equal(await page.locator('[role="listbox"]').getAttribute('aria-busy'), 'true', 'the whole index has still not arrived');
  assert.match(await fee.textContent(), /waive it once in 12 months/, 'the row shows the summary the head brought');

  // A code only in a body: not in the first tier (its codes are those of
  // titles, other names and headings), found by the head.
  await searchBox(page).fill('ZX-4471');
  await page.locator('[role="listbox"][data-query="ZX-4471"] [role="option"][data-article-id="billing/late-payment-fee"]').waitFor();
  assert.equal(await page.locator('[role="listbox"]').getAttribute('aria-busy'), 'true', 'the whole index has still not arrived');

  // A word only in a body: nothing yet, and the count says the whole kb is
  // still being searched rather than "No results"; then the article once
  // the whole index has replaced the first tier.
  const nothingYet = firstAnswer(page, 'zephyrword');
  await searchBox(page).fill('zephyrword');
  const before = await nothingYet;
  assert.deepEqual(before, { busy: 'true', ids: [] });
  await page.getByRole('status').filter({ hasText: /^Nothing yet: searching the whole knowledge base/ }).waitFor();
  assert.equal(await page.getByRole('status').filter({ hasText: /^No results/ }).count(), 0);
  await search(page, 'zephyrword');
  assert.deepEqual(await resultIds(page), ['billing/late-payment-fee']);
  await page.locator('[role="listbox"][data-query="zephyrword"][aria-busy="false"]').waitFor({ state: 'attached' });
  assert.match(await page.locator('[role="option"] .result-snippet').first().textContent(), /Zephyrword/i);
  assert.deepEqual(page.errors.filter((e) => /panicked|RuntimeError/.test(e)), []);
});

test('after a one-article publish, an open app fetches only the parts that changed', async () => {
  // The running version is built from a copy of the kb too: the site's own
  // bundle comes from the repository, whose git history dates every
  // article's changes, and a copy has none.
  const { root, server } = await serveCopy({ kb: kbCopy(cleanups) });
  const page = await newPage(browser);
  await page.goto(server.url + '/kb/');
  await page.locator('[data-saved-offline="true"]').waitFor({ timeout: 30_000 });
  const manifestPath = join(root, 'bundle', 'manifest.json');
  const before = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const tier = (t) => [t.base, ...(t.delta ? [t.delta] : [])];
  // A locale's text and article files are listed in its bucket lists, a
  // part the manifest names.
  const lists = (l) => JSON.parse(inflateSync(readFileSync(join(root, 'bundle', l.buckets.path))).toString('utf8'));
  const parts = (manifest) =>
    new Set(manifest.locales.flatMap((l) => [...tier(l.titles), ...tier(l.head), ...tier(l.index), l.buckets, ...lists(l).text_files, ...lists(l).article_files]).map((f) => f.path));
  const partsBefore = parts(before);

  // Edit one article's body and publish.
  const kb = kbCopy(cleanups, { edit: (dir) => appendToArticle(dir, FEE, '\nQuasarword applies from the next bill.\n') });
  publish(root, kb);
  const after = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const changed = [...parts(after)].filter((p) => !partsBefore.has(p));
  const enUs = after.locales.find((l) => l.locale === 'en-US');
  const own = changed.filter((p) => p.startsWith('en-US/'));
  assert.deepEqual(
    own.map((p) => p.replace(/\.[0-9a-f]{12}\.ccz$/, '').replace(/-\d+$/, '')).sort(),
    ['en-US/articles', 'en-US/buckets', 'en-US/index-delta', 'en-US/text'],
    `one body edit adds a delta to the whole index and changes one text file and one article file (and so the lists that name them): ${own}`,
  );
  assert.equal(enUs.index.base.path, before.locales.find((l) => l.locale === 'en-US').index.base.path, 'the base of the whole index is kept');
  for (const name of ['titles', 'head']) {
    assert.ok(!changed.includes(enUs[name].base.path) && !enUs[name].delta, `the ${name} tier holds no body (codes aside): it is unchanged`);
  }
  // Elsewhere at most the translations' article files (they are now
  // outdated) and their lists change.
  assert.ok(changed.filter((p) => !p.startsWith('en-US/')).every((p) => /\/(articles-\d+|buckets)\./.test(p)), `${changed}`);

  // The agent takes the new version; it is kept for offline use again.
  server.requests.length = 0;
  await page.reload();
  await search(page, 'quasarword');
  assert.deepEqual(await resultIds(page), ['billing/late-payment-fee']);
  await page.locator('[data-saved-offline="true"]').waitFor({ timeout: 30_000 });
  const fetchedParts = new Set(server.requests.filter((p) => /\/bundle\/.+\.ccz$/.test(p)).map((p) => p.slice(p.indexOf('/bundle/') + '/bundle/'.length)));
  assert.deepEqual([...fetchedParts].sort(), own.sort(), "only the changed parts of the agent's locale were downloaded");
});

test('the page starts the manifest and the first tier itself, and the app takes them rather than fetching again', async () => {
  const { root, server } = await serveCopy();
  const manifest = JSON.parse(readFileSync(join(root, 'bundle', 'manifest.json'), 'utf8'));
  const german = manifest.locales.find((l) => l.locale === 'de-DE');
  const page = await newPage(browser, { locale: 'de-DE' });
  await page.goto(server.url + '/');
  await page.locator('[role="listbox"][data-query=""]').waitFor({ state: 'attached' });
  await searchBox(page).fill('Gebühr');
  await page.locator('[role="option"]').first().waitFor();
  // The browser's language chose the locale, for the page as for the app.
  const asked = (path) => server.requests.filter((p) => p.endsWith(path)).length;
  assert.equal(asked(`/bundle/${german.titles.base.path}`), 1, `the first tier once: ${server.requests.join(' ')}`);
  // The early downloads were started by the page, before the app ran, and
  // taken by it (the manifest's too).
  const started = await page.evaluate((path) => performance.getEntriesByType('resource').find((e) => e.name.endsWith(path))?.initiatorType, german.titles.base.path);
  assert.equal(started, 'fetch');
  assert.deepEqual(await page.evaluate(() => Object.keys(window.__cuecardEarly ?? { missing: true }).filter((k) => k !== 'ready' && k !== 'prepared')), [], 'the app took every early download');
  // And what the page made of them while the app downloaded (the
  // manifest's text, the tier's hash and inflated bytes).
  assert.deepEqual(await page.evaluate(() => Object.keys(window.__cuecardEarly?.prepared ?? { missing: true })), [], 'the app took everything the page prepared');
});
