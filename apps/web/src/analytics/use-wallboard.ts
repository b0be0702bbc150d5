import { useCallback, useSyncExternalStore } from "react";
import { navigate } from "../routing/use-route.ts";

/** `/dashboard?wallboard=1`: the dashboard for a TV in the centre (full screen, big numbers, dark). */
export const wallboardParam = "wallboard";
const changedEvent = "yunxi:wallboard";

export function isWallboardSearch(search: string): boolean {
  return new URLSearchParams(search).get(wallboardParam) === "1";
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener("popstate", onChange);
  window.addEventListener(changedEvent, onChange);
  return () => {
    window.removeEventListener("popstate", onChange);
    window.removeEventListener(changedEvent, onChange);
  };
}

const current = () => isWallboardSearch(window.location.search);

/** Whether the address asks for the wallboard, and a way in and out of it (a history entry each). */
export function useWallboard(): [boolean, (on: boolean) => void] {
  const on = useSyncExternalStore(subscribe, current);
  const set = useCallback((next: boolean) => {
    navigate(next ? `/dashboard?${wallboardParam}=1` : "/dashboard");
    window.dispatchEvent(new Event(changedEvent));
  }, []);
  return [on, set];
}
