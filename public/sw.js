// Cuecard's service worker: keeps one complete version of the app and its
// bundle, so search keeps working with the network off, and never mixes
// versions.
//
// What it keeps:
// - Files, in FILES: the app's files (JS, wasm, CSS, icon) and the bundle's
//   (indexes, article files, images). Each is stored only after its bytes
//   match the hash the page (SRI `integrity`) or the manifest (`sha256`)
//   gives for it, so a host's error page or SPA fallback is never kept.
// - The adopted version, in a cache of its own: the page and the manifest,
//   the two files whose names do not change between builds. A pointer in
//   META names it. A new version is adopted as one unit, by moving the
//   pointer, only once every file the agent needs of it is in FILES; until
//   then the previous complete version stays the offline one.
//
// How it answers:
// - The app's page and the manifest: the network first (so an online
//   agent always gets the published version), the adopted copy when the
//   network fails. Neither is ever stored on the way: only adoption stores.
//   Only the app's own page is answered from the adopted copy.
// - `bundle/manifest.json?check` (the app looking for a newer bundle):
//   the network only (through the browser's HTTP cache, which revalidates:
//   an unchanged manifest comes back as a 304).
// - Every other file: the kept copy first, else the network (not stored).
//
// The app sends {type: 'cuecard:keep', page, manifest: {url, sha256},
// files: [{url, sha256 | integrity}]} and hears {type: 'cuecard:kept',
// complete, newer}: `newer` when the server already has another version
// than the app's (the app then offers the switch).
'use strict';

const FILES = 'cuecard-files-v2';
const SHELL_PREFIX = 'cuecard-shell-';
const META = 'cuecard-meta';
const POINTER = new URL('./cuecard-adopted-version', self.location).href;

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) =>
  event.waitUntil(
    (async () => {
      // The first worker's single cache mixed versions: drop it.
      await caches.delete('cuecard-v1');
      await self.clients.claim();
    })(),
  ),
);

function isManifest(url) {
  return url.pathname.endsWith('/bundle/manifest.json');
}

// The app's own page: its folder, or index.html in it.
function isAppPage(url) {
  return url.pathname.endsWith('/') || url.pathname.endsWith('/index.html');
}

// The page is kept under its folder URL, whatever its query.
function pageKey(url) {
  return new URL('./', url).href;
}

async function adoptedShell() {
  const pointer = await (await caches.open(META)).match(POINTER);
  return pointer ? caches.open(await pointer.text()) : null;
}

async function networkThenAdopted(request, key) {
  try {
    return await fetch(request);
  } catch (error) {
    const kept = await (await adoptedShell())?.match(key);
    if (kept) return kept;
    throw error;
  }
}

async function keptThenNetwork(request) {
  const kept = await (await caches.open(FILES)).match(request);
  return kept ?? fetch(request);
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (isManifest(url) && url.searchParams.has('check')) return; // straight to the network
  if (request.mode === 'navigate') {
    if (isAppPage(url)) event.respondWith(networkThenAdopted(request, pageKey(url)));
  } else if (isManifest(url)) {
    event.respondWith(networkThenAdopted(request, url.href));
  } else {
    event.respondWith(keptThenNetwork(request));
  }
});

function hex(buffer) {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function base64(buffer) {
  return btoa(String.fromCharCode(...new Uint8Array(buffer)));
}

// Whether `bytes` are the file `file` names: its manifest sha256 (hex), or
// one of its SRI hashes (`sha384-...`).
async function verified(bytes, file) {
  if (typeof file.sha256 === 'string') {
    return hex(await crypto.subtle.digest('SHA-256', bytes)) === file.sha256.toLowerCase();
  }
  if (typeof file.integrity === 'string') {
    const algorithms = { sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' };
    for (const token of file.integrity.trim().split(/\s+/)) {
      const [name, expected] = [token.slice(0, token.indexOf('-')), token.slice(token.indexOf('-') + 1)];
      if (algorithms[name] && base64(await crypto.subtle.digest(algorithms[name], bytes)) === expected) return true;
    }
  }
  return false;
}

async function keep({ page, manifest, files }) {
  const store = await caches.open(FILES);
  // The page and manifest the server has now must be the app's own: if
  // either changed, a newer version is published and this one is not kept.
  let pageText;
  let manifestBytes;
  try {
    const [pageResponse, manifestResponse] = await Promise.all([
      fetch(page, { cache: 'no-cache' }),
      fetch(manifest.url, { cache: 'no-cache' }),
    ]);
    if (!pageResponse.ok || !manifestResponse.ok) return { complete: false };
    if (!(pageResponse.headers.get('content-type') || '').startsWith('text/html')) return { complete: false };
    pageText = await pageResponse.text();
    manifestBytes = await manifestResponse.arrayBuffer();
  } catch {
    return { complete: false };
  }
  const fileName = (u) => new URL(u).pathname.split('/').pop();
  const pageNamesApp = files.filter((f) => f.integrity).every((f) => pageText.includes(fileName(f.url)));
  if (!pageNamesApp || !(await verified(manifestBytes, { sha256: manifest.sha256 }))) {
    return { complete: false, newer: true };
  }

  let complete = true;
  for (const file of files) {
    if (await store.match(file.url)) continue; // only verified files are ever stored
    try {
      const response = await fetch(file.url, { cache: 'no-cache' });
      const bytes = response.ok ? await response.arrayBuffer() : null;
      if (bytes && (await verified(bytes, file))) {
        await store.put(file.url, new Response(bytes, { headers: response.headers }));
      } else {
        complete = false;
      }
    } catch {
      complete = false;
    }
  }
  if (!complete) return { complete: false };

  // Adopt: the version's page and manifest in a cache of their own, then
  // the pointer moves (one write), then what no longer belongs goes.
  const name = SHELL_PREFIX + manifest.sha256.slice(0, 16) + '-' + hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(pageText))).slice(0, 16);
  const shell = await caches.open(name);
  await shell.put(pageKey(page), new Response(pageText, { headers: { 'Content-Type': 'text/html; charset=utf-8' } }));
  await shell.put(manifest.url, new Response(manifestBytes, { headers: { 'Content-Type': 'application/json' } }));
  await (await caches.open(META)).put(POINTER, new Response(name));
  for (const key of await caches.keys()) {
    if (key.startsWith(SHELL_PREFIX) && key !== name) await caches.delete(key);
  }
  const wanted = new Set(files.map((f) => f.url));
  for (const request of await store.keys()) {
    if (!wanted.has(request.url)) await store.delete(request);
  }
  return { complete: true };
}

// Same origin exactly: `startsWith(origin)` would also accept
// https://kb.example.com.evil.net.
function sameOrigin(u) {
  try {
    return typeof u === 'string' && new URL(u).origin === self.location.origin;
  } catch {
    return false;
  }
}

// One keep at a time: a locale switch during a download waits its turn.
let queue = Promise.resolve();

self.addEventListener('message', (event) => {
  const data = event.data;
  if (data?.type !== 'cuecard:keep' || !sameOrigin(data.page) || !sameOrigin(data.manifest?.url)) return;
  if (typeof data.manifest.sha256 !== 'string' || !Array.isArray(data.files)) return;
  const files = data.files.filter((f) => sameOrigin(f?.url) && (typeof f.sha256 === 'string' || typeof f.integrity === 'string'));
  const request = { page: data.page, manifest: data.manifest, files };
  const done = queue.then(() => keep(request)).catch(() => ({ complete: false }));
  queue = done;
  event.waitUntil(done.then((result) => event.source?.postMessage({ type: 'cuecard:kept', ...result })));
});
