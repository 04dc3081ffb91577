// What changed: the indexer dates each article's content changes from the
// kb's git history; the app says "Updated N days ago: <what changed>" in
// the trust bar, lists the last 14 days in "What's new" (key `n`), newest
// first, regulated articles marked, nothing drafts or other audiences
// hold, and tells an agent who opens an article that changed since their
// last visit what changed. The kb copy gets a real git history with pinned
// dates; the browser's clock is pinned too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kbCopy, publish, serveCopy } from '../support/site-copy.mjs';
import { launchBrowser, newPage, screenshot, searchBox, seriousA11yViolations } from '../support/browser.mjs';

const TODAY = '2026-11-26T10:00:00';
const FEE = 'billing/late-payment-fee';
const FEE_NOTE = 'Late fee is now $9, waivable once a year';
const ID_CHECK = 'regulated/identity-verification';

let browser;
const cleanups = [];
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  for (const cleanup of cleanups) await cleanup();
});

/** Runs git in `kb`, committing as of noon UTC on `date`. */
function git(kb, date, ...args) {
  const moment = `${date}T12:00:00Z`;
  execFileSync('git', ['-c', 'user.name=KM', '-c', 'user.email=km@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd: kb,
    stdio: 'pipe',
    env: { ...process.env, GIT_AUTHOR_DATE: moment, GIT_COMMITTER_DATE: moment },
  });
}

/** Edits the article file `id` of en-US with `change(text)` and commits it on `date`. */
function commitEdit(kb, date, id, change) {
  const file = join(kb, 'en-US', `${id}.md`);
  writeFileSync(file, change(readFileSync(file, 'utf8')));
  git(kb, date, 'commit', '-qam', `edit ${id}`);
}

/** A copy of the sample kb whose whole history is one commit on 2026-10-01. */
function kbWithHistory() {
  const kb = kbCopy(cleanups);
  git(kb, '2026-10-01', 'init', '-q');
  git(kb, '2026-10-01', 'add', '-A');
  git(kb, '2026-10-01', 'commit', '-qm', 'The kb as it was');
  return kb;
}

/** The recent changes: the fee rises (with a note), an identity check step
 *  is added, a review date moves (front matter only: no change), and a
 *  draft and a supervisors-only article change (never shown). */
function recentChanges(kb) {
  commitEdit(kb, '2026-11-20', ID_CHECK, (text) => text + '\nAsk for the account passcode before the date of birth.\n');
  commitEdit(kb, '2026-11-23', FEE, (text) =>
    text.replace('review_every: 6 months\n', `review_every: 6 months\nchange_note: ${FEE_NOTE}\n`).replace('A $7 late payment fee', 'A $9 late payment fee'),
  );
  commitEdit(kb, '2026-11-24', 'billing/refund-annual-plan', (text) => text.replace(/^reviewed: .*$/m, 'reviewed: 2026-11-24'));
  writeFileSync(join(kb, 'en-US', 'billing', 'secret-offer.md'), '---\ndraft: true\n---\n# Secret offer\n\nNot yet.\n');
  writeFileSync(join(kb, 'en-US', 'billing', 'supervisor-credit.md'), '---\naudience: [supervisors]\n---\n# Supervisor credit limits\n\nUp to $200.\n');
  git(kb, '2026-11-25', 'add', '-A');
  git(kb, '2026-11-25', 'commit', '-qm', 'Drafts and supervisors');
}

async function open(server, path = '/') {
  const page = await newPage(browser);
  await page.clock.setFixedTime(new Date(TODAY));
  await page.goto(server.url + path);
  return page;
}

test('What\'s new lists the last two weeks\' changes, newest first, regulated marked, and opens them', async () => {
  const kb = kbWithHistory();
  recentChanges(kb);
  const { root, server } = await serveCopy(cleanups);
  publish(root, kb, ['--now', '2026-11-25']);
  const page = await open(server);
  await searchBox(page).waitFor();

  await page.keyboard.press('n');
  const dialog = page.getByRole('dialog', { name: "What's new" });
  await dialog.waitFor();
  await dialog.getByText('Articles changed in the last 14 days, newest first.').waitFor();
  const items = dialog.getByRole('listitem');
  const ids = await items.evaluateAll((rows) => rows.map((row) => row.dataset.articleId));
  assert.deepEqual(ids, [FEE, ID_CHECK], 'only content changes of the last 14 days, newest first; no review-only edit, draft or other audience');
  const fee = items.filter({ has: page.getByRole('link', { name: 'Late payment fee' }) });
  await fee.getByText(FEE_NOTE).waitFor();
  await fee.getByText('Updated 3 days ago').waitFor();
  assert.equal(await fee.getByText('Regulated', { exact: true }).count(), 0);
  const check = items.filter({ has: page.getByRole('link', { name: 'Identity verification' }) });
  await check.getByText('Regulated', { exact: true }).waitFor();
  await check.getByText('Updated 6 days ago').waitFor();
  assert.deepEqual(await seriousA11yViolations(page), []);
  await screenshot(page, 'whats-new');

  // Esc closes it where it was opened; `n` opens it again; a link opens the article.
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  await page.keyboard.press('n');
  await dialog.getByRole('link', { name: 'Late payment fee' }).click();
  await dialog.waitFor({ state: 'hidden' });
  const article = page.locator(`article[data-article-id="${FEE}"]`);
  await article.getByRole('heading', { level: 1, name: 'Late payment fee' }).waitFor();
  await article.getByText(`Updated 3 days ago: ${FEE_NOTE}`).waitFor();
  // A first visit is not news: no "changed since" notice.
  assert.equal(await page.getByRole('note').filter({ hasText: 'Changed since you last opened it' }).count(), 0);
  assert.deepEqual(page.errors, []);
});

test('an article that changed since the agent last opened it says what changed, once', async () => {
  const kb = kbWithHistory();
  const { root, server } = await serveCopy(cleanups);
  publish(root, kb, ['--now', '2026-10-02']);
  const page = await open(server, `/#/a/${FEE}`);
  const article = page.locator(`article[data-article-id="${FEE}"]`);
  await article.getByRole('heading', { level: 1, name: 'Late payment fee' }).waitFor();
  await article.getByText('Updated 56 days ago').waitFor();
  await page.locator('[data-saved-offline="true"]').waitFor({ timeout: 30_000 });

  // A publish during the call changes the fee; the agent switches to it.
  recentChanges(kb);
  publish(root, kb, ['--now', '2026-11-25']);
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  const update = page.getByRole('status').filter({ hasText: 'A newer knowledge base was published' });
  await Promise.all([page.waitForEvent('load'), update.getByRole('button', { name: 'Switch now' }).click()]);
  // The switch reloads the agent's place: the article, now in its new version.
  const changed = page.getByRole('note').filter({ hasText: 'Changed since you last opened it' });
  await changed.waitFor();
  assert.match(await changed.textContent(), new RegExp(`2026-11-23: ${FEE_NOTE.replace('$', '\\$')}`));
  await article.getByText('A $9 late payment fee').waitFor();
  await screenshot(page, 'changed-since-last-opened');

  // Told once: the next visit has no notice.
  await page.reload();
  await article.getByRole('heading', { level: 1, name: 'Late payment fee' }).waitFor();
  await article.getByText(`Updated 3 days ago: ${FEE_NOTE}`).waitFor();
  assert.equal(await changed.count(), 0);
  assert.deepEqual(page.errors, []);
});
