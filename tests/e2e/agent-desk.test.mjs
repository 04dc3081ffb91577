// The agent's desk: keyboard-only lookup, trust at a glance, locales with
// honest fallback, a 360 px sidebar, accessibility. Screenshots of the main
// states go to target/screenshots/ for people to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveSite } from '../support/server.mjs';
import {
  SITE,
  launchBrowser,
  newPage,
  search,
  resultIds,
  resultOptions,
  searchBox,
  screenshot,
  seriousA11yViolations,
} from '../support/browser.mjs';

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

/** A page whose clock says `today` (review dates are judged in the browser). */
async function open(path = '/', { today = '2026-11-25T10:00:00', ...options } = {}) {
  const page = await newPage(browser, options);
  await page.clock.setFixedTime(new Date(today));
  await page.goto(server.url + path);
  return page;
}

function article(page, id) {
  return page.locator(`article[data-article-id="${id}"]`);
}

async function focusIsIn(page, locator) {
  return locator.evaluate((el) => el === document.activeElement || el.contains(document.activeElement));
}

test('find, read, copy, pin and come back with the keyboard alone', async () => {
  const page = await open('/', { permissions: ['clipboard-read', 'clipboard-write'] });
  await page.locator('[role="listbox"][data-query=""]').waitFor({ state: 'attached' });
  // `/` from anywhere puts the cursor in the search box.
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('/');
  const box = searchBox(page);
  assert.ok(await focusIsIn(page, box), '/ focuses the search box');
  await page.keyboard.type('opening script');
  await page.locator('[role="listbox"][data-query="opening script"]').waitFor({ state: 'attached' });
  const ids = await resultIds(page);
  const position = ids.indexOf('scripts/call-opening');
  assert.ok(position >= 0, `call-opening is among ${ids}`);
  for (let i = 0; i < position; i += 1) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  const opened = article(page, 'scripts/call-opening');
  await opened.waitFor();
  assert.ok(await focusIsIn(page, opened), 'the open article has the focus');

  // `c` copies the first script card, with visible feedback.
  await page.keyboard.press('c');
  await opened.getByRole('button', { name: 'Copied ✓' }).first().waitFor();
  assert.match(await page.evaluate(() => navigator.clipboard.readText()), /^Thank you for calling Brightwave/);
  await screenshot(page, 'article-with-scripts');

  // `p` pins it.
  await page.keyboard.press('p');
  await opened.getByRole('button', { name: 'Unpin', pressed: true }).waitFor();

  // Esc: back to the results, query and selection as they were, focus in the box.
  await page.keyboard.press('Escape');
  await opened.waitFor({ state: 'detached' });
  assert.equal(await box.inputValue(), 'opening script');
  assert.equal(await resultOptions(page).nth(position).getAttribute('aria-selected'), 'true');
  assert.ok(await focusIsIn(page, box), 'focus is back in the search box');

  // Esc again clears; pinned and recently viewed articles are one arrow away.
  await page.keyboard.press('Escape');
  assert.equal(await box.inputValue(), '');
  const pinned = page.getByRole('group', { name: 'Pinned' });
  await pinned.getByRole('option', { name: /Opening the call/ }).waitFor();
  await screenshot(page, 'pinned-and-recent');
  await page.keyboard.press('Enter');
  await opened.waitFor();

  // Ctrl+K from inside the article goes back to searching.
  await page.keyboard.press('Control+k');
  assert.ok(await focusIsIn(page, box));
  assert.deepEqual(page.errors, []);
});

test('pinned and recent articles are remembered across visits', async () => {
  const page = await open('/#/a/billing/late-payment-fee');
  await article(page, 'billing/late-payment-fee').waitFor();
  await page.goto(server.url + '/');
  const recent = page.getByRole('group', { name: 'Recently viewed' });
  await recent.getByRole('option', { name: /Late payment fee/ }).waitFor();
});

test('? shows the shortcuts; Esc closes them and the focus returns', async () => {
  const page = await open('/');
  await page.locator('[role="listbox"][data-query=""]').waitFor({ state: 'attached' });
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /Copy the focused \(or first\) script/);
  assert.ok(await focusIsIn(page, dialog.getByRole('button', { name: 'Close' })));
  await screenshot(page, 'shortcuts');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  // The button opens it too.
  await page.getByRole('button', { name: 'Keyboard shortcuts (?)' }).click();
  await dialog.waitFor();
});

test('the trust bar shows owner and review age, judged on the browser\'s date', async () => {
  const fresh = await open('/#/a/products/black-friday-offer');
  const offer = article(fresh, 'products/black-friday-offer');
  await offer.waitFor();
  assert.match(await offer.textContent(), /Owner: Luis Ortega, Product Knowledge/);
  assert.match(await offer.textContent(), /Reviewed 5 days ago/);
  assert.equal(await offer.locator('[data-freshness]').count(), 0, 'no warning while current');

  // The same bundle, weeks later: the offer has expired, and says so.
  const later = await open('/#/a/products/black-friday-offer', { today: '2027-02-05T10:00:00' });
  const expired = article(later, 'products/black-friday-offer');
  await expired.waitFor();
  assert.match(await expired.locator('[data-freshness="expired"]').textContent(), /Expired 5 days ago: do not use this article/);

  const overdue = await open('/#/a/billing/financial-hardship');
  const hardship = article(overdue, 'billing/financial-hardship');
  await hardship.waitFor();
  assert.match(await hardship.locator('[data-freshness="overdue"]').textContent(), /Review overdue by 178 days/);
  await screenshot(overdue, 'review-overdue');
});

