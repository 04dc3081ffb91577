// Signals that stay private: with `signals.endpoint` in cuecard.yaml, the
// app beacons what agents searched, opened and copied to the knowledge
// team's collector (here this test's own, on another origin), scrubbed of
// customer data on the device; `cuecard gaps` turns the collected file into
// what the floor could not find.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CUECARD_BIN, launchBrowser, newPage } from '../support/browser.mjs';
import { kbCopy, serveCopy } from '../support/site-copy.mjs';

// Full-width digits with an ideographic space, as a Japanese IME types them.
const CARD = '４１１１ １１１１\u3000１１１１ １１１１';
const POLICY = 'POL-123456';
const SSN = '123-45-6789';

let browser;
const cleanups = [];
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A collector on its own origin: each beacon's body becomes a line of `file`. */
async function startCollector(file) {
  const contentTypes = [];
  const referrers = [];
  const server = createServer((request, response) => {
    if (request.method !== 'POST' || !request.url.startsWith('/collect')) {
      response.writeHead(404);
      return response.end();
    }
    contentTypes.push(request.headers['content-type']);
    referrers.push(request.headers.referer ?? '');
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      appendFileSync(file, Buffer.concat(chunks).toString('utf8') + '\n');
      response.writeHead(204);
      response.end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return { origin: `http://127.0.0.1:${server.address().port}`, contentTypes, referrers };
}

/** The signals collected so far. */
function collected(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

/** Waits until the collector holds a signal that `matches`. */
async function signalArrives(page, file, matches) {
  for (;;) {
    const found = collected(file).find(matches);
    if (found) return found;
    await page.waitForTimeout(100);
  }
}

test('the beacon gets scrubbed searches, openings and copies, and cuecard gaps reports what found nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cuecard-signals-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'signals.jsonl');
  const collector = await startCollector(file);
  const kb = kbCopy(cleanups, {
    edit: (kbDir) => {
      const config = join(kbDir, 'cuecard.yaml');
      const policy = "scrub:\n  - { name: policy number, pattern: 'POL-[0-9]{6}' }\n";
      writeFileSync(config, readFileSync(config, 'utf8').replace('scrub:\n', policy));
      appendFileSync(config, `\nsignals:\n  endpoint: "${collector.origin}/collect"\n`);
    },
  });
  const { server } = await serveCopy(cleanups, { kb });
  const page = await newPage(browser, { permissions: ['clipboard-read', 'clipboard-write'] });
  await page.goto(server.url + '/');
  const box = page.getByRole('combobox', { name: 'Search the knowledge base' });
  const listbox = (query) => page.locator(`[role="listbox"][data-query="${query}"]`);

  // The agent types what the caller read out, finds nothing and pauses.
  await listbox('').waitFor({ state: 'attached' });
  await box.fill(`${CARD} ${POLICY}`);
  await listbox(`${CARD} ${POLICY}`).waitFor({ state: 'attached' });
  const nothing = await signalArrives(page, file, (s) => s.type === 'cuecard:searched');
  assert.equal(nothing.query, '[card number] [policy number]');
  assert.equal(nothing.results, 0);
  assert.equal(nothing.locale, 'en-US');
  assert.match(nothing.session, /^[0-9a-f]{16}$/);

  // A code the kb knows (and an SSN, the sample kb's own scrub pattern),
  // opened from the results: counted at once, with its rank.
  const coded = `E-4012 ${SSN}`;
  await box.fill(coded);
  const first = listbox(coded).getByRole('option').first();
  await first.waitFor();
  const id = await first.getAttribute('data-article-id');
  await box.press('Enter');
  await page.locator(`article[data-article-id="${id}"]`).waitFor();
  const opened = await signalArrives(page, file, (s) => s.type === 'cuecard:article-opened');
  assert.equal(opened.id, id);
  assert.equal(opened.rank, 1);
  assert.equal(opened.query, 'E-4012 [SSN]');
  assert.equal(opened.session, nothing.session);
  const searched = collected(file).find((s) => s.type === 'cuecard:searched' && s.query === 'E-4012 [SSN]');
  assert.ok(searched?.results >= 1, JSON.stringify(searched));

  // Copying a script card says which block.
  await box.fill('call opening');
  await listbox('call opening').locator('[role="option"][data-article-id="scripts/call-opening"]').click();
  const article = page.locator('article[data-article-id="scripts/call-opening"]');
  await article.getByRole('button', { name: 'Copy' }).first().click();
  const copied = await signalArrives(page, file, (s) => s.type === 'cuecard:copied');
  assert.deepEqual([copied.id, copied.block, copied.locale], ['scripts/call-opening', 'script-1', 'en-US']);

  // What reached the collector: no customer data, the kb's own code kept,
  // sent as text/plain (a cross-origin JSON beacon would be refused).
  const raw = readFileSync(file, 'utf8');
  assert.doesNotMatch(raw, /4111|４１１１|POL-123456|6789/);
  // No beacon says which page it came from, and the page's address never
  // held what was typed (it would ride along in every Referer and log).
  assert.ok(collector.referrers.length > 0 && collector.referrers.every((r) => r === ''), collector.referrers.join());
  assert.ok(!page.url().includes('q='), page.url());
  assert.match(raw, /E-4012/);
  assert.ok(collector.contentTypes.every((type) => type.startsWith('text/plain')), collector.contentTypes.join());
  assert.deepEqual(page.errors, []);

  // The knowledge team's report on the collected file.
  const gaps = JSON.parse(execFileSync(CUECARD_BIN, ['gaps', '--signals', file, '--kb', kb, '--format', 'json'], { encoding: 'utf8' }));
  const en = gaps.locales['en-US'];
  assert.deepEqual(en.zero_results[0], { query: '[card number] [policy number]', searches: 1, sessions: 1 });
  assert.ok(en.most_opened.some((a) => a.id === id && a.opened === 1), JSON.stringify(en.most_opened));
  assert.ok(!en.results_never_opened.some((g) => g.query === 'e-4012 [ssn]'), 'the E-4012 search led to an opening');
  assert.ok(en.nobody_opened.length > 0 && !en.nobody_opened.some((a) => a.id === id));
  const text = execFileSync(CUECARD_BIN, ['gaps', '--signals', file], { encoding: 'utf8' });
  assert.match(text, /Searches that found nothing: 1\n\s+1 {2}\[card number\] \[policy number\] {2}\(1 sessions\)/);
});
