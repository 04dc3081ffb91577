// Headless Chromium from Debian (never a downloaded browser), started with
// the flags this machine's closed network needs.
import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The built site under test (`trunk build --release` output). */
export const SITE = process.env.CUECARD_SITE ?? join(REPO, 'dist');
/** The indexer binary, for tests that build their own fixture bundles. */
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

/** Types `text` into the search box and waits until results for it are shown. */
export async function search(page, text) {
  await searchBox(page).fill(text);
  await page.locator(`[role="listbox"][data-query="${cssEscape(text)}"]`).waitFor({ state: 'attached' });
}

/** The search box. */
export function searchBox(page) {
  return page.getByRole('combobox', { name: 'Search the knowledge base' });
}

/** The result options (not the locale menu's options). */
export function resultOptions(page) {
  return page.getByRole('listbox', { name: 'Search results', includeHidden: true }).getByRole('option', { includeHidden: true });
}

/** The article ids of the options on screen, in order. */
export async function resultIds(page) {
  return resultOptions(page).evaluateAll((options) => options.map((o) => o.dataset.articleId));
}

export function cssEscape(text) {
  return text.replace(/["\\]/g, '\\$&');
}
