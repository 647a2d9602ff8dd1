/**
 * The service worker of the browser app (scope: the app's folder, `/app/`).
 * It keeps the whole app shell (page, scripts, styles, SQLite's wasm, the
 * manifest) in a cache named after the build, so after one visit the app
 * starts with no network, also after a browser restart. Requests outside the
 * app's folder (the sync API) are not touched: they always go to the network.
 *
 * Updates: a new build changes this file (its precache list is written in at
 * build time), the browser installs it in the background (the page asks for
 * that check too, page/app-updates.ts), and it takes over every open tab at
 * once; old caches are removed then. A tab still runs the old build's code
 * until it reloads, so the page tells the person a new version is ready
 * (page/UpdateNotice.tsx). Nothing unsent depends on the old build: every
 * change is in the store, which the new build opens as it is.
 */
type ExtendableEvent = Event & { waitUntil(promise: Promise<unknown>): void };
type FetchEvent = ExtendableEvent & { request: Request; respondWith(response: Promise<Response>): void };
type ServiceWorkerScope = {
  registration: { scope: string };
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
};
const sw = globalThis as unknown as ServiceWorkerScope;

/** Written in by the build (apps/browser/src/build/build-browser-app.ts). */
const PRECACHE = JSON.parse('__CLINICSYNC_PRECACHE__') as { version: string; files: string[] };
const CACHE_PREFIX = 'clinicsync-app-';
const CACHE = `${CACHE_PREFIX}${PRECACHE.version}`;
const scopeUrl = new URL(sw.registration.scope);
const PAGE = new URL('./', scopeUrl).href;

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // `reload` skips the HTTP cache, so the stored copy is this build's.
      await cache.addAll(PRECACHE.files.map((file) => new Request(new URL(file, scopeUrl).href, { cache: 'reload' })));
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys())
        if (name.startsWith(CACHE_PREFIX) && name !== CACHE) await caches.delete(name);
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== scopeUrl.origin || !url.pathname.startsWith(scopeUrl.pathname)) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      // Every page of the app is the one shell; the UI routes by the hash.
      const hit = request.mode === 'navigate' ? await cache.match(PAGE) : await cache.match(request);
      return hit ?? fetch(request);
    })(),
  );
});
