/**
 * Registers public/sw.js (app-shell cache, installability, desktop notifications shown by the
 * worker). Production builds only: in `vite dev` a worker caching the shell would serve stale
 * modules.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || typeof navigator === "undefined" || !("serviceWorker" in navigator)) return;
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch((error: unknown) => {
      console.warn("yunxi: the service worker did not register", error);
    });
  });
}
