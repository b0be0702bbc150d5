import type { Conversation, Order } from "@yunxi/contracts";
import { useEffect, useMemo, useState } from "react";
import { useT } from "../i18n/i18n-provider.tsx";
import { useInbox, useInboxActions } from "../inbox/inbox-provider.tsx";
import { ordersOfBuyer } from "../inbox/inbox-state.ts";
import { errorText, isAbort } from "../shared/error-text.ts";

/**
 * The conversation's buyer's orders in its store: fetched when the conversation opens (again after
 * a reconnect that could not resume, or on `reload`), then kept current by `order.changed` events.
 */
export function useBuyerOrders(conversation: Conversation) {
  const t = useT();
  const { state, resyncToken } = useInbox();
  const { loadOrders } = useInboxActions();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const conversationId = conversation.id;

  // biome-ignore lint/correctness/useExhaustiveDependencies: resyncToken and attempt are triggers
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    loadOrders(conversationId, controller.signal).then(
      () => setLoading(false),
      (cause: unknown) => {
        if (controller.signal.aborted || isAbort(cause)) return;
        setError(errorText(cause, t));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [conversationId, loadOrders, resyncToken, attempt, t]);

  const { storeId } = conversation;
  const customerId = conversation.customer.id;
  const orders: Order[] = useMemo(
    () => ordersOfBuyer(state.orders, storeId, customerId),
    [state.orders, storeId, customerId],
  );

  return { orders, loading, error, reload: () => setAttempt((n) => n + 1) };
}
