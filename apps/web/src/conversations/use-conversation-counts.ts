import type { ConversationCounts, RealtimeEvent } from "@yunxi/contracts";
import { useEffect, useMemo, useState } from "react";
import type { CountsQuery } from "../api/workspace-api.ts";
import { workspaceApi } from "../api/workspace-api.ts";
import { useInbox, useInboxActions } from "../inbox/inbox-provider.tsx";
import { isAbort } from "../shared/error-text.ts";

/** At most one counts request per this while events stream in (a spike sends hundreds a second). */
export const countsRefreshMs = 1000;

const countedEvents: ReadonlySet<RealtimeEvent["type"]> = new Set([
  "conversation.created",
  "conversation.updated",
  "message.created",
  "sla.alert",
]);

/**
 * The server's counts for the filter badges (`GET /api/conversations/counts`), for the current
 * store/platform/status; refreshed when conversations change, at most once per `countsRefreshMs`.
 * Null until the first answer (or when the server cannot answer): the caller counts what it holds.
 */
export function useConversationCounts(query: CountsQuery): ConversationCounts | null {
  const { resyncToken } = useInbox();
  const { subscribe } = useInboxActions();
  const [counts, setCounts] = useState<{ key: string; counts: ConversationCounts } | null>(null);
  const [staleToken, setStaleToken] = useState(0);
  const { storeId, platform, status } = query;
  const key = JSON.stringify([storeId, platform, status]);

  // Realtime changes mark the counts stale; a timer turns a burst into one refresh.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = subscribe((events) => {
      if (timer !== undefined || !events.some((event) => countedEvents.has(event.type))) return;
      timer = setTimeout(() => {
        timer = undefined;
        setStaleToken((n) => n + 1);
      }, countsRefreshMs);
    });
    return () => {
      unsubscribe();
      clearTimeout(timer);
    };
  }, [subscribe]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the tokens are the triggers
  useEffect(() => {
    const controller = new AbortController();
    workspaceApi.counts({ storeId, platform, status }, controller.signal).then(
      (answer) => setCounts({ key, counts: answer }),
      (cause: unknown) => {
        if (controller.signal.aborted || isAbort(cause)) return;
        setCounts(null);
      },
    );
    return () => controller.abort();
  }, [key, staleToken, resyncToken]);

  return useMemo(() => (counts && counts.key === key ? counts.counts : null), [counts, key]);
}
