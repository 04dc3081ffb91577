// The authors' preview, measured (a benchmark, never a timed test): from a
// save to the open page showing the change, reloaded by `cuecard serve`.
//   node bench/preview-reload.mjs --bin target/dist/cuecard --kb DIR --article en-US/x.md [--rounds 5]
// The kb is copied first (the article is edited in the copy). Prints the
// median and each round, in ms.
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, newPage } from '../support/browser.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const bin = option('--bin', 'target/dist/cuecard');
const source = option('--kb', null);
const articlePath = option('--article', null);
const rounds = Number(option('--rounds', '5'));
const id = option('--id', articlePath?.split('/').slice(1).join('/').replace(/\.md$/, ''));
if (!source || !articlePath) throw new Error('usage: --kb DIR --article PATH_IN_KB [--id ID] [--rounds N]');

const kb = mkdtempSync(join(tmpdir(), 'cuecard-preview-bench-'));
cpSync(source, kb, { recursive: true });
const port = 30000 + Math.floor(Math.random() * 20000);
const child = spawn(bin, ['serve', '--kb', kb, '--port', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
let output = '';
child.stderr.on('data', (chunk) => (output += chunk));
while (!output.includes('serving the preview')) {
  if (child.exitCode !== null) throw new Error(output);
  await new Promise((resolve) => setTimeout(resolve, 50));
}
const browser = await launchBrowser();
const page = await newPage(browser);
await page.goto(`http://127.0.0.1:${port}/#/a/${id}`);
const article = page.locator(`article[data-article-id="${id}"]`);
await article.waitFor({ timeout: 120_000 });
const times = [];
for (let round = 0; round < rounds; round += 1) {
  const marker = `Preview benchmark marker ${round} ${Date.now()}.`;
  const saved = performance.now();
  appendFileSync(join(kb, articlePath), `\n${marker}\n`);
  await article.getByText(marker).waitFor({ timeout: 120_000 });
  times.push(performance.now() - saved);
  await page.waitForTimeout(300);
}
const sorted = [...times].sort((a, b) => a - b);
console.log(`save -> page showing the change: median ${Math.round(sorted[Math.floor(sorted.length / 2)])} ms; rounds ${times.map(Math.round).join(', ')} ms`);
const rebuilds = [...output.matchAll(/rebuilt in ([0-9.]+)s/g)].map((m) => Number(m[1]) * 1000);
console.log(`of which the rebuild (cuecard's own figure): ${rebuilds.map(Math.round).join(', ')} ms`);
await browser.close();
child.kill('SIGKILL');
rmSync(kb, { recursive: true, force: true });
