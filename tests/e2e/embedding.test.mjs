// Who may embed and drive the app: the hosts the knowledge team lists in
// cuecard.yaml (`embedding.allowed_hosts`), baked into the bundle. Each
// host page here is a CRM-like page on its own origin; its port is chosen
// before the bundle is built, so the bundle can name it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { serveSite } from '../support/server.mjs';
import { kbCopy, serveCopy } from '../support/site-copy.mjs';
import { SITE, launchBrowser, newPage, resultOptions, screenshot } from '../support/browser.mjs';

let browser;
const cleanups = [];
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  for (const cleanup of cleanups) await cleanup();
});

/**
 * A host page on its own port. `frame(hostOrigin)` gives the iframe's URL
 * once the host's origin is known; it is asked at every request.
 */
async function startHost() {
  let frameUrl = 'about:blank';
  const server = createServer((request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><html lang="en"><title>CRM</title>
<h1>Case 4711</h1>
<iframe title="Cuecard" src="${frameUrl}" width="380" height="600" allow="clipboard-write"></iframe>
<script>
  window.received = [];
  addEventListener('message', (event) => window.received.push({ origin: event.origin, data: event.data }));
  window.send = (message) => document.querySelector('iframe').contentWindow.postMessage(message, '*');
</script>`);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, frames: (url) => (frameUrl = url) };
}

async function openHost(host) {
  const page = await newPage(browser);
  await page.goto(host.origin + '/');
  return page;
}

/**
 * The app loads in the host's frame, but a search the host sends changes
 * nothing, and after a moment the host has heard nothing from the app.
 */
async function assertNotTalking(page) {
  const frame = page.frameLocator('iframe');
  await frame.locator('[role="listbox"][data-query=""]').waitFor({ state: 'attached' });
  await page.evaluate(() => window.send({ type: 'cuecard:search', query: 'refund' }));
  await page.evaluate(() => window.send({ type: 'cuecard:context', text: 'Caller: my phone only shows SOS since this morning.' }));
  await page.waitForTimeout(1500);
  assert.deepEqual(await page.evaluate(() => window.received.map((m) => m.data?.type)), []);
  assert.equal(await frame.locator('[role="listbox"]').getAttribute('data-query'), '');
  assert.equal(await frame.getByRole('group', { name: 'Suggested for this call' }).count(), 0, 'its context changes nothing');
}

test('an allowed host on another origin drives the app, and hears back at its own origin only', async () => {
  const host = await startHost();
  // Two entries: the app learns which one is framing it from the browser.
  const kb = kbCopy(cleanups, { allowedHosts: ['https://*.crm.example', host.origin] });
  const { server } = await serveCopy(cleanups, { kb });
  host.frames(server.url + '/');
  const page = await openHost(host);

  await page.waitForFunction(() => window.received.some((m) => m.data?.type === 'cuecard:ready'));
  const ready = await page.evaluate(() => window.received.find((m) => m.data.type === 'cuecard:ready'));
  assert.equal(ready.origin, server.url);
  assert.ok(ready.data.locales.includes('de-DE'));

  const frame = page.frameLocator('iframe');
  // The host hands over what the call is about: articles are suggested.
  await page.evaluate(() => window.send({ type: 'cuecard:context', text: 'Caller: my phone only shows SOS since this morning, I cannot call or text anyone.' }));
  const suggested = frame.getByRole('group', { name: 'Suggested for this call' }).getByRole('option');
  await suggested.first().waitFor();
  assert.ok((await suggested.count()) <= 5);

  await page.evaluate(() => window.send({ type: 'cuecard:search', query: 'Mahngebühr', locale: 'de-DE' }));
  await frame.locator('[role="listbox"][data-query="Mahngebühr"] [role="option"]').first().waitFor();
  assert.equal(await resultOptions(frame).first().getAttribute('data-article-id'), 'billing/late-payment-fee');

  await resultOptions(frame).first().click();
  await frame.locator('article[data-article-id="billing/late-payment-fee"]').waitFor();
  await page.waitForFunction(() => window.received.some((m) => m.data?.type === 'cuecard:article-opened'));
  // Opening a result counts the search at once (no pause to wait for),
  // and the opening says where in the list it was and for which query.
  const searched = await page.evaluate(() => window.received.find((m) => m.data.type === 'cuecard:searched')?.data);
  assert.equal(searched.query, 'Mahngebühr');
  assert.equal(searched.locale, 'de-DE');
  assert.ok(searched.results >= 1, `results: ${searched.results}`);
  assert.match(searched.session, /^[0-9a-f]{16}$/);
  const { bundle, session, at, ...opened } = await page.evaluate(() => window.received.find((m) => m.data.type === 'cuecard:article-opened').data);
  assert.deepEqual(opened, {
    type: 'cuecard:article-opened',
    id: 'billing/late-payment-fee',
    title: 'Mahngebühr',
    locale: 'de-DE',
    shownBecause: 'own',
    rank: 1,
    query: 'Mahngebühr',
  });
  assert.equal(session, searched.session);
  assert.equal(bundle, searched.bundle);
  assert.ok(!Number.isNaN(Date.parse(at)), at);

  await page.evaluate(() => window.send({ type: 'cuecard:open', id: 'scripts/call-opening' }));
  await frame.locator('article[data-article-id="scripts/call-opening"]').waitFor();
  await screenshot(page, 'embedded');

  // An old id (the English article's `redirect_from`) opens the article it
  // became, in the agent's locale, and the host learns the new id.
  await page.evaluate(() => window.send({ type: 'cuecard:open', id: 'billing/annual-refunds' }));
  await frame.locator('article[data-article-id="billing/refund-annual-plan"][lang="de-DE"]').waitFor();
  await page.waitForFunction(() => window.received.some((m) => m.data?.movedFrom));
  const moved = await page.evaluate(() => window.received.find((m) => m.data?.movedFrom).data);
  assert.equal(moved.id, 'billing/refund-annual-plan');
  assert.equal(moved.movedFrom, 'billing/annual-refunds');
  assert.equal(moved.locale, 'de-DE');

  // A problem report reaches the host, its note scrubbed.
  await frame.locator('body').press('f');
  const dialog = frame.getByRole('dialog', { name: 'Problem melden' });
  await dialog.getByRole('textbox', { name: /Was ist falsch/ }).fill('Karte 4111 1111 1111 1111 abgelehnt');
  await dialog.getByRole('button', { name: 'Meldung kopieren' }).click();
  await page.waitForFunction(() => window.received.some((m) => m.data?.type === 'cuecard:feedback'));
  const feedback = await page.evaluate(() => window.received.find((m) => m.data.type === 'cuecard:feedback').data);
  assert.equal(feedback.id, 'billing/refund-annual-plan');
  assert.equal(feedback.note, 'Karte [card number] abgelehnt');
  assert.equal(feedback.path, 'de-DE/billing/refund-annual-plan.md');
});

/**
 * An allowed host framing a copy of the sample kb (`edit` changes the copy
 * first), once the app said it is ready: the frame, its suggestions and
 * the ids they show, in order.
 */
async function liveCall(edit = null) {
  const host = await startHost();
  const kb = kbCopy(cleanups, { allowedHosts: [host.origin], edit });
  const { server } = await serveCopy(cleanups, { kb });
  host.frames(server.url + '/');
  const page = await openHost(host);
  await page.waitForFunction(() => window.received.some((m) => m.data?.type === 'cuecard:ready'));
  const frame = page.frameLocator('iframe');
  const suggested = frame.getByRole('group', { name: 'Suggested for this call' }).getByRole('option');
  const shown = () => suggested.evaluateAll((rows) => rows.map((row) => row.dataset.articleId));
  await frame.locator('[role="listbox"][aria-busy="false"]').waitFor({ state: 'attached' });
  return { page, frame, suggested, shown };
}

test('a live call: the host streams a growing transcript, the suggestions follow it, and the row the agent moved to stays', async () => {
  const { page, frame, suggested, shown } = await liveCall();

  // The call so far, as a transcript service sends it every few seconds.
  let transcript = 'Agent: Thanks for calling, how can I help?\nCaller: hi, I just got back from two weeks in Portugal and my bill has lots of charges for using data abroad.';
  await page.evaluate((text) => window.send({ type: 'cuecard:context', text }), transcript);
  await suggested.first().waitFor();
  const first = await shown();
  assert.ok(first.slice(0, 3).includes('billing/roaming-charges'), `the topic so far: ${first.join(', ')}`);

  // The agent moves to the second suggestion.
  await frame.getByRole('combobox', { name: 'Search the knowledge base' }).press('ArrowDown');
  const chosen = first[1];
  assert.equal(await suggested.nth(1).getAttribute('aria-selected'), 'true');

  // The same text again renders nothing.
  await frame.locator('[role="listbox"]').evaluate((list) => {
    window.__mutations = 0;
    new MutationObserver((records) => (window.__mutations += records.length)).observe(list, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  await page.evaluate((text) => window.send({ type: 'cuecard:context', text }), transcript);
  await page.waitForTimeout(500);
  assert.equal(await frame.locator('[role="listbox"]').evaluate(() => window.__mutations), 0, 'an update that changes nothing renders nothing');

  // The call moves on to another topic, at length: the suggestions follow,
  // and the row the agent moved to stays where it is, still selected.
  for (let n = 0; n < 6; n += 1) {
    transcript += '\nAgent: anything else?\nCaller: yes, since this morning my phone only shows SOS, I have no service, I cannot call or text anyone.';
    await page.evaluate((text) => window.send({ type: 'cuecard:context', text }), transcript);
    await page.waitForTimeout(150);
  }
  await frame.locator('[role="option"][data-article-id="troubleshooting/no-service"]').waitFor();
  const later = await shown();
  assert.notDeepEqual(later, first, 'the suggestions changed with the topic');
  assert.equal(later[1], chosen, `the chosen row stays: ${later.join(', ')}`);
  assert.equal(await suggested.nth(1).getAttribute('aria-selected'), 'true');

  // A transcript longer than the app reads: its newest speech is what counts.
  const long = `${'Caller: the roaming charges abroad again. '.repeat(150)}\nCaller: forget that, my phone only shows SOS, no service at all.`;
  await page.evaluate((text) => window.send({ type: 'cuecard:context', text }), long);
  await frame.locator('[role="option"][data-article-id="troubleshooting/no-service"]').waitFor();
  assert.deepEqual(page.errors, []);
});

test("a live call with meaning-based matching: the caller's words find the article none of them names, and an opened suggestion stays in its row", async () => {
  const { page, frame, suggested, shown } = await liveCall((dir) => appendFileSync(join(dir, 'cuecard.yaml'), '\nmeaning:\n  enabled: true\n'));
  const settled = () => frame.locator('[role="listbox"][aria-busy="false"]').waitFor({ state: 'attached' });
  const send = (text) => page.evaluate((text) => window.send({ type: 'cuecard:context', text }), text);

  // The call so far: roaming charges, which the words find.
  let transcript = 'Agent: Thanks for calling, how can I help?\nCaller: hi, I just got back from two weeks in Portugal and my bill has lots of charges for using data abroad.';
  await send(transcript);
  await suggested.first().waitFor();
  await settled();
  const first = await shown();
  assert.ok(first.slice(0, 3).includes('billing/roaming-charges'), `the topic so far: ${first.join(', ')}`);

  // The agent opens the second suggestion.
  const box = frame.getByRole('combobox', { name: 'Search the knowledge base' });
  await box.press('ArrowDown');
  const opened = first[1];
  await box.press('Enter');
  await frame.getByRole('button', { name: /Results/ }).waitFor();

  // The caller moves on, in words the articles do not use ("images I
  // attach to a chat" for picture messages): words alone do not find it.
  for (const words of ['also, something else.', 'images I attach to a chat never arrive, plain words go through fine.', 'my friends never get the images I attach in chats, it has been like that for days.']) {
    transcript += `\nAgent: okay.\nCaller: ${words}`;
    await send(transcript);
    await page.waitForTimeout(200);
  }
  await box.press('Escape');
  await frame.locator('[role="option"][data-article-id="troubleshooting/mms-not-working"]').waitFor();
  await settled();
  const later = await shown();
  assert.ok(later.slice(0, 3).includes('troubleshooting/mms-not-working'), `the new topic, by meaning: ${later.join(', ')}`);
  await frame.getByRole('option', { name: /Picture messages not working/ }).getByText('Similar in meaning').waitFor();
  assert.equal(later[1], opened, `the opened suggestion stays in its row: ${later.join(', ')}`);
  assert.deepEqual(page.errors, []);
});

test('a host that is not allowed cannot frame the app, and forging embed_origin does not let it talk', async () => {
  const host = await startHost();
  const kb = kbCopy(cleanups, { allowedHosts: ['https://crm.example'] });
  // The host writes its own origin into the iframe URL, as the old app trusted.
  const forged = (url) => `${url}/?embed_origin=${encodeURIComponent(host.origin)}`;

  // Served with the site's headers: the browser refuses to show the frame.
  const withHeaders = await serveCopy(cleanups, { kb });
  host.frames(forged(withHeaders.server.url));
  const page = await openHost(host);
  await page.waitForTimeout(1500);
  const child = page.frames().find((f) => f !== page.mainFrame());
  assert.ok(child, 'the iframe exists');
  assert.equal(await child.getByRole('combobox').count(), 0, 'the app is not shown inside the frame');
  assert.deepEqual(await page.evaluate(() => window.received.map((m) => m.data?.type)), []);

  // On a host that ignores `_headers`, the frame loads, but the app hears
  // nothing from this parent and tells it nothing.
  const noHeaders = await serveSite(withHeaders.root, { headers: false });
  cleanups.push(() => noHeaders.kill());
  host.frames(forged(noHeaders.url));
  await assertNotTalking(await openHost(host));
});

test('with no allowed hosts configured, the app talks to no parent at all', async () => {
  const host = await startHost();
  // The sample kb lists none; this host is not even refused by headers.
  const site = await serveSite(SITE, { headers: false });
  cleanups.push(() => site.kill());
  host.frames(`${site.url}/?embed_origin=${encodeURIComponent(host.origin)}`);
  await assertNotTalking(await openHost(host));
});

test('the page carries its own policy: no inline script runs, the app itself does', async () => {
  const site = await serveSite(SITE, { headers: false });
  cleanups.push(() => site.kill());
  const page = await newPage(browser);
  await page.goto(site.url + '/');
  await page.getByRole('combobox').first().waitFor();
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  // Only the page's own inline scripts (the app's loader, the early downloads), by hash.
  assert.match(policy, /script-src 'self' ('sha256-[A-Za-z0-9+/=]+' ){2}'wasm-unsafe-eval'/);
  assert.doesNotMatch(policy, /unsafe-inline/);
  // A script slipped into the page (as injected markup would be) is refused.
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true';
    document.body.append(script);
  });
  assert.equal(await page.evaluate(() => window.__injected), undefined);
  assert.ok(page.errors.some((e) => /Content Security Policy/.test(e)), 'the browser reported the refused script');
});
