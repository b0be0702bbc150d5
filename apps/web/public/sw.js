// Yunxi's service worker: makes the workspace installable (PWA) and lets it open at once, even
// offline, with the last app shell. Registered by the production build only (src/main.tsx).
//
// - Page loads (navigations): network first; offline, the cached shell (index.html).
// - /assets/* (content-hashed by Vite): cache first, the newest 120 kept.
// - Icons, favicon, manifest: served from cache, refreshed in the background.
// - Everything else, above all /api, /socket.io, webhooks and the widget: never touched, never cached.
//
// It also shows desktop notifications where the page cannot construct one itself, and brings the
// workspace forward when one is clicked.

const SHELL_CACHE = "yunxi-shell-v1";
const ASSET_CACHE = "yunxi-assets-v1";
const SHELL_URL = "/";
const STATIC_FILES = ["/manifest.webmanifest", "/favicon.svg", "/apple-touch-icon.png"];
const MAX_ASSETS = 120;

/** What the worker does with a request; "bypass" leaves it to the network, as if there were no worker. */
function strategyFor(request) {
  if (request.method !== "GET") return "bypass";
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return "bypass";
  if (/^\/(api|socket\.io|connect|widget)(\/|\.|$)/.test(url.pathname)) return "bypass";
  if (request.mode === "navigate") return "shell";
  if (url.pathname.startsWith("/assets/")) return "immutable";
  if (url.pathname.startsWith("/icons/") || STATIC_FILES.includes(url.pathname)) return "revalidate";
  return "bypass";
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      // One by one: a missing file must not stop the worker from installing.
      await Promise.all([SHELL_URL, ...STATIC_FILES].map((url) => cache.add(url).catch(() => undefined)));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const keep = new Set([SHELL_CACHE, ASSET_CACHE]);
      for (const name of await caches.keys()) if (!keep.has(name)) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const strategy = strategyFor(event.request);
  if (strategy === "shell") event.respondWith(networkFirstShell(event.request));
  else if (strategy === "immutable") event.respondWith(cacheFirst(event.request));
  else if (strategy === "revalidate") event.respondWith(staleWhileRevalidate(event));
});

async function networkFirstShell(request) {
  try {
    const response = await fetch(request);
    const type = response.headers.get("content-type") || "";
    if (response.ok && type.includes("text/html")) {
      const cache = await caches.open(SHELL_CACHE);
      await cache.put(SHELL_URL, response.clone());
    }
    return response;
  } catch (error) {
    // Every page of the app is the same index.html: the cached one serves any path.
    const cached = await caches.match(SHELL_URL, { cacheName: SHELL_CACHE });
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(ASSET_CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) {
    await cache.put(request, response.clone());
    await trim(cache, MAX_ASSETS);
  }
  return response;
}

async function staleWhileRevalidate(event) {
  const cache = await caches.open(SHELL_CACHE);
  const hit = await cache.match(event.request);
  const refresh = fetch(event.request).then(async (response) => {
    if (response.ok) await cache.put(event.request, response.clone());
    return response;
  });
  if (hit) {
    event.waitUntil(refresh.catch(() => undefined));
    return hit;
  }
  return refresh;
}

/** Old deploys' hashed files go, oldest first (keys come back in insertion order). */
async function trim(cache, max) {
  const keys = await cache.keys();
  for (const request of keys.slice(0, Math.max(0, keys.length - max))) await cache.delete(request);
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const data = event.notification.data || {};
  const conversationId = typeof data.conversationId === "string" ? data.conversationId : null;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const client = windows.find((candidate) => new URL(candidate.url).origin === self.location.origin);
      if (client) {
        await client.focus();
        if (conversationId) client.postMessage({ type: "yunxi:open-conversation", conversationId });
        return;
      }
      const target = conversationId ? `/?conversation=${encodeURIComponent(conversationId)}` : "/";
      await self.clients.openWindow(target);
    })(),
  );
});
