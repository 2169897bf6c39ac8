// zhibu service worker: caches the app shell (static assets of one build)
// and nothing else.  Requests under /api/ are never intercepted, so member
// data is never stored on the device for the next person using it.
const VERSION = '__VERSION__';
const CACHE = 'zhibu-shell-' + VERSION;
const SHELL = __SHELL__;
const ASSETS = __ASSETS__;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting())
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('zhibu-') && k !== CACHE)
        .map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/')) return;          // never cached
  if (req.mode === 'navigate') {
    // network first, so a new build is picked up; the cached shell offline
    event.respondWith(fetch(req).catch(() => caches.match('/index.html')));
    return;
  }
  if (ASSETS.includes(url.pathname) || SHELL.includes(url.pathname)) {
    event.respondWith(
      caches.match(req).then((hit) => hit || fetch(req).then((res) => {
        if (res.ok) {
          const copy = res.clone();
          caches.open(CACHE).then((c) => c.put(req, copy));
        }
        return res;
      }))
    );
  }
});
