// Measures search in the real app in headless Chromium, for one or more
// builds of the app on the same bundle, alternately (this machine is noisy:
// a comparison is only fair within one run), plus MiniSearch as an
// API-only reference on the same articles. Prints JSON.
//
// Per keystroke of every query (typed one character at a time):
// - first results: from the `input` event to the render that sets the
//   listbox's `data-query` to the typed text (titles and summaries);
// - final: until `aria-busy` is no longer "true" (snippets, sections,
//   facet counts); builds without stages are final at once;
// - the app's own step timings when it records them (`window.__cuecardBench`):
//   search, fallback, details; render = first results - search - fallback.
// Per session: page open to first results and the bytes downloaded until
// then (as the page's resource timing counts them, served the way a typical
// static host serves files: gzip for html, css, js, json and wasm), and
// the first keystroke after the app has loaded (each in a fresh browser
// context); the tab's wasm memory once the whole index is loaded and every
// query was typed.
//
// usage: node bench/search-latency.mjs --site NAME=DIR [--site NAME=DIR ...]
//          --queries FILE [--locale TAG] [--rounds N] [--opens N] [--minisearch] [--markdown]
// With --markdown it prints the tables BENCHMARKS.md takes instead of JSON.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serveSite } from '../support/server.mjs';
import { REPO, launchBrowser, newPage } from '../support/browser.mjs';
import { stats as statsOf } from './stats.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
const sites = args.flatMap((a, i) => (a === '--site' ? [args[i + 1]] : [])).map((s) => {
  const [name, ...dir] = s.split('=');
  return { name, dir: dir.join('=') };
});
const queries = (await readFile(option('queries'), 'utf8')).split('\n').map((q) => q.trim()).filter(Boolean);
const locale = option('locale', 'en');
const rounds = Number(option('rounds', '1'));
const opens = Number(option('opens', '3'));
const withMiniSearch = args.includes('--minisearch');

const stats = (samples) => statsOf(samples, 2);

/** Waits until the app has loaded the locale and is idle. */
async function ready(page) {
  // Loaded whole: the first tier of a lean bundle answers earlier, but the
  // keystrokes measured here are those of an agent who has the whole index.
  await page.locator('[role="listbox"][data-query=""]:not([aria-busy="true"])').waitFor({ state: 'attached', timeout: 120_000 });
  await page.waitForFunction(() => !document.querySelector('.loading'), null, { timeout: 120_000 });
}

async function benchPage(browser, url) {
  const page = await newPage(browser);
  // Ask the app for its step timings (builds without them ignore it).
  await page.addInitScript(() => {
    window.__cuecardBench = [];
  });
  await page.goto(url);
  return page;
}

/** Types `text` the way the browser reports typing and times both stages. */
function typeInPage(queries) {
  const input = document.querySelector('input[role="combobox"]');
  const list = document.querySelector('[role="listbox"]');
  const type = (text) =>
    new Promise((resolve) => {
      window.__cuecardBench = [];
      let first = null;
      const started = performance.now();
      const check = () => {
        if (list.getAttribute('data-query') !== text) return;
        const now = performance.now();
        if (first === null) first = now - started;
        if (list.getAttribute('aria-busy') !== 'true') {
          observer.disconnect();
          const steps = {};
          for (const [name, ms] of window.__cuecardBench) steps[name] = (steps[name] ?? 0) + ms;
          resolve({ first, final: now - started, steps });
        }
      };
      const observer = new MutationObserver(check);
      observer.observe(list, { attributes: true, childList: true, subtree: true });
      input.value = text;
      input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText' }));
      // Text the list already answers changes nothing to observe.
      setTimeout(check, 0);
    });
  return (async () => {
    const keystrokes = [];
    for (const query of queries) {
      for (let end = 1; end <= query.length; end++) keystrokes.push(await type(query.slice(0, end)));
      await type('');
    }
    return keystrokes;
  })();
}

