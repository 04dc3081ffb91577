// Measures "Suggested for this call" with meaning-based matching in the real
// app in headless Chromium, as a host drives it during a live call: a CRM
// page on its own origin frames the app and posts `cuecard:context` with
// the transcript so far. The kb is copied, given `meaning: { enabled: true }`
// and the host's origin in `embedding.allowed_hosts`, and published with
// `cuecard site`.
//
// The call: the contexts of a yardstick file (`contexts-*.yaml`) one after
// another, each as one caller's topic, sent in messages that add at most
// `--step` characters (500) to the transcript. Per message: from the
// frame's `message` event until its listbox is no longer `aria-busy` (the
// fused suggestions are on screen), and the worker's own time (encoding the
// new passages, pooling, nearest) with how many passages it encoded. Then,
// separately, fresh contexts of 4,000 characters (another call's: nothing
// cached), with the worker's first step (its newest passages, answered
// before the rest). Prints JSON.
//
// usage: node bench/context-latency.mjs --kb KB --contexts FILE.yaml [--locale en] [--step 500] [--bin cuecard]
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveSite } from '../support/server.mjs';
import { CUECARD_BIN, launchBrowser, newPage } from '../support/browser.mjs';
import { stats } from './stats.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
const step = Number(option('step', '500'));
const locale = option('locale', 'en');

/** The `context: |` blocks of a contexts file, in order. */
function contextsOf(file) {
  const out = [];
  let current = null;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^\s*context: \|\s*$/.test(line)) {
      current = [];
      out.push(current);
    } else if (current && /^ {4}/.test(line)) {
      current.push(line.slice(4));
    } else if (current && line.trim() !== '') {
      current = null;
    }
  }
  return out.map((lines) => lines.join('\n').trim()).filter(Boolean);
}

/** `text` in pieces of at most `size` characters, cut at whitespace. */
function pieces(text, size) {
  const out = [];
  let rest = text;
  while (rest.length > size) {
    const cut = rest.lastIndexOf(' ', size) > 0 ? rest.lastIndexOf(' ', size) : size;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  out.push(rest);
  return out;
}

const contexts = contextsOf(option('contexts'));
const work = mkdtempSync(join(tmpdir(), 'cuecard-context-bench-'));
const host = createServer((request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  response.end(`<!doctype html><html lang="en"><title>CRM</title><iframe title="Cuecard" src="${host.frameUrl}" width="400" height="700"></iframe>
<script>window.send = (message) => document.querySelector('iframe').contentWindow.postMessage(message, '*');</script>`);
});
await new Promise((resolve) => host.listen(0, '127.0.0.1', resolve));
const hostOrigin = `http://127.0.0.1:${host.address().port}`;
const kb = join(work, 'kb');
cpSync(option('kb'), kb, { recursive: true });
appendFileSync(join(kb, 'cuecard.yaml'), `\nmeaning:\n  enabled: true\nembedding:\n  allowed_hosts:\n    - "${hostOrigin}"\n`);
const built = Date.now();
execFileSync(option('bin', CUECARD_BIN), ['site', '--kb', kb, '--out', join(work, 'site')], { stdio: ['ignore', 'ignore', 'inherit'] });
const buildMs = Date.now() - built;
const server = await serveSite(join(work, 'site'), { gzip: true });
host.frameUrl = `${server.url}/?locale=${encodeURIComponent(locale)}`;
const browser = await launchBrowser();
try {
  const page = await newPage(browser);
  await page.addInitScript(() => {
    window.__cuecardBench = [];
    addEventListener('message', (event) => {
      if (event.data?.type === 'cuecard:context') window.__contextAt = performance.now();
    });
  });
  await page.goto(hostOrigin + '/');
  const frame = page.frames().find((f) => f !== page.mainFrame()) ?? (await page.waitForEvent('frameattached'));
  await frame.waitForFunction(() => window.__cuecardBench?.some(([name]) => name === 'meaning-worker-memory-mb'), null, { timeout: 600_000 });

  /** Sends `text` and resolves with the time until the fused list is on screen. */
  const send = async (text) => {
    const settled = frame.evaluate(
      () =>
        new Promise((resolve) => {
          const list = document.querySelector('[role="listbox"]');
          let busy = false;
          const observer = new MutationObserver(() => {
            busy ||= list.getAttribute('aria-busy') === 'true';
            if (busy && list.getAttribute('aria-busy') !== 'true') {
              observer.disconnect();
              resolve(performance.now() - window.__contextAt);
            }
          });
          observer.observe(list, { attributes: true, childList: true, subtree: true });
          setTimeout(() => {
            observer.disconnect();
            resolve(null);
          }, 30_000);
        }),
    );
    await page.evaluate((text) => window.send({ type: 'cuecard:context', text }), text);
    return settled;
  };
  const worker = async (from) => {
    const records = await frame.evaluate(() => window.__cuecardBench);
    const after = records.slice(from);
    return {
      ms: after.filter(([name]) => name === 'meaning-context').map(([, ms]) => ms),
      // A long first context is answered in two steps (its newest passages first).
      firstStepMs: after.filter(([name]) => name === 'meaning-context-first-step').map(([, ms]) => ms),
      encoded: after.filter(([name]) => name === 'meaning-context-passages-encoded').map(([, n]) => n),
      count: records.length,
    };
  };

  // A live call: topic after topic, at most `step` characters a message.
  let seen = (await frame.evaluate(() => window.__cuecardBench.length));
  let transcript = '';
  const growing = [];
  let unanswered = 0;
  for (const context of contexts) {
    for (const piece of pieces(`\n${context}`, step)) {
      transcript += piece;
      const ms = await send(transcript);
      if (ms === null) unanswered += 1;
      else growing.push(ms);
    }
  }
  const live = await worker(seen);
  seen = live.count;

  // Fresh 4,000-character contexts: another call each, nothing cached.
  const fresh = [];
  const long = contexts.join('\n');
  for (let start = 0; start + 4000 <= long.length && fresh.length < 8; start += 4000) {
    await send('');
    const ms = await send(long.slice(start, start + 4000));
    if (ms !== null) fresh.push(ms);
  }
  const first = await worker(seen);
  console.log(
    JSON.stringify(
      {
        contexts: contexts.length,
        step,
        buildMs,
        liveCall: { messages: growing.length + unanswered, unanswered, messageToFusedMs: stats(growing), workerMs: stats(live.ms), passagesEncoded: stats(live.encoded) },
        fresh4000: { contexts: fresh.length, messageToFusedMs: stats(fresh), workerMs: stats(first.ms), workerFirstStepMs: stats(first.firstStepMs), passagesEncoded: stats(first.encoded) },
      },
      null,
      2,
    ),
  );
} finally {
  await browser.close();
  await server.kill();
  host.close();
  rmSync(work, { recursive: true, force: true });
}
