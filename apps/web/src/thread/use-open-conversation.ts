import type { Conversation } from "@yunxi/contracts";
import { useEffect, useState } from "react";
import { useT } from "../i18n/i18n-provider.tsx";
import { useInbox, useInboxActions } from "../inbox/inbox-provider.tsx";
import { errorText, isAbort } from "../shared/error-text.ts";

/**
 * What opening a conversation does: load its messages (again after a reconnect that could not
 * resume) and mark it read — also when new messages arrive while it is open and the page is visible.
 */
export function useOpenConversation(
  conversation: Conversation | undefined,
  conversationId: string,
  onError: (error: unknown) => void,
) {
  const t = useT();
  const { resyncToken } = useInbox();
  const { loadMessages, markRead } = useInboxActions();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: resyncToken is a trigger
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    loadMessages(conversationId, controller.signal).then(
      () => setLoading(false),
      (cause: unknown) => {
        if (controller.signal.aborted || isAbort(cause)) return;
        setError(errorText(cause, t));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [conversationId, loadMessages, resyncToken, t]);

  const unread = conversation?.unreadCount ?? 0;
  const [visible, setVisible] = useState(() => document.visibilityState === "visible");
  useEffect(() => {
    const update = () => setVisible(document.visibilityState === "visible");
    document.addEventListener("visibilitychange", update);
    return () => document.removeEventListener("visibilitychange", update);
  }, []);

  useEffect(() => {
    if (unread > 0 && visible) markRead(conversationId).catch(onError);
  }, [conversationId, unread, visible, markRead, onError]);

  return { loading, error };
}
