// A static file server for the built site, on 127.0.0.1 only. It serves the
// same folder at `/` and under `/kb/`, to prove the site works under any
// base path. Like Netlify and Cloudflare Pages, it sends the headers the
// site's `_headers` file gives for `/*` (the site's security policy), unless
// told to act as a host that ignores that file.
import { createServer } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  // Bundle parts: stored compressed, sent as they are by every host.
  '.ccz': 'application/octet-stream',
};

/** What a typical static host or CDN gzips: text types and wasm; everything else goes as it is on disk. */
const GZIPPED_BY_TYPICAL_HOSTS = new Set(['.html', '.js', '.mjs', '.css', '.json', '.wasm', '.svg']);

/** How a run's hosts compress unless a test says otherwise (`CUECARD_TEST_HOST`). */
const HOST_DEFAULTS = {
  '': { gzip: false, precompressed: false },
  gzip: { gzip: true, precompressed: false },
  precompressed: { gzip: true, precompressed: true },
  gitlab: { gzip: false, precompressed: true },
}[process.env.CUECARD_TEST_HOST ?? ''];
if (!HOST_DEFAULTS) throw new Error(`CUECARD_TEST_HOST=${process.env.CUECARD_TEST_HOST}: expected gzip, precompressed or gitlab`);

/** The headers `_headers` gives every file (`/*`), as [name, value] pairs. */
function siteHeaders(root) {
  const file = join(root, '_headers');
  if (!existsSync(file)) return [];
  const headers = [];
  let forAll = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      forAll = line.trim() === '/*';
    } else if (forAll) {
      const colon = line.indexOf(':');
      headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
    }
  }
  return headers;
}

/**
 * Serves `root`; resolves to { url, requests, responses, close, kill } once listening.
 * - `slow` delays files whose path matches `slow.pattern` by `slow.ms` (a slow network).
 * - `headers: false` ignores `_headers` (a host that sends no policy).
 * - `spaFallback: true` answers a missing file with index.html and 200, as
 *   single-page-app hosts do.
 * - `gzip: true` compresses as a typical static host does (gzip -6 for
 *   html, css, js, json, svg and wasm, when the browser accepts it).
 * - `precompressed: true` sends a file's precompressed sibling (`NAME.br`,
 *   then `NAME.gz`) when there is one and the browser accepts it, as
 *   GitLab Pages, nginx's `brotli_static`/`gzip_static` and Caddy do; with
 *   `gzip` too, other files are gzipped on the fly (nginx with both).
 *
 * `CUECARD_TEST_HOST` changes the defaults of the last two for a whole run:
 * `gzip` (GitHub Pages, Netlify), `precompressed` (nginx with
 * `brotli_static` and `gzip`), `gitlab` (precompressed siblings only).
 */
export async function serveSite(root, { basePaths = ['/', '/kb/'], slow = null, headers = true, spaFallback = false, gzip = HOST_DEFAULTS.gzip, precompressed = HOST_DEFAULTS.precompressed } = {}) {
  /** Every path asked for, in order (what a browser downloaded). */
  const requests = [];
  /** What was answered with a file, in order: { path, search, status } (200, or 304 for a revalidation). */
  const responses = [];
  const server = createServer(async (request, response) => {
    const url = new URL(request.url, 'http://x');
    requests.push(url.pathname);
    // Read per request: a test may publish (and rewrite `_headers`) while serving.
    const extra = headers ? siteHeaders(root) : [];
    try {
      const path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
      if (slow && slow.pattern.test(path)) await new Promise((resolve) => setTimeout(resolve, slow.ms));
      const base = basePaths
        .filter((b) => path === b.replace(/\/$/, '') || path.startsWith(b))
        .sort((a, b) => b.length - a.length)[0];
      if (base === undefined) return send(response, 404, 'not found');
      if (base !== '/' && path === base.replace(/\/$/, '')) {
        response.writeHead(301, { Location: base });
        return response.end();
      }
      let file = normalize(join(root, path.slice(base.length)));
      if (!file.startsWith(normalize(root + sep)) && file !== normalize(root)) return send(response, 403, 'forbidden');
      if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, 'index.html');
      let body = await readFile(file).catch(() => null);
      if (body === null && spaFallback && !path.endsWith('/sw.js')) {
        file = join(root, 'index.html');
        body = await readFile(file).catch(() => null);
      }
      if (body === null) return send(response, 404, 'not found');
      const type = { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', ...Object.fromEntries(extra) };
      const accepts = (encoding) => new RegExp(`\\b${encoding}\\b`).test(request.headers['accept-encoding'] ?? '');
      const sibling = precompressed ? await precompressedSibling(file, accepts) : null;
      if (sibling) {
        body = sibling.body;
        type['Content-Encoding'] = sibling.encoding;
        type['Vary'] = 'Accept-Encoding';
      } else if (gzip && GZIPPED_BY_TYPICAL_HOSTS.has(extname(file)) && accepts('gzip')) {
        body = gzipSync(body, { level: 6 });
        type['Content-Encoding'] = 'gzip';
        type['Vary'] = 'Accept-Encoding';
      }
      // As every static host does: an entity tag per file and encoding (as
      // nginx makes it: modification time and size), and a 304 without the
      // body when the browser already has that one.
      const { mtimeMs, size } = await stat(file);
      type['ETag'] = `"${Math.round(mtimeMs * 1000).toString(16)}-${size.toString(16)}${type['Content-Encoding'] ? '-' + type['Content-Encoding'] : ''}"`;
      if (request.headers['if-none-match'] === type['ETag']) {
        responses.push({ path: url.pathname, search: url.search, status: 304 });
        response.writeHead(304, { ETag: type['ETag'], ...(type['Vary'] ? { Vary: type['Vary'] } : {}) });
        return response.end();
      }
      responses.push({ path: url.pathname, search: url.search, status: 200 });
      response.writeHead(200, type);
      response.end(body);
    } catch (error) {
      send(response, 500, String(error));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    responses,
    close: () => new Promise((resolve) => server.close(resolve)),
    /** Stops at once, dropping kept-alive connections: the network is gone. */
    kill: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  };
}

/** `file`'s precompressed sibling the browser accepts (brotli first), or null. */
async function precompressedSibling(file, accepts) {
  for (const [suffix, encoding] of [['.br', 'br'], ['.gz', 'gzip']]) {
    if (!accepts(encoding)) continue;
    const body = await readFile(file + suffix).catch(() => null);
    if (body !== null) return { body, encoding };
  }
  return null;
}

function send(response, status, text) {
  response.writeHead(status, { 'Content-Type': 'text/plain' });
  response.end(text);
}
