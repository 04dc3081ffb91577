// Cuecard's service worker: keeps the app and the last bundle so search
// keeps working with the network off.
//
// - The page (index.html) and bundle/manifest.json, the two files whose
//   names do not change between builds: network first, the kept copy when
//   the network fails. Only the app's own page (the folder or index.html,
//   as HTML) is ever kept as the page. Both are always fetched together by one page load,
//   so app and bundle come from the same build.
// - Every other file carries a content hash in its name: the kept copy
//   first, else the network (and it is kept).
// - `bundle/manifest.json?check=...` (the app looking for a newer bundle)
//   always goes to the network and is never kept: a newer manifest must not
//   replace the one the kept app and index belong to.
// - The app sends {type: 'cuecard:keep', page, urls}: the worker stores
//   what it lacks, drops bundle files no longer listed, and answers
//   {type: 'cuecard:kept', complete}.
'use strict';

const CACHE = 'cuecard-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

function isNavigation(request) {
  return request.mode === 'navigate';
}

function isManifest(url) {
  return url.pathname.endsWith('/bundle/manifest.json');
}

// Navigations are kept under the folder URL, whatever their query.
function pageKey(url) {
  return new URL('./', url).href;
}

// Only the app's own page may become the kept page: a navigation to any
// other file of the folder (sw.js, a bundle file) is answered, never kept.
function isAppPage(url, response) {
  const path = url.pathname;
  const type = response.headers.get('content-type') || '';
  return (path.endsWith('/') || path.endsWith('/index.html')) && type.startsWith('text/html');
}

async function networkFirst(request, key, keepIf = () => true) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && keepIf(response)) await cache.put(key, response.clone());
    return response;
  } catch (error) {
    const kept = await cache.match(key);
    if (kept) return kept;
    throw error;
  }
}

async function keptFirst(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (isManifest(url) && url.searchParams.has('check')) return; // straight to the network
  if (isNavigation(request)) {
    event.respondWith(networkFirst(request, pageKey(url), (response) => isAppPage(url, response)));
  } else if (isManifest(url)) {
    event.respondWith(networkFirst(request, url.href));
  } else {
    event.respondWith(keptFirst(request));
  }
});

async function keep(page, urls, client) {
  const cache = await caches.open(CACHE);
  let complete = true;
  const wanted = new Set(urls);
  for (const url of urls) {
    const key = url === page ? pageKey(new URL(url)) : url;
    if (await cache.match(key)) continue;
    try {
      const response = await fetch(url, { cache: 'no-cache' });
      if (response.ok) await cache.put(key, response);
      else complete = false;
    } catch {
      complete = false;
    }
  }
  // Bundle files of older builds are not needed any more.
  for (const request of await cache.keys()) {
    const url = new URL(request.url);
    if (url.pathname.includes('/bundle/') && !isManifest(url) && !wanted.has(request.url) && request.url.startsWith(page)) {
      await cache.delete(request);
    }
  }
  client?.postMessage({ type: 'cuecard:kept', complete });
}

self.addEventListener('message', (event) => {
  const data = event.data;
  if (data?.type === 'cuecard:keep' && typeof data.page === 'string' && Array.isArray(data.urls)) {
    // Same origin exactly: `startsWith(origin)` would also accept
    // https://kb.example.com.evil.net.
    const sameOrigin = (u) => {
      try {
        return typeof u === 'string' && new URL(u).origin === self.location.origin;
      } catch {
        return false;
      }
    };
    if (!sameOrigin(data.page)) return;
    const urls = [data.page, ...data.urls.filter(sameOrigin)];
    event.waitUntil(keep(data.page, urls, event.source));
  }
});