test('related articles and other locales are one click away', async () => {
  const page = await open('/#/a/billing/late-payment-fee');
  const fee = article(page, 'billing/late-payment-fee');
  await fee.waitFor();
  const related = page.getByRole('navigation', { name: 'Related articles' });
  assert.ok((await related.getByRole('link').count()) >= 1);
  const german = page.getByRole('navigation', { name: 'In other languages' }).getByRole('link', { name: /^Deutsch: / });
  await german.click();
  const shown = page.locator('article[data-article-id="billing/late-payment-fee"][data-locale="de-DE"]');
  await shown.waitFor();
  assert.equal(await shown.locator('h1').textContent(), 'Mahngebühr');
  assert.match(await page.getByRole('note').filter({ hasText: 'You are reading the Deutsch version.' }).textContent(), /Deutsch/);
  assert.match(page.url(), /in=de-DE/);
});

test('an article missing in the agent\'s locale is shown from the fallback, and says so', async () => {
  const page = await open('/?locale=de-DE#/a/regulated/identity-verification');
  const shown = page.locator('article[data-article-id="regulated/identity-verification"][data-locale="en-US"]');
  await shown.waitFor();
  await page.getByRole('note').filter({ hasText: 'Angezeigt auf English (US): noch keine Version auf Deutsch.' }).waitFor();
  // The interface around it stays German.
  await page.getByRole('combobox', { name: 'Wissensdatenbank durchsuchen' }).waitFor();
  await page.getByRole('button', { name: /Ergebnisse/ }).waitFor();
  await screenshot(page, 'fallback-notice');
  assert.deepEqual(page.errors, []);
});

test('searching a partial locale also lists fallback articles it lacks, labelled', async () => {
  const page = await open('/?locale=de-DE');
  await search(page, 'eSIM');
  const fromEnglish = page.getByRole('group', { name: 'Aus English (US): noch keine Version auf Deutsch' });
  const option = fromEnglish.getByRole('option').first();
  await option.waitFor();
  assert.equal(await option.getAttribute('data-locale'), 'en-US');
  await option.click();
  await page.locator('article[data-locale="en-US"]').waitFor();
  await page.getByRole('note').filter({ hasText: 'Angezeigt auf English (US)' }).waitFor();
});

test('an outdated translation says so and offers its source', async () => {
  const page = await open('/?locale=de-DE#/a/billing/late-payment-fee');
  await article(page, 'billing/late-payment-fee').waitFor();
  const notice = page.getByRole('note').filter({ hasText: 'Diese Übersetzung ist älter' });
  await notice.waitFor();
  await screenshot(page, 'outdated-translation');
  await notice.getByRole('button', { name: 'Version auf English (US) lesen' }).click();
  await page.locator('article[data-article-id="billing/late-payment-fee"][data-locale="en-US"]').waitFor();
  assert.match(page.url(), /in=en-US/);
});

test('the chosen locale is remembered', async () => {
  const page = await open('/');
  await page.locator('[role="listbox"][data-query=""]').waitFor({ state: 'attached' });
  await page.getByRole('combobox', { name: 'Knowledge base language' }).selectOption('es-MX');
  await page.getByRole('combobox', { name: 'Idioma de la base de conocimiento' }).waitFor();
  await page.goto(server.url + '/');
  await search(page, 'cargo por pago tardío');
  assert.equal((await resultIds(page))[0], 'billing/late-payment-fee');
  assert.equal(await page.locator('html').getAttribute('lang'), 'es-MX');
});

test('at 360 px wide nothing scrolls sideways', async () => {
  const page = await open('/', { viewport: { width: 360, height: 720 } });
  await search(page, 'refund');
  await screenshot(page, 'narrow-results');
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok((await overflow()) <= 0, `results overflow by ${await overflow()} px`);
  await searchBox(page).press('Enter');
  await page.locator('article').waitFor();
  await page.goto(server.url + '/#/a/billing/refund-annual-plan');
  await article(page, 'billing/refund-annual-plan').getByRole('table').waitFor();
  assert.ok((await overflow()) <= 0, `the article overflows by ${await overflow()} px`);
  await screenshot(page, 'narrow-article');
});

test('no serious or critical accessibility violations, light and dark', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const results = await open('/?q=refund', { colorScheme });
    await results.locator('[role="listbox"][data-query="refund"] [role="option"]').first().waitFor();
    assert.deepEqual(await seriousA11yViolations(results), [], `results, ${colorScheme}`);
    if (colorScheme === 'dark') await screenshot(results, 'results-dark');
    else await screenshot(results, 'results');

    const script = await open('/#/a/scripts/call-opening', { colorScheme });
    await article(script, 'scripts/call-opening').waitFor();
    assert.deepEqual(await seriousA11yViolations(script), [], `article, ${colorScheme}`);

    const warned = await open('/#/a/billing/financial-hardship', { colorScheme });
    await warned.locator('article [data-freshness]').waitFor();
    assert.deepEqual(await seriousA11yViolations(warned), [], `review warning, ${colorScheme}`);

    const outdated = await open('/?locale=de-DE#/a/billing/late-payment-fee', { colorScheme });
    await outdated.locator('article .notice.outdated').waitFor();
    assert.deepEqual(await seriousA11yViolations(outdated), [], `outdated translation, ${colorScheme}`);

    const fallback = await open('/?locale=de-DE#/a/regulated/identity-verification', { colorScheme });
    await fallback.locator('article .notice.fallback').waitFor();
    assert.deepEqual(await seriousA11yViolations(fallback), [], `fallback, ${colorScheme}`);

    const help = await open('/', { colorScheme });
    await help.locator('[role="listbox"][data-query=""]').waitFor({ state: 'attached' });
    await help.getByRole('button', { name: 'Keyboard shortcuts (?)' }).click();
    assert.deepEqual(await seriousA11yViolations(help), [], `shortcuts, ${colorScheme}`);
  }
});
