import type { Conversation, Recommendation } from "@yunxi/contracts";
import { useEffect, useState } from "react";
import { useT } from "../i18n/i18n-provider.tsx";
import { errorText, isAbort } from "../shared/error-text.ts";
import { libraryApi } from "./library-api.ts";
import { recommendationKey } from "./recommendation.ts";
import { useLibraryVersion } from "./use-library-changes.ts";

/** A new buyer message is followed by its triage (the tag) within moments: one fetch for both. */
const SETTLE_MS = 250;

/**
 * The conversation's recommended solution, fetched again when the buyer writes, the intent
 * tag changes (triage, a correction), it is transferred, or the library is edited. The
 * previous answer stays on screen while the next one loads.
 */
export function useRecommendation(conversation: Conversation) {
  const t = useT();
  const [recommendation, setRecommendation] = useState<Recommendation | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const replies = useLibraryVersion("replies");
  const kb = useLibraryVersion("kb");
  const key = recommendationKey(conversation);
  const conversationId = conversation.id;

  // biome-ignore lint/correctness/useExhaustiveDependencies: key, the library versions and attempt are triggers
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    const timer = setTimeout(() => {
      libraryApi.recommendation(conversationId, controller.signal).then(
        (result) => {
          setRecommendation(result);
          setError(null);
          setLoading(false);
        },
        (cause: unknown) => {
          if (controller.signal.aborted || isAbort(cause)) return;
          setError(errorText(cause, t));
          setLoading(false);
        },
      );
    }, SETTLE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [conversationId, key, replies, kb, attempt, t]);

  return { recommendation, loading, error, reload: () => setAttempt((n) => n + 1) };
}
