import { useCallback, useSyncExternalStore } from "react";
import type { Route } from "./routes.ts";
import { parseRoute, routePath } from "./routes.ts";

/** Fired on our own pushState/replaceState: the browser only reports back/forward (popstate). */
const navigatedEvent = "yunxi:navigated";

function subscribe(onChange: () => void): () => void {
  window.addEventListener("popstate", onChange);
  window.addEventListener(navigatedEvent, onChange);
  return () => {
    window.removeEventListener("popstate", onChange);
    window.removeEventListener(navigatedEvent, onChange);
  };
}

const currentPath = () => window.location.pathname;

/** Go to a path of the app (optionally with a query), without a page load. */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, "", path);
  else window.history.pushState(null, "", path);
  window.dispatchEvent(new Event(navigatedEvent));
}

/** The page the address bar shows, and a way to go to another. */
export function useRoute(): { route: Route; go: (route: Route) => void } {
  const pathname = useSyncExternalStore(subscribe, currentPath);
  const go = useCallback((route: Route) => {
    if (routePath(route) !== window.location.pathname) navigate(routePath(route));
  }, []);
  return { route: parseRoute(pathname), go };
}
