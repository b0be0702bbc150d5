import type { Conversation } from "@yunxi/contracts";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useT } from "../i18n/i18n-provider.tsx";
import { useInbox, useInboxActions } from "../inbox/inbox-provider.tsx";
import { sortedConversations } from "../inbox/inbox-state.ts";
import { errorText, isAbort } from "../shared/error-text.ts";

const pageSize = 200;

type Feed = {
  conversations: Conversation[];
  loading: boolean;
  error: string | null;
  hasMore: boolean;
  loadMore: () => void;
  reload: () => void;
};

/**
 * The conversations of one store (or all), newest first: pages loaded from the API, kept
 * current by realtime events in the inbox store.
 */
export function useConversationFeed(storeId: string | null): Feed {
  const t = useT();
  const { state, resyncToken } = useInbox();
  const { loadConversations } = useInboxActions();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [reloadToken, setReloadToken] = useState(0);
  const cursor = useRef<string | undefined>(undefined);
  const inFlight = useRef<AbortController | null>(null);

  const loadPage = useCallback(
    (before: string | undefined) => {
      inFlight.current?.abort();
      const controller = new AbortController();
      inFlight.current = controller;
      setLoading(true);
      setError(null);
      loadConversations({ storeId, before, limit: pageSize }, controller.signal).then(
        (items) => {
          if (controller.signal.aborted) return;
          cursor.current = items.at(-1)?.lastMessageAt ?? cursor.current;
          setHasMore(items.length === pageSize);
          setLoading(false);
        },
        (cause: unknown) => {
          if (controller.signal.aborted || isAbort(cause)) return;
          setError(errorText(cause, t));
          setHasMore(false);
          setLoading(false);
        },
      );
    },
    [loadConversations, storeId, t],
  );

  // First page whenever the store filter changes, on reload, and after a reconnect that could not resume.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the tokens are the triggers
  useEffect(() => {
    cursor.current = undefined;
    loadPage(undefined);
    return () => inFlight.current?.abort();
  }, [loadPage, reloadToken, resyncToken]);

  const loadMore = useCallback(() => {
    if (!loading && hasMore) loadPage(cursor.current);
  }, [loading, hasMore, loadPage]);

  const reload = useCallback(() => setReloadToken((n) => n + 1), []);

  const conversations = useMemo(
    () => sortedConversations(state.conversations, storeId),
    [state.conversations, storeId],
  );

  return { conversations, loading, error, hasMore, loadMore, reload };
}
