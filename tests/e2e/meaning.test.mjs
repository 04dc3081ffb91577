// Meaning-based matching: with `meaning: { enabled: true }` in cuecard.yaml
// the bundle carries the sentence model and the English locales' article
// vectors; the app's worker encodes the query once the agent pauses, and
// the pass merges into the list (results-state contract: `aria-busy` until
// it has). The caller's words here share no word with the article: the
// lexical list cannot find it. Offline, the kept version (model, vectors
// and the worker's own files) still matches by meaning. Without the model
// files the app stays lexical and its list settles. A call's context is
// read for its meaning too, and merged into "Suggested for this call".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { kbCopy, serveCopy } from '../support/site-copy.mjs';
import { RESULTS_LABEL, firstAnswer, launchBrowser, newPage, resultIds, screenshot, search, searchBox } from '../support/browser.mjs';

// "Picture messages not working": no word of the query is in the article.
const PARAPHRASE = "photos won't go through in chats";
const ARTICLE = 'troubleshooting/mms-not-working';

let browser;
const cleanups = [];
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  for (const cleanup of cleanups) await cleanup();
});

/** The sample kb with meaning-based matching on, built into a served site copy. */
async function siteWithMeaning() {
  const kb = kbCopy(cleanups, { edit: (dir) => appendFileSync(join(dir, 'cuecard.yaml'), '\nmeaning:\n  enabled: true\n') });
  return serveCopy(cleanups, { kb });
}

async function openApp(server) {
  const page = await newPage(browser);
  await page.goto(server.url + '/');
  await page.locator('[role="listbox"][data-query=""]').waitFor({ state: 'attached' });
  return page;
}

test("a caller's words that no article uses find the article once the agent pauses", async () => {
  const { server } = await siteWithMeaning();
  const page = await openApp(server);
  const first = firstAnswer(page, PARAPHRASE);
  await searchBox(page).fill(PARAPHRASE);
  const lexical = await first;
  assert.equal(lexical.busy, 'true', 'the list says a later pass may still change it');
  assert.ok(!lexical.ids.includes(ARTICLE), `the lexical list cannot know it: ${lexical.ids}`);
  await search(page, PARAPHRASE);
  const merged = await resultIds(page);
  assert.ok(merged.slice(0, 3).includes(ARTICLE), `the merged list has it in its top 3: ${merged}`);
  // The row says why it is there though it has none of the typed words.
  const found = page.getByRole('option', { name: /Picture messages not working/ });
  await found.getByText('Similar in meaning').waitFor();
  await screenshot(page, 'meaning-merged');
  // Words the kb does use keep their lexical answer at the top, unlabelled.
  await search(page, 'late payment fee');
  assert.equal((await resultIds(page))[0], 'billing/late-payment-fee');
  assert.equal(await page.getByRole('option').first().getByText('Similar in meaning').count(), 0);
  assert.deepEqual(page.errors, []);
});

test('a query that arrives before the model (from the URL) is merged once the model is in', async () => {
  const { server } = await siteWithMeaning();
  const page = await newPage(browser);
  await page.goto(`${server.url}/?q=${encodeURIComponent(PARAPHRASE)}`);
  await page.locator(`[role="listbox"][data-query="${PARAPHRASE}"]:not([aria-busy="true"])`).waitFor({ state: 'attached' });
  assert.ok((await resultIds(page)).slice(0, 3).includes(ARTICLE), `merged: ${await resultIds(page)}`);
});

test("the pass merges within the agent's filters: its rows are only those the filters allow", async () => {
  const { server } = await siteWithMeaning();
  const page = await newPage(browser);
  const settled = `[role="listbox"][data-query="${PARAPHRASE}"]:not([aria-busy="true"])`;
  await page.goto(`${server.url}/?q=${encodeURIComponent(PARAPHRASE)}&category=troubleshooting`);
  await page.locator(settled).waitFor({ state: 'attached' });
  const inCategory = await resultIds(page);
  assert.ok(inCategory.slice(0, 3).includes(ARTICLE), `its own category: ${inCategory}`);
  assert.ok(inCategory.every((id) => id.startsWith('troubleshooting/')), inCategory.join());

  await page.goto(`${server.url}/?q=${encodeURIComponent(PARAPHRASE)}&category=billing`);
  await page.locator(settled).waitFor({ state: 'attached' });
  const elsewhere = await resultIds(page);
  assert.ok(elsewhere.every((id) => id.startsWith('billing/')), `another category: ${elsewhere}`);
});