async function session(browser, server, round) {
  const result = { open: [], openBytes: [], firstKeystroke: [], firstKeystrokeSteps: [], keystrokes: [] };
  for (let i = 0; i < opens; i++) {
    const query = queries[(round * opens + i) % queries.length];
    // Page open -> first results, cold.
    const cold = await benchPage(browser, `${server.url}/?locale=${locale}&q=${encodeURIComponent(query)}`);
    // The time is taken in the frame that first shows the options (work the
    // app does after that frame must not count).
    const shown = await cold.waitForFunction(
      (q) => {
        const list = document.querySelector('[role="listbox"][data-query]');
        if (!(list && list.getAttribute('data-query') === q && list.querySelector('[role="option"]'))) return false;
        const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
        return { at: performance.now(), bytes: entries.reduce((sum, e) => sum + (e.transferSize || 0), 0) };
      },
      query,
      { polling: 'raf', timeout: 120_000 },
    );
    const { at, bytes } = await shown.jsonValue();
    result.open.push(at);
    result.openBytes.push(bytes);
    await cold.context().close();
    // The first keystroke of a session, once the app has loaded and settled.
    const fresh = await benchPage(browser, `${server.url}/?locale=${locale}`);
    await ready(fresh);
    await fresh.waitForTimeout(500);
    const [first] = await fresh.evaluate(typeInPage, [query.slice(0, 1)]);
    result.firstKeystroke.push(first.first);
    result.firstKeystrokeSteps.push(first.steps);
    await fresh.context().close();
  }
  const page = await benchPage(browser, `${server.url}/?locale=${locale}`);
  await ready(page);
  // The steady state an agent works in: the locale saved for offline use.
  await page.waitForFunction(
    () => !document.querySelector('[data-saved-offline]') || document.querySelector('[data-saved-offline="true"]'),
    null,
    { timeout: 180_000 },
  );
  result.keystrokes = (await page.evaluate(typeInPage, queries)).filter((k) => k !== undefined);
  result.wasmBytes = await page.evaluate(() => window.__cuecardWasmMemory?.buffer.byteLength ?? null);
  result.errors = page.errors;
  await page.context().close();
  return result;
}

/** MiniSearch 7.2, API only: indexes the locale's articles, times a search per keystroke. */
async function miniSearch(browser, server) {
  const page = await newPage(browser);
  await page.goto(`${server.url}/?locale=${locale}`);
  await ready(page);
  await page.evaluate(await readFile(join(REPO, 'tests', 'node_modules', 'minisearch', 'dist', 'umd', 'index.js'), 'utf8'));
  return page.evaluate(
    async ({ queries, locale }) => {
      const manifest = await (await fetch('bundle/manifest.json')).json();
      const bundle = manifest.locales.find((l) => l.locale === locale) ?? manifest.locales.find((l) => l.locale.startsWith(locale));
      const documents = [];
      // Parts of a lean bundle (format 6) are zlib-compressed `.ccz`.
      const read = async (path) => {
        const response = await fetch(`bundle/${path}`);
        return path.endsWith('.ccz') ? new Response(response.body.pipeThrough(new DecompressionStream('deflate'))).json() : response.json();
      };
      // A locale's article files are listed in its bucket lists (format 12).
      const { article_files } = await read(bundle.buckets.path);
      for (const file of article_files) {
        const { articles } = await read(file.path);
        for (const article of articles) {
          const body = new DOMParser().parseFromString(article.html, 'text/html').body.textContent;
          documents.push({ id: article.id, title: article.title, summary: article.summary, body });
        }
      }
      // MiniSearch's default tokenizer splits on spaces and punctuation, so
      // Japanese (or Chinese, Thai) text would be one token per sentence
      // and hardly searchable: there it splits words with the browser's
      // own segmenter, as a site using MiniSearch for those languages must.
      const spaceless = /^(ja|zh|th|lo|km|my)\b/.test(locale);
      const segmenter = spaceless ? new Intl.Segmenter(locale, { granularity: 'word' }) : null;
      const tokenize = segmenter
        ? (text) => [...segmenter.segment(text)].filter((s) => s.isWordLike).map((s) => s.segment)
        : undefined;
      const index = new MiniSearch({ fields: ['title', 'summary', 'body'], storeFields: ['title'], ...(tokenize ? { tokenize } : {}) });
      index.addAll(documents);
      const options = { prefix: true, fuzzy: 0.2, boost: { title: 2 } };
      const times = [];
      for (const query of queries) {
        for (let end = 1; end <= query.length; end++) {
          const started = performance.now();
          index.search(query.slice(0, end), options).slice(0, 10);
          times.push(performance.now() - started);
        }
      }
      return { documents: documents.length, times, tokenizer: segmenter ? 'words by Intl.Segmenter' : 'default tokenizer' };
    },
    { queries, locale },
  );
}

