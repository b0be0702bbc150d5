import type { RealtimeEvent } from "@yunxi/contracts";
import { useEffect, useRef } from "react";
import { useInbox, useInboxActions } from "../inbox/inbox-provider.tsx";

/**
 * The realtime events, for the presence control, the notification center and the supervisor view
 * (agent.updated and sla.alert included, which the inbox store does not show): taken from the
 * inbox store's connection, so the page keeps one socket. `onEvents` gets every batch after the
 * store applied it; `onResync` runs when a reconnect could not resume (what happened meanwhile is
 * unknown: reload what is shown). The latest callbacks are used. Inside <InboxProvider> only.
 */
export function useWorkspaceEvents(
  onEvents: (events: readonly RealtimeEvent[]) => void,
  onResync: () => void = () => undefined,
): void {
  const { subscribe } = useInboxActions();
  const { resyncToken } = useInbox();
  const latest = useRef({ onEvents, onResync });
  latest.current = { onEvents, onResync };

  useEffect(() => subscribe((events) => latest.current.onEvents(events)), [subscribe]);

  const seenToken = useRef(resyncToken);
  useEffect(() => {
    if (resyncToken === seenToken.current) return;
    seenToken.current = resyncToken;
    latest.current.onResync();
  }, [resyncToken]);
}
