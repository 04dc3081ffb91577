// The agent's core loop in a real browser: type, see results, open one,
// come back. Everything goes through the shared engine compiled to wasm.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveSite } from '../support/server.mjs';
import { SITE, launchBrowser, newPage, search, resultIds, resultOptions, searchBox } from '../support/browser.mjs';

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

async function open(path = '/') {
  const page = await newPage(browser);
  await page.goto(server.url + path);
  return page;
}

test('typing a query shows matching articles, best first, and announces the count', async () => {
  const page = await open();
  await search(page, 'refund');
  const ids = await resultIds(page);
  assert.equal(ids[0], 'billing/refund-annual-plan');
  await assert.doesNotReject(page.getByRole('status').filter({ hasText: /^\d+ results?$/ }).waitFor());
  const first = resultOptions(page).first();
  assert.match(await first.textContent(), /Refund an annual plan/);
  assert.equal(await first.locator('mark').first().textContent(), 'Refund');
  assert.deepEqual(page.errors, []);
});

test('results arrive in stages: titles at once, then snippets, sections and counts, marked busy until final', async () => {
  const page = await open();
  await search(page, '');
  // What is on screen in the very mutation that first answers the query.
  const first = page.evaluate(
    () =>
      new Promise((resolve) => {
        const list = document.querySelector('[role="listbox"]');
        const observer = new MutationObserver(() => {
          if (list.getAttribute('data-query') !== 'refund') return;
          observer.disconnect();
          const options = [...list.querySelectorAll('[role="option"]')];
          resolve({
            busy: list.getAttribute('aria-busy'),
            titles: options.map((o) => o.querySelector('.result-title')?.textContent ?? ''),
            snippets: options.map((o) => o.querySelector('.result-snippet')?.textContent ?? ''),
          });
        });
        observer.observe(list, { attributes: true, childList: true, subtree: true });
      }),
  );
  await searchBox(page).fill('refund');
  const staged = await first;
  assert.equal(staged.busy, 'true');
  assert.match(staged.titles[0], /Refund an annual plan/);
  assert.ok(staged.snippets.every((s) => s === ''), 'snippets come in the second stage');

  await page.locator('[role="listbox"][data-query="refund"][aria-busy="false"]').waitFor({ state: 'attached' });
  assert.match(await resultOptions(page).first().locator('.result-snippet').textContent(), /\S/);
  assert.match(await page.locator('.chip').first().textContent(), /\d/);
});

test('the word being typed matches by prefix, on every keystroke', async () => {
  const page = await open();
  const box = searchBox(page);
  await box.pressSequentially('late pa');
  await page.locator('[role="listbox"][data-query="late pa"]').waitFor({ state: 'attached' });
  assert.equal((await resultIds(page))[0], 'billing/late-payment-fee');
});

test('the query never stays in the address: read from a link, kept across a reload, shared by "Copy link"', async () => {
  const page = await newPage(browser, { permissions: ['clipboard-read', 'clipboard-write'] });
  await page.goto(server.url + '/?q=refund&category=billing');
  await page.locator('[role="listbox"][data-query="refund"]').waitFor({ state: 'attached' });
  await page.waitForFunction(() => !location.search.includes('q='));
  assert.match(page.url(), /category=billing/, 'the rest of the address stays');
  // Typing, pausing and opening an article never write it back.
  const box = searchBox(page);
  await box.fill('late pa');
  await page.locator('[role="listbox"][data-query="late pa"]').waitFor({ state: 'attached' });
  await box.press('Enter');
  await page.locator('article[data-article-id="billing/late-payment-fee"]').waitFor();
  assert.ok(page.url().includes('#/a/billing/late-payment-fee') && !page.url().includes('q='), page.url());
  // A reload (what "Switch now" does) keeps the query, from the tab's storage.
  await page.reload();
  await page.locator('article[data-article-id="billing/late-payment-fee"]').waitFor();
  assert.equal(await searchBox(page).inputValue(), 'late pa');
  // "Copy link" shares the search on purpose, query and all.
  await page.getByRole('button', { name: 'Copy link' }).click();
  await page.getByRole('button', { name: 'Link copied ✓' }).waitFor();
  const link = new URL(await page.evaluate(() => navigator.clipboard.readText()));
  assert.equal(link.searchParams.get('q'), 'late pa');
  assert.equal(link.hash, '#/a/billing/late-payment-fee');
  const shared = await open(link.pathname + link.search + link.hash);
  await shared.locator('article[data-article-id="billing/late-payment-fee"]').waitFor();
  assert.equal(await searchBox(shared).inputValue(), 'late pa');
  // The page itself asks for no referrer, for hosts that send no header.
  assert.equal(await page.locator('meta[name="referrer"]').getAttribute('content'), 'no-referrer');
  assert.deepEqual(page.errors, []);
});

