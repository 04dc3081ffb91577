// Measures the meaning-based pass in the real app in headless Chromium, on
// a site whose bundle has it on. Per query (typed whole, as a paste, after
// the model has loaded): from the `input` event until the listbox is no
// longer `aria-busy` (the merged list is on screen), minus the pause the
// app waits for (250 ms): what the pass adds after the agent stops typing.
// Also the worker's own time per query (encode + nearest, from its
// message) and its wasm memory once the model and vectors are loaded, and
// how long the model took to arrive after the page opened. Prints JSON.
//
// usage: node bench/meaning-latency.mjs --site DIR --queries FILE.tsv [--rounds N]
import { readFile } from 'node:fs/promises';
import { serveSite } from '../support/server.mjs';
import { launchBrowser, newPage, searchBox } from '../support/browser.mjs';
import { stats } from './stats.mjs';

const PAUSE_MS = 250;
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
const queries = (await readFile(option('queries'), 'utf8'))
  .split('\n')
  .slice(1)
  .map((line) => line.split('\t')[0].trim())
  .filter(Boolean);
const rounds = Number(option('rounds', '2'));

const server = await serveSite(option('site'), { gzip: true });
const browser = await launchBrowser();
try {
  const page = await newPage(browser);
  await page.addInitScript(() => {
    window.__cuecardBench = [];
  });
  const opened = Date.now();
  await page.goto(server.url + '/');
  await page.waitForFunction(() => window.__cuecardBench.some(([name]) => name === 'meaning-worker-memory-mb'), null, { timeout: 300_000 });
  const modelArrivedMs = Date.now() - opened;
  const memoryMb = await page.evaluate(() => window.__cuecardBench.find(([name]) => name === 'meaning-worker-memory-mb')[1]);
  const box = searchBox(page);
  const passes = [];
  for (let round = 0; round < rounds; round++) {
    for (const query of queries) {
      await box.fill('');
      await page.locator('[role="listbox"][data-query=""]:not([aria-busy="true"])').waitFor({ state: 'attached' });
      const settled = page.evaluate(
        (text) =>
          new Promise((resolve) => {
            const list = document.querySelector('[role="listbox"]');
            const box = document.querySelector('#search');
            let typedAt = 0;
            box.addEventListener('input', () => (typedAt = performance.now()), { once: true, capture: true });
            const observer = new MutationObserver(() => {
              if (typedAt && list.getAttribute('data-query') === text && list.getAttribute('aria-busy') !== 'true') {
                observer.disconnect();
                resolve(performance.now() - typedAt);
              }
            });
            observer.observe(list, { attributes: true, childList: true, subtree: true });
          }),
        query,
      );
      await box.fill(query);
      passes.push((await settled) - PAUSE_MS);
    }
  }
  const worker = await page.evaluate(() => window.__cuecardBench.filter(([name]) => name === 'meaning').map(([, ms]) => ms));
  console.log(
    JSON.stringify(
      { queries: queries.length, rounds, modelArrivedMs, workerMemoryMb: memoryMb, pauseToMergedMs: stats(passes), workerMs: stats(worker) },
      null,
      2,
    ),
  );
} finally {
  await browser.close();
  await server.kill();
}
