// Measures search in the real app in headless Chromium: time from a
// keystroke (an `input` event on the search box) to the results for that
// exact text being in the DOM, for every keystroke of every query in a list;
// and time from opening the page to the first results. Prints JSON.
//
// usage: node bench/search-latency.mjs SITE_DIR QUERIES_FILE [LOCALE] [OPENS]
import { readFile } from 'node:fs/promises';
import { serveSite } from '../support/server.mjs';
import { launchBrowser, newPage } from '../support/browser.mjs';

const [site, queriesFile, locale = 'en', opens = '5'] = process.argv.slice(2);
const queries = (await readFile(queriesFile, 'utf8')).split('\n').map((q) => q.trim()).filter(Boolean);
const server = await serveSite(site);
const browser = await launchBrowser();

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  return { samples: sorted.length, median: at(50), p95: at(95), max: sorted[sorted.length - 1] };
}

try {
  // Page open -> first results, cold (new browser context each time).
  const openTimes = [];
  for (let i = 0; i < Number(opens); i++) {
    const page = await newPage(browser);
    await page.goto(`${server.url}/?locale=${locale}&q=${encodeURIComponent(queries[0])}`);
    await page.waitForFunction(
      (q) => {
        const list = document.querySelector('[role="listbox"][data-query]');
        return list && list.getAttribute('data-query') === q && list.querySelector('[role="option"]');
      },
      queries[0],
      { polling: 'raf', timeout: 60_000 },
    );
    openTimes.push(await page.evaluate(() => performance.now()));
    await page.context().close();
  }

  // Keystroke -> results in the DOM, typing each query a character at a time.
  const page = await newPage(browser);
  await page.goto(`${server.url}/?locale=${locale}`);
  await page.locator('[role="listbox"][data-query=""]').waitFor({ state: 'attached' });
  await page.waitForFunction(() => !document.querySelector('.loading'), null, { timeout: 60_000 });
  // The steady state an agent works in: once the app has saved the locale
  // for offline use (a cold open downloads it in the background first).
  // Builds without offline support have no such marker and go on at once.
  await page.waitForFunction(
    () => !document.querySelector('[data-saved-offline]') || document.querySelector('[data-saved-offline="true"]'),
    null,
    { timeout: 180_000 },
  );
  const perKeystroke = await page.evaluate(async (queries) => {
    const input = document.querySelector('input[role="combobox"]');
    const list = document.querySelector('[role="listbox"][data-query]');
    const type = (text) =>
      new Promise((resolve) => {
        const started = performance.now();
        const done = () => {
          if (list.getAttribute('data-query') === text) {
            observer.disconnect();
            resolve(performance.now() - started);
          }
        };
        const observer = new MutationObserver(done);
        observer.observe(list, { attributes: true, childList: true, subtree: true });
        input.value = text;
        input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText' }));
      });
    const times = [];
    const finals = [];
    for (const query of queries) {
      for (let end = 1; end <= query.length; end++) {
        const ms = await type(query.slice(0, end));
        times.push(ms);
        if (end === query.length) finals.push(ms);
      }
      await type('');
    }
    return { times, finals };
  }, queries);
  const wasm = await page.evaluate(() =>
    performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.wasm')).map((e) => e.transferSize || e.encodedBodySize)[0],
  );
  console.log(
    JSON.stringify(
      {
        locale,
        queries: queries.length,
        keystroke_to_results_ms: stats(perKeystroke.times),
        full_query_to_results_ms: stats(perKeystroke.finals),
        page_open_to_first_results_ms: stats(openTimes),
        wasm_bytes_transferred: wasm,
        errors: page.errors,
      },
      null,
      2,
    ),
  );
} finally {
  await browser.close();
  await server.close();
}
