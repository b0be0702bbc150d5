import type { Dashboard, DashboardQuery } from "@yunxi/contracts";
import { useCallback, useEffect, useRef, useState } from "react";
import { analyticsApi } from "../api/analytics-api.ts";
import { useT } from "../i18n/i18n-provider.tsx";
import { useInboxActions } from "../inbox/inbox-provider.tsx";
import { errorText, isAbort } from "../shared/error-text.ts";
import { movesDashboard } from "./dashboard-view.ts";

/** The dashboard promises ≤ 5 s behind: a poll every 3 s, and sooner when something happens. */
export const DASHBOARD_POLL_MS = 3_000;
/** After a realtime event: once at once (the live queue), once when the rollups (every 2 s) caught up. */
const EVENT_REFRESH_MS = [300, 2_500] as const;

export type DashboardFeed = {
  data: Dashboard | null;
  /** The last failure; the last good figures stay shown under it. */
  error: string | null;
  /** When the figures shown were received (ms). */
  receivedAt: number | null;
  loading: boolean;
  reload: () => void;
};

/**
 * The live dashboard: polled every few seconds while the page is visible, refreshed on the
 * realtime events that move its figures (one request at a time; a refresh asked for meanwhile
 * runs right after), the last good answer kept through a failure.
 */
export function useDashboard(query: DashboardQuery): DashboardFeed {
  const t = useT();
  const { subscribe } = useInboxActions();
  const [data, setData] = useState<Dashboard | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [receivedAt, setReceivedAt] = useState<number | null>(null);
  const [loading, setLoading] = useState(true);
  const refreshRef = useRef<() => void>(() => undefined);
  const tRef = useRef(t);
  tRef.current = t;
  const { storeId, platform, groupId } = query;

  useEffect(() => {
    let disposed = false;
    let inFlight: AbortController | null = null;
    let again = false;
    const timers = new Set<ReturnType<typeof setTimeout>>();

    const refresh = () => {
      if (disposed) return;
      if (inFlight) {
        again = true;
        return;
      }
      const controller = new AbortController();
      inFlight = controller;
      setLoading(true);
      analyticsApi
        .dashboard({ storeId, platform, groupId }, controller.signal)
        .then((next) => {
          if (disposed) return;
          setData(next);
          setError(null);
          setReceivedAt(Date.now());
        })
        .catch((cause: unknown) => {
          if (disposed || isAbort(cause)) return;
          setError(errorText(cause, tRef.current));
        })
        .finally(() => {
          if (inFlight === controller) inFlight = null;
          if (disposed) return;
          setLoading(false);
          if (again) {
            again = false;
            refresh();
          }
        });
    };
    refreshRef.current = refresh;

    const later = (ms: number, before?: () => void) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        before?.();
        refresh();
      }, ms);
      timers.add(timer);
    };

    refresh();
    const poll = setInterval(() => {
      if (document.visibilityState === "visible") refresh();
    }, DASHBOARD_POLL_MS);
    const onVisible = () => {
      if (document.visibilityState === "visible") refresh();
    };
    document.addEventListener("visibilitychange", onVisible);
    // A burst of events asks once: the first one sets the timers, the rest until they fire ride along.
    let burst = false;
    const unsubscribe = subscribe((events) => {
      if (burst || !events.some(movesDashboard)) return;
      burst = true;
      later(EVENT_REFRESH_MS[0], () => {
        burst = false;
      });
      later(EVENT_REFRESH_MS[1]);
    });

    return () => {
      disposed = true;
      inFlight?.abort();
      clearInterval(poll);
      for (const timer of timers) clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisible);
      unsubscribe();
    };
  }, [storeId, platform, groupId, subscribe]);

  const reload = useCallback(() => refreshRef.current(), []);
  return { data, error, receivedAt, loading, reload };
}
