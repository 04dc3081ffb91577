// Headless Chromium from Debian (never a downloaded browser), started with
// the flags this machine's closed network needs.
import { chromium } from 'playwright-core';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The site under test (`cargo xtask test`: what the dist `cuecard site` writes for kb/). */
export const SITE = process.env.CUECARD_SITE ?? join(REPO, 'dist');
/** The cuecard binary (the dist one, with the app inside), for tests that build their own sites. */
export const CUECARD_BIN = process.env.CUECARD_BIN ?? join(REPO, 'target', 'release', 'cuecard');

export async function launchBrowser() {
  const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}: run \`cargo xtask setup\` (installs Debian's chromium)`);
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A fresh page that records uncaught errors and console errors, so a test
 * can assert the app never panicked behind a working-looking screen.
 */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ locale: 'en-US', ...options });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') page.errors.push(message.text());
  });
  return page;
}

/**
 * Types `text` into the search box and waits until the final results for it
 * are shown: `data-query` names it and no later stage is pending
 * (`aria-busy` not "true"; see the results-state contract).
 */
export async function search(page, text) {
  await searchBox(page).fill(text);
  await page.locator(`[role="listbox"][data-query="${cssEscape(text)}"]:not([aria-busy="true"])`).waitFor({ state: 'attached' });
}

/** The search box's accessible name in each interface language. */
export const SEARCH_LABEL = /^(Search the knowledge base|Wissensdatenbank durchsuchen|Buscar en la base de conocimiento|ナレッジベースを検索)$/;
/** The result list's accessible name in each interface language. */
export const RESULTS_LABEL = /^(Search results|Suchergebnisse|Resultados de búsqueda|検索結果)$/;

/** The search box. */
export function searchBox(page) {
  return page.getByRole('combobox', { name: SEARCH_LABEL });
}

/** The result options (not the locale menu's options). */
export function resultOptions(page) {
  return page.getByRole('listbox', { name: RESULTS_LABEL, includeHidden: true }).getByRole('option', { includeHidden: true });
}

/** Where the tests leave screenshots of the main states, for people to look at. */
export const SCREENSHOTS = join(REPO, 'target', 'screenshots');

/** Saves a full-page screenshot as target/screenshots/NAME.png. */
export async function screenshot(page, name) {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * Runs axe-core (WCAG 2 A and AA rules) on the page and returns the
 * violations whose impact is serious or critical.
 */
export async function seriousA11yViolations(page) {
  // Evaluated, not added as a <script>: the page's policy allows no inline script.
  await page.evaluate(readFileSync(join(REPO, 'tests', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8'));
  const results = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  );
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

/** The article ids of the options on screen, in order. */
export async function resultIds(page) {
  return resultOptions(page).evaluateAll((options) => options.map((o) => o.dataset.articleId));
}

/**
 * The listbox in the very mutation that first sets its `data-query` to
 * `text` (`aria-busy` and the option ids): whatever is on screen then is
 * what the list claims answers `text`. Start it before typing.
 */
export function firstAnswer(page, text) {
  return page.evaluate(
    (text) =>
      new Promise((resolve) => {
        const list = document.querySelector('[role="listbox"]');
        const check = () => {
          if (list.getAttribute('data-query') === text) {
            observer.disconnect();
            resolve({
              busy: list.getAttribute('aria-busy'),
              ids: [...list.querySelectorAll('[role="option"]')].map((o) => o.dataset.articleId),
            });
          }
        };
        const observer = new MutationObserver(check);
        observer.observe(list, { attributes: true, childList: true, subtree: true });
        check();
      }),
    text,
  );
}

export function cssEscape(text) {
  return text.replace(/["\\]/g, '\\$&');
}
