// The reading app's service worker: keeps the app's own files (never reader data) for offline use.
// Stories and the front are kept by the app itself, and only what the API let this reader read.
const CACHE = "broadsheet-app-{{ version }}";
const FILES = {{ files|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) {
    return; // the API always goes to the network: its answers depend on who asks
  }
  if (event.request.mode === "navigate" && url.pathname.startsWith("/app/")) {
    event.respondWith(fetch(event.request).catch(() => caches.match("/app/")));
    return;
  }
  if (FILES.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((hit) => hit || fetch(event.request)));
  }
});