const browser = await launchBrowser();
const servers = await Promise.all(sites.map((site) => serveSite(site.dir, { gzip: true })));
try {
  const collected = sites.map(() => ({ open: [], openBytes: [], wasmBytes: [], firstKeystroke: [], firstKeystrokeSteps: [], keystrokes: [], rounds: [], errors: [] }));
  const mini = { times: [], rounds: [], documents: 0, tokenizer: '' };
  for (let round = 0; round < rounds; round++) {
    // Alternate the order so neither build always runs first.
    const order = sites.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) {
      const one = await session(browser, servers[i], round);
      collected[i].open.push(...one.open);
      collected[i].openBytes.push(...one.openBytes);
      if (one.wasmBytes !== null) collected[i].wasmBytes.push(one.wasmBytes);
      collected[i].firstKeystroke.push(...one.firstKeystroke);
      collected[i].firstKeystrokeSteps.push(...one.firstKeystrokeSteps);
      collected[i].keystrokes.push(...one.keystrokes);
      collected[i].errors.push(...one.errors);
      collected[i].rounds.push(stats(one.keystrokes.map((k) => k.first)));
    }
    if (withMiniSearch) {
      const one = await miniSearch(browser, servers[0]);
      mini.times.push(...one.times);
      mini.documents = one.documents;
      mini.tokenizer = one.tokenizer;
      mini.rounds.push(stats(one.times));
    }
  }
  const step = (keystrokes, name) => stats(keystrokes.map((k) => k.steps[name] ?? 0));
  const report = {
    locale,
    queries: queries.length,
    sites: sites.map((site, i) => {
      const k = collected[i].keystrokes;
      return {
        name: site.name,
        keystroke_first_results_ms: stats(k.map((x) => x.first)),
        keystroke_final_ms: stats(k.map((x) => x.final)),
        per_round_first_results_ms: collected[i].rounds,
        steps_ms: {
          search: step(k, 'search'),
          fallback: step(k, 'fallback'),
          render: stats(k.map((x) => Math.max(0, x.first - (x.steps.search ?? 0) - (x.steps.fallback ?? 0)))),
          details: step(k, 'details'),
        },
        first_keystroke_ms: stats(collected[i].firstKeystroke),
        first_keystroke_search_ms: stats(collected[i].firstKeystrokeSteps.map((s) => s.search ?? 0)),
        page_open_to_first_results_ms: stats(collected[i].open),
        bytes_to_first_results: stats(collected[i].openBytes),
        wasm_memory_bytes: stats(collected[i].wasmBytes),
        errors: collected[i].errors,
      };
    }),
    minisearch: withMiniSearch ? { documents: mini.documents, tokenizer: mini.tokenizer, keystroke_ms: stats(mini.times), per_round: mini.rounds } : null,
  };
  console.log(args.includes('--markdown') ? markdown(report) : JSON.stringify(report, null, 2));
} finally {
  await browser.close();
  await Promise.all(servers.map((s) => s.close()));
}

function markdown(report) {
  const f = (s, key) => (s ? `${s[key].toFixed(1)} ms` : '-');
  const lines = [];
  lines.push(`Locale \`${report.locale}\`, ${report.queries} queries typed one character at a time; ${report.sites[0]?.keystroke_first_results_ms?.samples ?? 0} keystrokes per build and round, ${rounds} round(s) alternating builds.`, '');
  const mb = (s, key) => (s ? `${(s[key] / 1e6).toFixed(2)} MB` : '-');
  lines.push('| build | keystroke → first results median | p95 | max | p95 per round | → final (snippets, counts) p95 | first keystroke of a session median / max | page open → first results median | bytes to first results (cold, gzip host) | wasm memory |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|');
  for (const site of report.sites) {
    const k = site.keystroke_first_results_ms;
    const perRound = site.per_round_first_results_ms.map((r) => (r ? r.p95.toFixed(1) : '-')).join(', ');
    lines.push(`| ${site.name} | ${f(k, 'median')} | ${f(k, 'p95')} | ${f(k, 'max')} | ${perRound} | ${f(site.keystroke_final_ms, 'p95')} | ${f(site.first_keystroke_ms, 'median')} / ${f(site.first_keystroke_ms, 'max')} | ${f(site.page_open_to_first_results_ms, 'median')} | ${mb(site.bytes_to_first_results, 'median')} | ${mb(site.wasm_memory_bytes, 'max')} |`);
  }
  if (report.minisearch) {
    const m = report.minisearch.keystroke_ms;
    const perRound = report.minisearch.per_round.map((r) => r.p95.toFixed(1)).join(', ');
    lines.push(`| MiniSearch 7.2, API only (${report.minisearch.documents} articles; prefix, fuzzy 0.2, title boost 2, ${report.minisearch.tokenizer}) | ${f(m, 'median')} | ${f(m, 'p95')} | ${f(m, 'max')} | ${perRound} | - | - | - | - | - |`);
  }
  lines.push('', 'Where a keystroke\'s time goes (median / p95 per keystroke; render = first results - search - fallback, which includes crossing the wasm boundary and the DOM update):', '');
  lines.push('| build | search (first stage) | fallback locale | render | details (snippets, sections, facet counts; after first results) |');
  lines.push('|---|---|---|---|---|');
  for (const site of report.sites) {
    const s = site.steps_ms;
    const both = (x) => (x ? `${x.median.toFixed(2)} / ${x.p95.toFixed(2)} ms` : '-');
    lines.push(`| ${site.name} | ${both(s.search)} | ${both(s.fallback)} | ${both(s.render)} | ${both(s.details)} |`);
  }
  const errors = report.sites.flatMap((s) => s.errors.map((e) => `${s.name}: ${e}`));
  if (errors.length > 0) lines.push('', `Page errors: ${errors.slice(0, 5).join('; ')}`);
  return lines.join('\n');
}
