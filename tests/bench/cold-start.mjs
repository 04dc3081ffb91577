// A cold visit on a throttled line, from navigation to the first query's
// results on screen: Cuecard's site(s) beside Pagefind's index of the same
// articles, alternately, in headless Chromium with CDP network emulation
// (each run a fresh browser context: nothing cached, no service worker).
// Prints JSON, or with --markdown the tables BENCHMARKS.md takes.
//
// - Cuecard: `/?locale=TAG&q=QUERY`, until the listbox shows options for
//   the query (from the first tier: titles, what the agent picks from);
//   then, reported beside it, until a row shows its summary (the second
//   tier, which follows the first).
// - Pagefind 1.6 (the npm package, its own binary): its JS API on a page of
//   its own, `pagefind.search(q)` then the first 5 results' data (titles),
//   rendered as a list: what Pagefind's UI shows first. Its index is built
//   here from the articles of the first Cuecard site's bundle (each an HTML
//   page with the title and the article's HTML), so both search the same
//   text.
// - Per run: the time, the bytes on the wire before the results (the page's
//   requests and its workers', bodies and headers; gzip for text and wasm,
//   as a typical static host sends them), and what was fetched before
//   them, in order.
//
// - --hosts gzip,precompressed,gitlab: how the files are served. `gzip` (the
//   default): gzip -6 on the fly for text and wasm, as GitHub Pages, Netlify
//   and most hosts do. `precompressed`: a file's precompressed sibling
//   (`NAME.br`, `NAME.gz`, which `cuecard site` writes for the app's files)
//   when there is one, the rest gzipped on the fly: nginx with
//   `brotli_static` and `gzip`, or Caddy. Pagefind writes no siblings, so it
//   is served the same either way. `gitlab`: the siblings and nothing
//   compressed on the fly, as GitLab Pages serves (Pagefind's text files
//   then go raw; its index chunks are compressed already).
//
// - --without-early: each Cuecard site is also served with its page's early
//   downloads taken out (the page as it was before it started the manifest
//   and first tier itself: the app then fetches them once it runs).
//
// usage: node bench/cold-start.mjs --site NAME=DIR [--site NAME=DIR ...] --queries FILE
//          [--locale TAG] [--runs N] [--lines 10:40,2:150] [--hosts gzip,precompressed,gitlab]
//          [--no-pagefind] [--without-early] [--markdown]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { serveSite } from '../support/server.mjs';
import { REPO, launchBrowser } from '../support/browser.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
const sites = args.flatMap((a, i) => (a === '--site' ? [args[i + 1]] : [])).map((s) => {
  const [name, ...dir] = s.split('=');
  return { name, dir: dir.join('='), kind: 'cuecard' };
});
const queries = readFileSync(option('queries'), 'utf8').split('\n').map((q) => q.trim()).filter(Boolean);
const locale = option('locale', 'en');
const runs = Number(option('runs', '3'));
const hosts = option('hosts', 'gzip').split(',');
const HOSTS = { gzip: { gzip: true, precompressed: false }, precompressed: { gzip: true, precompressed: true }, gitlab: { gzip: false, precompressed: true } };
for (const host of hosts) if (!HOSTS[host]) throw new Error(`--hosts: ${host} is not one of ${Object.keys(HOSTS).join(', ')}`);
const lines = option('lines', '10:40,2:150').split(',').map((l) => {
  const [mbit, ms] = l.split(':').map(Number);
  return { mbit, latency: ms, name: `${mbit} Mbit/s, ${ms} ms` };
});

/** The articles of a Cuecard bundle's locale (the manifest's first that matches `tag`). */
function bundleArticles(bundle, tag) {
  const manifest = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8'));
  const chosen = manifest.locales.find((l) => l.locale.toLowerCase() === tag.toLowerCase()) ?? manifest.locales.find((l) => l.locale.split('-')[0] === tag.split('-')[0]) ?? manifest.locales[0];
  // The article files are listed in the locale's bucket lists (format 12).
  const lists = JSON.parse(inflateSync(readFileSync(join(bundle, chosen.buckets.path))).toString('utf8'));
  return lists.article_files.flatMap((file) => {
    const stored = readFileSync(join(bundle, file.path));
    const text = file.path.endsWith('.ccz') ? inflateSync(stored).toString('utf8') : stored.toString('utf8');
    return JSON.parse(text).articles;
  });
}