test('error codes read off a screen find their article', async () => {
  const page = await open();
  await search(page, 'SIM-REG-07');
  assert.equal((await resultIds(page))[0], 'troubleshooting/router-error-codes');
});

test('arrows move, Enter opens the article, Esc comes back with query and selection intact', async () => {
  const page = await open();
  await search(page, 'plan');
  const ids = await resultIds(page);
  assert.ok(ids.length >= 2, `expected several results, got ${ids}`);
  const box = searchBox(page);
  await box.press('ArrowDown');
  const second = resultOptions(page).nth(1);
  assert.equal(await second.getAttribute('aria-selected'), 'true');
  assert.equal(await box.getAttribute('aria-activedescendant'), await second.getAttribute('id'));

  await box.press('Enter');
  const article = page.locator(`article[data-article-id="${ids[1]}"]`);
  await article.waitFor();
  const title = await article.getByRole('heading', { level: 1 }).textContent();
  assert.ok(title.length > 0);
  assert.ok(page.url().includes('#/a/' + ids[1]), page.url());

  await page.keyboard.press('Escape');
  await article.waitFor({ state: 'detached' });
  assert.equal(await box.inputValue(), 'plan');
  assert.equal(await resultOptions(page).nth(1).getAttribute('aria-selected'), 'true');
  assert.ok(await box.evaluate((el) => el === document.activeElement), 'focus is back in the search box');
  assert.ok(!page.url().includes('#/a/'));
});

test('clicking a result opens it; Back returns to the results', async () => {
  const page = await open();
  await search(page, 'cancel monthly');
  await page.locator('[role="option"][data-article-id="account/cancel-monthly-plan"]').click();
  const heading = page.locator('article[data-article-id="account/cancel-monthly-plan"] h1');
  assert.equal(await heading.textContent(), 'Cancel a monthly plan');
  await page.goBack();
  await heading.waitFor({ state: 'detached' });
  await page.locator('[role="listbox"][data-query="cancel monthly"]').waitFor();
});

test('a deep link opens the article and restores the query', async () => {
  const page = await open('/?q=fee#/a/billing/late-payment-fee');
  const heading = page.locator('article[data-article-id="billing/late-payment-fee"] h1');
  assert.equal(await heading.textContent(), 'Late payment fee');
  assert.equal(await searchBox(page).inputValue(), 'fee');
});

test('links between articles open the linked article inside the app', async () => {
  const page = await open('/#/a/billing/refund-annual-plan');
  await page.locator('article').getByRole('link', { name: 'Cancel a monthly plan' }).click();
  const heading = page.locator('article[data-article-id="account/cancel-monthly-plan"] h1');
  assert.equal(await heading.textContent(), 'Cancel a monthly plan');
  await page.goBack();
  await page.locator('article[data-article-id="billing/refund-annual-plan"]').waitFor();
});

