import type { Conversation } from "@yunxi/contracts";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useT } from "../i18n/i18n-provider.tsx";
import { useInbox, useInboxActions } from "../inbox/inbox-provider.tsx";
import { errorText, isAbort } from "../shared/error-text.ts";
import { useNow } from "../shared/use-now.ts";
import type { ConversationFilters } from "./filters.ts";
import { selectConversations } from "./filters.ts";

/** Open conversations loaded at start: the queue and everyone's work, so filters need no request. */
export const initialOpenLimit = 2000;
const pageSize = 200;
const searchDelayMs = 300;

type Feed = {
  /** Filtered and sorted, ready to render. */
  conversations: Conversation[];
  loading: boolean;
  error: string | null;
  hasMore: boolean;
  loadMore: () => void;
  reload: () => void;
};

type Cursor = { before: string | undefined; hasMore: boolean };

/**
 * The conversation list: up to 2,000 open conversations loaded once at start (and again on
 * reload or after a reconnect that could not resume), older pages of the current store/status
 * on scroll, and the server's search hits for text the client does not hold. Filtering and
 * sorting happen here, over the inbox state, on every change (a realtime event, a filter).
 */
export function useConversationFeed(filters: ConversationFilters, meId: string): Feed {
  const t = useT();
  const { state, resyncToken } = useInbox();
  const { loadConversations } = useInboxActions();
  const [initialLoading, setInitialLoading] = useState(true);
  const [pageLoading, setPageLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reloadToken, setReloadToken] = useState(0);
  /** Whether the first load got every open conversation (fewer than the limit came back), and where it stopped. */
  const [openLoad, setOpenLoad] = useState<{ complete: boolean; oldest: string | undefined }>({
    complete: false,
    oldest: undefined,
  });
  const cursors = useRef(new Map<string, Cursor>());
  const [cursorVersion, setCursorVersion] = useState(0);
  const pageRequest = useRef<AbortController | null>(null);
  const [searchHits, setSearchHits] = useState<ReadonlySet<string> | undefined>(undefined);

  const { storeId, status } = filters;
  const pageKey = `${storeId ?? "*"}|${status ?? "*"}`;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the tokens are the triggers
  useEffect(() => {
    const controller = new AbortController();
    cursors.current = new Map();
    setCursorVersion((n) => n + 1);
    setInitialLoading(true);
    setError(null);
    loadConversations({ status: "open", limit: initialOpenLimit }, controller.signal).then(
      (items) => {
        setOpenLoad({ complete: items.length < initialOpenLimit, oldest: items.at(-1)?.lastMessageAt });
        setInitialLoading(false);
      },
      (cause: unknown) => {
        if (controller.signal.aborted || isAbort(cause)) return;
        setError(errorText(cause, t));
        setInitialLoading(false);
      },
    );
    return () => controller.abort();
  }, [loadConversations, reloadToken, resyncToken, t]);

  const cursor = useMemo<Cursor>(() => {
    void cursorVersion;
    const known = cursors.current.get(pageKey);
    if (known) return known;
    // Open ones came with the first load (the newest 2,000 of every store): older ones continue from
    // where it stopped. Other statuses start from their newest page.
    if (status === "open") return { before: openLoad.oldest, hasMore: !openLoad.complete };
    return { before: undefined, hasMore: true };
  }, [cursorVersion, pageKey, status, openLoad]);

  const loadPage = useCallback(() => {
    if (pageRequest.current) return;
    const controller = new AbortController();
    pageRequest.current = controller;
    const key = pageKey;
    setPageLoading(true);
    setError(null);
    const query = {
      storeId: storeId ?? undefined,
      status: status ?? undefined,
      before: cursor.before,
      limit: pageSize,
    };
    loadConversations(query, controller.signal)
      .then(
        (items) => {
          cursors.current.set(key, {
            before: items.at(-1)?.lastMessageAt ?? cursor.before,
            hasMore: items.length === pageSize,
          });
          setCursorVersion((n) => n + 1);
        },
        (cause: unknown) => {
          if (controller.signal.aborted || isAbort(cause)) return;
          setError(errorText(cause, t));
          cursors.current.set(key, { before: cursor.before, hasMore: false });
          setCursorVersion((n) => n + 1);
        },
      )
      .finally(() => {
        // An aborted page (the filter changed) must not clear the spinner of the page that replaced it.
        if (pageRequest.current === controller) pageRequest.current = null;
        if (pageRequest.current === null) setPageLoading(false);
      });
  }, [cursor, loadConversations, pageKey, status, storeId, t]);

  // A store/status whose conversations the first load did not bring (resolved, pending): their newest page.
  const needsFirstPage = !initialLoading && status !== "open" && !cursors.current.has(pageKey);
  useEffect(() => {
    if (needsFirstPage) loadPage();
  }, [needsFirstPage, loadPage]);

  // Another store or status: a page in flight for the previous one is no longer wanted.
  // biome-ignore lint/correctness/useExhaustiveDependencies: pageKey is the trigger
  useEffect(
    () => () => {
      pageRequest.current?.abort();
      pageRequest.current = null;
    },
    [pageKey],
  );

  // Search: the server also looks in message text the client does not hold; its hits join the local matches.
  const needle = filters.q.trim();
  useEffect(() => {
    if (!needle) {
      setSearchHits(undefined);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      const query = { q: needle, storeId: storeId ?? undefined, status: status ?? undefined, limit: pageSize };
      loadConversations(query, controller.signal).then(
        (items) => setSearchHits(new Set(items.map((item) => item.id))),
        () => undefined, // local matches still show; the search box is not the place for an error banner
      );
    }, searchDelayMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [needle, storeId, status, loadConversations]);

  const loadMore = useCallback(() => {
    if (!initialLoading && cursor.hasMore) loadPage();
  }, [initialLoading, cursor.hasMore, loadPage]);

  const reload = useCallback(() => setReloadToken((n) => n + 1), []);

  // SLA states age with the clock; only the SLA filter depends on it.
  const now = useNow(15_000);
  const filterNow = filters.sla ? now : 0;
  const conversations = useMemo(
    () => selectConversations(state.conversations, filters, { meId, now: filterNow, searchHits }),
    [state.conversations, filters, meId, filterNow, searchHits],
  );

  return {
    conversations,
    loading: initialLoading || pageLoading,
    error,
    hasMore: cursor.hasMore,
    loadMore,
    reload,
  };
}