const escapeHtml = (text) => String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/** A Pagefind site of `articles` in `dir`: one page each, the index, and a search page. */
function pagefindSite(articles, dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'a'), { recursive: true });
  articles.forEach((article, n) => {
    const title = escapeHtml(article.title);
    writeFileSync(join(dir, 'a', `${n}.html`), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><main data-pagefind-body><h1>${title}</h1>${article.html}</main></body></html>`);
  });
  execFileSync(join(REPO, 'tests/node_modules/.bin/pagefind'), ['--site', dir, '--quiet'], { stdio: 'inherit' });
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pagefind</title></head><body>
<ul role="listbox" aria-label="Search results"></ul>
<script type="module">
const q = new URLSearchParams(location.search).get('q') || '';
const pagefind = await import('./pagefind/pagefind.js');
const search = await pagefind.search(q);
const top = await Promise.all(search.results.slice(0, 5).map((r) => r.data()));
const list = document.querySelector('[role=listbox]');
for (const d of top) { const li = document.createElement('li'); li.setAttribute('role', 'option'); li.textContent = d.meta.title; list.append(li); }
list.setAttribute('data-total', String(search.results.length));
list.setAttribute('data-query', q);
</script></body></html>`,
  );
  return dir;
}

/** One cold visit of `url` on `line`: time to results for `query`, bytes, and what was fetched first. */
async function coldVisit(browser, url, line, query, kind) {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  // Every request, the page's and its workers' (Pagefind searches in a
  // worker), with its size on the wire and when it started and ended.
  const finished = [];
  context.on('requestfinished', (request) => {
    // A size that never comes (one run hung on one) is waited for 10 s.
    const late = new Promise((resolve) => setTimeout(() => resolve(null), 10_000).unref());
    finished.push(
      Promise.race([
        request.sizes().then(
          (sizes) => ({ url: request.url(), timing: request.timing(), bytes: sizes.responseBodySize + sizes.responseHeadersSize }),
          () => null,
        ),
        late,
      ]),
    );
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: line.latency, downloadThroughput: (line.mbit * 1_000_000) / 8, uploadThroughput: (line.mbit * 1_000_000) / 8 });
  await page.goto(url, { waitUntil: 'commit' });
  // Until the query's first options are on screen; or, for the Pagefind
  // page, which renders once, its answer that nothing matched (Pagefind
  // wants every word: "run macro when slide show starts" finds nothing).
  const shown = await page.waitForFunction(
    (q) => {
      const list = document.querySelector('[role="listbox"][data-query]');
      if (!(list && list.getAttribute('data-query') === q)) return false;
      const empty = list.getAttribute('data-total') === '0';
      if (!(empty || list.querySelector('[role="option"]'))) return false;
      return { at: performance.now(), origin: performance.timeOrigin, empty };
    },
    query,
    { polling: 'raf', timeout: 120_000 },
  );
  const { at, origin, empty } = await shown.jsonValue();
  // The rows' summaries come with the second tier (Cuecard only: the
  // Pagefind page renders titles).
  const summaries =
    kind === 'cuecard'
      ? await page
          .waitForFunction(
            () => {
              const list = document.querySelector('[role="listbox"]');
              if ([...list.querySelectorAll('[role="option"] .result-summary')].some((s) => s.textContent.trim())) return performance.now();
              // Rows of a kb without summaries: none to wait for once final.
              return list.getAttribute('aria-busy') !== 'true' && 'none';
            },
            null,
            { polling: 'raf', timeout: 120_000 },
          )
          .then((h) => h.jsonValue(), () => null)
      : null;
  const requests = (await Promise.all(finished)).filter(Boolean).map((r) => ({
    path: new URL(r.url).pathname,
    start: Math.round(r.timing.startTime - origin),
    end: Math.round(r.timing.startTime + r.timing.responseEnd - origin),
    bytes: r.bytes,
  }));
  const before = requests.filter((r) => r.end <= at).sort((a, b) => a.start - b.start);
  await context.close();
  return { at, empty, summaries, bytes: before.reduce((sum, r) => sum + r.bytes, 0), fetched: before };
}

/** A copy of the site `dir` (links to its files) whose page starts no early downloads. */
function withoutEarly(dir) {
  const copy = `${dir}-without-early`;
  rmSync(copy, { recursive: true, force: true });
  mkdirSync(copy);
  for (const name of readdirSync(dir)) {
    if (name !== 'index.html') symlinkSync(join(dir, name), join(copy, name));
  }
  const page = readFileSync(join(dir, 'index.html'), 'utf8').replace(/<script id="cuecard-early">[\s\S]*?<\/script>/, '');
  writeFileSync(join(copy, 'index.html'), page);
  return copy;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const browser = await launchBrowser();
const engines = [...sites];
if (args.includes('--without-early')) {
  for (const site of sites) engines.push({ name: `${site.name}, page without early downloads`, dir: withoutEarly(site.dir), kind: 'cuecard' });
}
if (!args.includes('--no-pagefind')) {
  const dir = pagefindSite(bundleArticles(join(sites[0].dir, 'bundle'), locale), join(REPO, 'target/bench/pagefind', sites[0].dir.split('/').pop()));
  engines.push({ name: 'Pagefind 1.6', dir, kind: 'pagefind' });
}
/** Every engine on every line, served as `host` does: one result per engine and line. */
async function measureOn(host) {
  const servers = await Promise.all(engines.map((e) => serveSite(e.dir, HOSTS[host])));
  const measured = [];
  for (const line of lines) {
    const samples = engines.map(() => []);
    for (let run = 0; run < runs; run++) {
      const query = queries[run % queries.length];
      // Alternately, so that a slow moment of the machine is shared.
      for (const [n, engine] of engines.entries()) {
        const url = engine.kind === 'cuecard' ? `${servers[n].url}/?locale=${locale}&q=${encodeURIComponent(query)}` : `${servers[n].url}/?q=${encodeURIComponent(query)}`;
        samples[n].push({ query, ...(await coldVisit(browser, url, line, query, engine.kind)) });
      }
    }
    for (const [n, engine] of engines.entries()) {
      const s = samples[n];
      measured.push({ host, line: line.name, engine: engine.name, runs: s.length, median_ms: Math.round(median(s.map((r) => r.at))), times_ms: s.map((r) => Math.round(r.at)), no_results: s.map((r) => r.empty), summaries_median_ms: s.every((r) => typeof r.summaries === 'number') ? Math.round(median(s.map((r) => r.summaries))) : null, median_bytes: median(s.map((r) => r.bytes)), fetched_first_run: s[0].fetched });
    }
  }
  for (const server of servers) await server.close();
  return measured;
}

const results = [];
for (const host of hosts) results.push(...(await measureOn(host)));
await browser.close();

if (args.includes('--markdown')) {
  const out = ['| host | line | engine | first results, median (runs) | summaries on screen, median | bytes before first results, median | fetched before them, in order (first run) |', '|---|---|---|---|---|---|---|'];
  for (const r of results) {
    const fetched = r.fetched_first_run.map((f) => `${f.path.split('/').pop() || '/'} ${(f.bytes / 1024).toFixed(0)} KB @${f.start}-${f.end}`).join(', ');
    out.push(`| ${r.host} | ${r.line} | ${r.engine} | ${r.median_ms} ms (${r.times_ms.map((t, k) => (r.no_results[k] ? `${t} no results` : t)).join(', ')}) | ${r.summaries_median_ms === null ? '-' : `${r.summaries_median_ms} ms`} | ${(r.median_bytes / 1e6).toFixed(3)} MB | ${fetched} |`);
  }
  console.log(out.join('\n'));
} else {
  console.log(JSON.stringify(results, null, 2));
}