test('heading anchors scroll to the section and stay in the article', async () => {
  const page = await open('/#/a/billing/refund-annual-plan');
  const article = page.locator('article[data-article-id="billing/refund-annual-plan"]');
  await article.getByRole('link', { name: "Link to heading 'Exceptions'" }).click();
  assert.match(page.url(), /section=sec-exceptions/);
  assert.ok(await article.isVisible(), 'the article stays open');
  // Reopened from the link in a short sidebar, the page scrolls to the section.
  const reloaded = await newPage(browser, { viewport: { width: 360, height: 400 } });
  await reloaded.goto(page.url());
  await reloaded.locator('article #sec-exceptions').waitFor();
  await reloaded.waitForFunction(() => {
    const top = document.getElementById('sec-exceptions').getBoundingClientRect().top;
    return top >= 0 && top < 200;
  });
  assert.ok(await reloaded.evaluate(() => window.scrollY) > 0, 'the page scrolled down to the section');
});

test('scripts are cards with a working copy button; disclosures are marked read verbatim', async () => {
  const page = await newPage(browser, { permissions: ['clipboard-read', 'clipboard-write'] });
  await page.goto(server.url + '/#/a/scripts/call-opening');
  const article = page.locator('article[data-article-id="scripts/call-opening"]');
  await article.waitFor();
  const card = article.getByRole('figure').filter({ hasText: 'Thank you for calling Brightwave' });
  await card.getByRole('button', { name: 'Copy' }).click();
  await card.getByRole('button', { name: 'Copied ✓' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'Thank you for calling Brightwave, my name is [name].');
  const disclosure = article.locator('[data-block="disclosure"][data-disclosure-id="call-recording"]');
  assert.match(await disclosure.textContent(), /Read verbatim/);
  assert.match(await disclosure.textContent(), /This call is recorded for training and quality purposes/);
  const border = await disclosure.evaluate((el) => getComputedStyle(el).borderStyle);
  assert.equal(border, 'dashed', 'a disclosure looks different from a script');
});

test('a match under a heading names the section and opens the article there', async () => {
  const page = await newPage(browser, { viewport: { width: 360, height: 500 } });
  await page.goto(server.url + '/');
  await search(page, 'military deployment');
  const first = resultOptions(page).first();
  assert.equal(await first.getAttribute('data-article-id'), 'billing/refund-annual-plan');
  assert.match(await first.textContent(), /§ Exceptions/);
  await searchBox(page).press('Enter');
  await page.locator('article[data-article-id="billing/refund-annual-plan"]').waitFor();
  assert.match(page.url(), /section=sec-exceptions/);
  await page.waitForFunction(() => {
    const top = document.getElementById('sec-exceptions').getBoundingClientRect().top;
    return top >= 0 && top < 250;
  });
});

test('filters by category with counts, combined with a query or browsing with none', async () => {
  const page = await open('/');
  const filters = page.getByRole('group', { name: 'Filter results' });
  const billing = filters.getByRole('button', { name: /^billing \d+ articles$/ });
  const count = Number((await billing.textContent()).match(/\d+/)[0]);
  assert.ok(count >= 10, `billing has ${count} articles`);
  await billing.click();
  await page.locator('[role="listbox"][data-query=""] [role="option"]').first().waitFor();
  const browsed = await resultIds(page);
  assert.equal(browsed.length, Math.min(count, 10), "the app lists the best 10; the count says how many match");
  assert.ok(browsed.every((id) => id.startsWith('billing/')), browsed.join());
  assert.match(page.url(), /category=billing/);
  await page.getByRole('status').filter({ hasText: `${count} articles` }).waitFor();
  // Combined with a query: only billing articles that match.
  await search(page, 'fee');
  const both = await resultIds(page);
  assert.ok(both.length > 0 && both.every((id) => id.startsWith('billing/')), both.join());
  // A deep link restores the filter; pressing the chip again removes it.
  const linked = await open('/?q=fee&category=billing');
  // The final list (the whole index in, details merged), as `search` waited for.
  await linked.locator('[role="listbox"][data-query="fee"]:not([aria-busy="true"])').waitFor({ state: 'attached' });
  assert.deepEqual(await resultIds(linked), both);
  await linked.getByRole('button', { name: /^billing \d+ articles$/, pressed: true }).click();
  await linked.waitForFunction(() => !location.search.includes('category='));
});

test('articles render Markdown: tables, steps, warnings, scripts', async () => {
  const page = await open('/#/a/billing/refund-annual-plan');
  const article = page.locator('article[data-article-id="billing/refund-annual-plan"]');
  await article.waitFor();
  assert.equal(await article.getByRole('table').count(), 1);
  assert.ok((await article.locator('ol > li').count()) >= 4);
  assert.match(await article.textContent(), /promotional device discount/);
  assert.ok(await article.getByRole('heading', { name: 'Exceptions' }).isVisible());
});

test('the locale comes from the URL, and each locale searches its own articles', async () => {
  const page = await open('/?locale=de-DE');
  await search(page, 'Mahngebühr');
  assert.equal((await resultIds(page))[0], 'billing/late-payment-fee');
  await resultOptions(page).first().click();
  assert.equal(await page.locator('article h1').textContent(), 'Mahngebühr');
  // The interface speaks the agent's language too.
  assert.equal(await page.getByRole('combobox', { name: 'Sprache der Wissensdatenbank' }).inputValue(), 'de-DE');
});

test('Spanish and Japanese sets are searchable in their locales', async () => {
  const spanish = await open('/?locale=es-MX');
  await search(spanish, 'cargo por pago tardío');
  assert.equal((await resultIds(spanish))[0], 'billing/late-payment-fee');
  const japanese = await open('/?locale=ja-JP');
  // A word inside a longer run of Japanese text, and a prefix of it.
  await search(japanese, '録音');
  assert.ok((await resultIds(japanese)).includes('scripts/call-opening'));
  await search(japanese, 'ルータ');
  assert.equal((await resultIds(japanese))[0], 'troubleshooting/router-error-codes');
});

test("the browser's language picks the locale when the URL does not", async () => {
  const page = await newPage(browser, { locale: 'de-AT' });
  await page.goto(server.url + '/');
  await search(page, 'Lastschrift');
  assert.deepEqual(await resultIds(page), ['billing/late-payment-fee']);
});

test('the site works under a base path', async () => {
  const page = await open('/kb/?q=refund');
  await page.locator('[role="listbox"][data-query="refund"]').waitFor({ state: 'attached' });
  assert.equal((await resultIds(page))[0], 'billing/refund-annual-plan');
  assert.deepEqual(page.errors, []);
});

test('queries that look like syntax never break the page', async () => {
  const page = await open();
  for (const typed of ['"', '-', '"unclosed', 'title:refund', '((', '*', '\\', '🙂', '-"late fee" refund']) {
    await search(page, typed);
  }
  assert.deepEqual(page.errors, []);
});

test('a pasted page of text never freezes the tab: only its start is searched, and the page says so', async () => {
  const page = await open();
  await search(page, 'refund');
  // 200,000 characters in one input event, as a paste delivers them (before
  // the cap this held the main thread for about 4 s in this test).
  const pasted = '返金の手続きについて教えてください'.repeat(12_500).slice(0, 200_000);
  const started = Date.now();
  await searchBox(page).fill(pasted);
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done())));
  const answeredIn = Date.now() - started;
  // A generous bound (the issue asks for a second): it only fails when the
  // query is built from the whole paste again.
  assert.ok(answeredIn < 2_000, `the page answered after ${answeredIn} ms`);
  await page.getByRole('status').filter({ hasText: 'only its first 200 characters were searched' }).waitFor();
  assert.ok(!page.url().includes('返金'.repeat(200)), 'the URL holds only what was searched');
  await search(page, 'late fee');
  assert.equal((await resultIds(page))[0], 'billing/late-payment-fee');
  assert.deepEqual(page.errors, []);
});
