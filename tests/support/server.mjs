// A static file server for the built site, on 127.0.0.1 only. It serves the
// same folder at `/` and under `/kb/`, to prove the site works under any
// base path.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.pack': 'application/octet-stream',
};

/**
 * Serves `root`; resolves to { url, close } once listening. `slow` delays
 * files whose path matches `slow.pattern` by `slow.ms` (a slow network).
 */
export async function serveSite(root, { basePaths = ['/', '/kb/'], slow = null } = {}) {
  const server = createServer(async (request, response) => {
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
      const body = await readFile(file).catch(() => null);
      if (body === null) return send(response, 404, 'not found');
      response.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch (error) {
      send(response, 500, String(error));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
    /** Stops at once, dropping kept-alive connections: the network is gone. */
    kill: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  };
}

function send(response, status, text) {
  response.writeHead(status, { 'Content-Type': 'text/plain' });
  response.end(text);
}
