import type { CannedReplyHit, Conversation, TemplateContext } from "@yunxi/contracts";
import { fillTemplate } from "@yunxi/contracts";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useT } from "../i18n/i18n-provider.tsx";
import { useInboxActions } from "../inbox/inbox-provider.tsx";
import { errorText, isAbort } from "../shared/error-text.ts";
import { libraryApi } from "./library-api.ts";
import { useLibraryVersion } from "./use-library-changes.ts";

type Options = {
  conversation: Pick<Conversation, "id" | "storeId">;
  /** What follows `/` (or a bare keyword); "" lists the most used. */
  q: string;
  match: "all" | "keyword";
  /** False while the picker is closed: nothing is fetched. */
  enabled: boolean;
  limit?: number;
};

const DEBOUNCE_MS = 120;

/**
 * Canned replies for the composer: the search for the conversation's store (store first,
 * then platform, then org), with the conversation's values filled in. The values are
 * read once per conversation (and again when one of its store's orders changes); the
 * list is fetched again when the library changes anywhere (realtime), without a reload.
 */
export function useCannedReplies({ conversation, q, match, enabled, limit = 8 }: Options) {
  const t = useT();
  const { subscribe } = useInboxActions();
  const libraryVersion = useLibraryVersion("replies");
  const [hits, setHits] = useState<CannedReplyHit[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [context, setContext] = useState<TemplateContext | null>(null);
  const [contextVersion, setContextVersion] = useState(0);
  const conversationId = conversation.id;
  const storeId = conversation.storeId;

  // The variables' values: per conversation, and again when an order of its store moves on.
  useEffect(
    () =>
      subscribe((events) => {
        if (events.some((e) => e.type === "order.changed" && e.storeId === storeId)) setContextVersion((n) => n + 1);
      }),
    [subscribe, storeId],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: contextVersion is a trigger
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    libraryApi.replyContext(conversationId, controller.signal).then(
      (found) => setContext(found.context),
      () => setContext(null),
    );
    return () => controller.abort();
  }, [conversationId, enabled, contextVersion]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: libraryVersion is a trigger
  useEffect(() => {
    if (!enabled) {
      setHits([]);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    const timer = setTimeout(() => {
      libraryApi.searchReplies({ q, storeId, match, limit }, controller.signal).then(
        (result) => {
          setHits(result.items);
          setError(null);
          setLoading(false);
        },
        (cause: unknown) => {
          if (controller.signal.aborted || isAbort(cause)) return;
          setError(errorText(cause, t));
          setLoading(false);
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [enabled, q, storeId, match, limit, libraryVersion, t]);

  // Filled here, not by the server, so a keystroke costs one search and no order look-up.
  const items = useMemo(
    () =>
      hits.map((hit) => {
        if (!context) return hit;
        const filled = fillTemplate(hit.reply.text, context);
        return { ...hit, filledText: filled.text, missing: filled.missing };
      }),
    [hits, context],
  );

  const used = useRef(new Set<string>());
  /** Count the use (once per reply and conversation); answers the text to insert. */
  const use = useCallback(
    (hit: CannedReplyHit): string => {
      const key = `${conversationId}:${hit.reply.id}`;
      if (!used.current.has(key)) {
        used.current.add(key);
        libraryApi.recordUsage(hit.reply.id, conversationId).catch(() => used.current.delete(key));
      }
      return hit.filledText;
    },
    [conversationId],
  );

  return { items, loading, error, context, use };
}
