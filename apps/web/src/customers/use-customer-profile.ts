import type { Conversation, CustomerProfile } from "@yunxi/contracts";
import { useEffect, useMemo, useRef, useState } from "react";
import { useT } from "../i18n/i18n-provider.tsx";
import { useInbox } from "../inbox/inbox-provider.tsx";
import { errorText, isAbort } from "../shared/error-text.ts";
import { customersApi } from "./customers-api.ts";
import { liveConversations, liveOrders, unknownOrderIds } from "./profile-view.ts";

/**
 * The buyer of the open conversation across platforms. Loaded when the conversation opens, when
 * its buyer moves to another customer, after a reconnect that could not resume, and when an
 * `order.changed` of this customer brings an order the profile does not know (likely a new link:
 * identities and conversations came with it). Orders and conversations already shown are kept
 * current from the inbox's realtime state without a reload.
 */
export function useCustomerProfile(conversation: Conversation) {
  const t = useT();
  const { state, resyncToken } = useInbox();
  const [profile, setProfile] = useState<CustomerProfile | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const conversationId = conversation.id;
  const customerId = conversation.customer.id;

  // biome-ignore lint/correctness/useExhaustiveDependencies: customerId, resyncToken and attempt are triggers
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    customersApi.ofConversation(conversationId, controller.signal).then(
      (loaded) => {
        setProfile(loaded);
        setLoading(false);
      },
      (cause: unknown) => {
        if (controller.signal.aborted || isAbort(cause)) return;
        setError(errorText(cause, t));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [conversationId, customerId, resyncToken, attempt, t]);

  // A new order of this customer arrived live: reload once for that set of orders (never in a loop).
  const unknown = profile ? unknownOrderIds(profile, state.orders.values()).join(",") : "";
  const reloadedFor = useRef("");
  useEffect(() => {
    if (!unknown || reloadedFor.current === unknown) return;
    reloadedFor.current = unknown;
    setAttempt((n) => n + 1);
  }, [unknown]);

  const orders = useMemo(() => (profile ? liveOrders(profile, state.orders.values()) : []), [profile, state.orders]);
  const conversations = useMemo(
    () => (profile ? liveConversations(profile, state.conversations) : []),
    [profile, state.conversations],
  );

  return {
    profile,
    orders,
    conversations,
    loading,
    error,
    reload: () => setAttempt((n) => n + 1),
    /** After a link or unlink: the server's answer is the new profile. */
    replace: setProfile,
  };
}
