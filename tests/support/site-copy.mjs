// Copies of the built site for tests that publish into it or that need a
// bundle built from their own settings (allowed host pages, an edited
// article), served on their own port.
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveSite } from './server.mjs';
import { CUECARD_BIN, REPO, SITE } from './browser.mjs';

/**
 * A copy of the sample kb, changed by `edit(kbDir)`; removed by `cleanups`.
 * `allowedHosts` become `embedding.allowed_hosts` in its cuecard.yaml.
 */
export function kbCopy(cleanups, { allowedHosts = null, edit = null } = {}) {
  const kb = mkdtempSync(join(tmpdir(), 'cuecard-kb-'));
  cleanups.push(() => rmSync(kb, { recursive: true, force: true }));
  cpSync(join(REPO, 'kb'), kb, { recursive: true });
  if (allowedHosts) {
    appendFileSync(join(kb, 'cuecard.yaml'), `\nembedding:\n  allowed_hosts:\n${allowedHosts.map((h) => `    - "${h}"\n`).join('')}`);
  }
  edit?.(kb);
  return kb;
}

/** Publishes `kb` into the site at `root` as knowledge teams do: `cuecard site`. */
export function publish(root, kb, extraArgs = []) {
  execFileSync(CUECARD_BIN, ['site', '--kb', kb, '--out', root, ...extraArgs], { stdio: 'pipe' });
}

/** Appends `text` to an article of the kb copy. */
export function appendToArticle(kb, path, text) {
  const file = join(kb, path);
  writeFileSync(file, readFileSync(file, 'utf8') + text);
}

/**
 * A copy of the built site in a temporary folder, served on its own port
 * (`serveOptions` as for serveSite). With `kb`, its bundle is rebuilt from it.
 */
export async function serveCopy(cleanups, { kb = null, serveOptions = {} } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'cuecard-site-'));
  cpSync(SITE, root, { recursive: true });
  if (kb) publish(root, kb);
  const server = await serveSite(root, serveOptions);
  cleanups.push(async () => {
    await server.kill();
    rmSync(root, { recursive: true, force: true });
  });
  return { root, server };
}