test('offline, the kept version still matches by meaning: the model and its worker are kept with it', async () => {
  const { server } = await siteWithMeaning();
  const page = await openApp(server);
  await search(page, PARAPHRASE);
  assert.ok((await resultIds(page)).slice(0, 3).includes(ARTICLE), `online: ${await resultIds(page)}`);
  await page.locator('[data-saved-offline="true"]').waitFor({ timeout: 60_000 });

  await server.kill();
  await page.context().setOffline(true);
  await page.reload();
  await page.getByText('Offline: searching the saved knowledge base').waitFor();
  await search(page, PARAPHRASE);
  const merged = await resultIds(page);
  assert.ok(merged.slice(0, 3).includes(ARTICLE), `offline, the merged list has it in its top 3: ${merged}`);
});

test('without the model files the app searches lexically and its list settles', async () => {
  const { root, server } = await siteWithMeaning();
  for (const name of readdirSync(join(root, 'bundle', 'meaning'))) rmSync(join(root, 'bundle', 'meaning', name));
  const page = await openApp(server);
  page.errors = [];
  await search(page, 'late payment fee');
  assert.equal((await resultIds(page))[0], 'billing/late-payment-fee');
  await search(page, PARAPHRASE);
  assert.ok(!(await resultIds(page)).includes(ARTICLE));
  // The failed download is the only complaint (the browser logs the 404).
  assert.ok(page.errors.every((e) => /404|Not Found/i.test(e)), page.errors.join('\n'));
});

test('a row the agent moved the selection to stays where it is when the pass merges', async () => {
  const { server } = await siteWithMeaning();
  const page = await openApp(server);
  const first = firstAnswer(page, PARAPHRASE);
  await searchBox(page).fill(PARAPHRASE);
  const lexical = await first;
  assert.ok(lexical.ids.length >= 2, `the lexical list has rows to move to: ${lexical.ids}`);
  await searchBox(page).press('ArrowDown');
  const selected = () => page.getByRole('listbox', { name: RESULTS_LABEL }).getByRole('option', { selected: true });
  const held = await selected().getAttribute('data-article-id');
  // Its row when it was chosen (a later tier of the index may have
  // changed the list since the first answer; from the choice on, nothing
  // moves it).
  const row = (await resultIds(page)).indexOf(held);
  // Wait for the merge without typing again (typing resets the selection).
  await page.locator(`[role="listbox"][data-query="${PARAPHRASE}"]:not([aria-busy="true"])`).waitFor({ state: 'attached' });
  const merged = await resultIds(page);
  assert.equal(merged.indexOf(held), row, `${held} stays in its row ${row}: ${lexical.ids} -> ${merged}`);
  assert.equal(await selected().getAttribute('data-article-id'), held);
  assert.ok(merged.includes(ARTICLE), `the pass still merged: ${merged}`);
});

test("a call's context in the caller's words is suggested by meaning, and a locale without the model keeps word-based suggestions that settle", async () => {
  const { server } = await siteWithMeaning();
  const page = await newPage(browser);
  // Words alone do not have the article in their top 10 for this.
  const context = 'Caller: images I attach to a chat never arrive, plain words go through fine.';
  await page.goto(`${server.url}/#context=${encodeURIComponent(context)}`);
  const suggested = page.getByRole('group', { name: 'Suggested for this call' }).getByRole('option');
  await suggested.first().waitFor();
  await page.locator('[role="listbox"][data-query=""]:not([aria-busy="true"])').waitFor({ state: 'attached' });
  const ids = await suggested.evaluateAll((rows) => rows.map((row) => row.dataset.articleId));
  assert.ok(ids.slice(0, 3).includes(ARTICLE), `suggested by meaning: ${ids}`);
  await page.getByRole('option', { name: /Picture messages not working/ }).getByText('Similar in meaning').waitFor();

  // German has no model: the word ranking alone, and nothing to wait for.
  const german = await newPage(browser);
  const kontext = 'Betreff: Gebühr auf meiner Rechnung\nIch habe meine Rechnung zu spät bezahlt und jetzt steht da eine zusätzliche Gebühr.';
  await german.goto(`${server.url}/?locale=de-DE#context=${encodeURIComponent(kontext)}`);
  const vorgeschlagen = german.getByRole('group', { name: /./ }).getByRole('option');
  await vorgeschlagen.first().waitFor();
  await german.locator('[role="listbox"][data-query=""]:not([aria-busy="true"])').waitFor({ state: 'attached', timeout: 5000 });
  assert.equal(await german.getByText('Ähnlich in der Bedeutung').count(), 0, 'no meaning-based rows');
  assert.deepEqual([...page.errors, ...german.errors], []);
});
