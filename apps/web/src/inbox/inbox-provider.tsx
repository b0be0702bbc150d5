import type { Conversation, ConversationStatus, Me, Store } from "@yunxi/contracts";
import type { ReactNode } from "react";
import { createContext, useContext, useEffect, useMemo, useReducer, useRef, useState } from "react";
import { inboxApi } from "../api/endpoints.ts";
import { useT } from "../i18n/i18n-provider.tsx";
import type { ConnectionState } from "../realtime/realtime-connection.ts";
import { connectRealtime } from "../realtime/realtime-connection.ts";
import { errorText } from "../shared/error-text.ts";
import type { InboxState, ThreadMessage } from "./inbox-state.ts";
import { inboxReducer, initialInboxState, localIdPrefix } from "./inbox-state.ts";

export type InboxActions = {
  /** Loads one page of conversations into the store; resolves with the page. */
  loadConversations: (
    query: { storeId: string | null; before?: string; limit: number },
    signal?: AbortSignal,
  ) => Promise<Conversation[]>;
  loadMessages: (conversationId: string, signal?: AbortSignal) => Promise<void>;
  /** Shows the message at once (pending) and sends it; failures end up on the bubble, not thrown. */
  send: (conversationId: string, body: string) => void;
  retry: (message: ThreadMessage) => void;
  markRead: (conversationId: string) => Promise<void>;
  setStatus: (conversationId: string, status: ConversationStatus) => Promise<void>;
};

type InboxContextValue = {
  state: InboxState;
  stores: readonly Store[];
  connection: ConnectionState;
  /** Bumped when what is shown must be reloaded (a reconnect that could not resume). */
  resyncToken: number;
};

const InboxStateContext = createContext<InboxContextValue | null>(null);
const InboxActionsContext = createContext<InboxActions | null>(null);

type Props = {
  me: Me;
  children: ReactNode;
  /** Called when the realtime gateway refuses us: the session may have ended. */
  onRealtimeRejected: () => void;
  /** Shown for failures of background work (e.g. mark read). */
  onError: (error: unknown) => void;
};

/** The inbox store of the signed-in agent: state, the actions that change it, and the realtime feed. */
export function InboxProvider({ me, children, onRealtimeRejected, onError }: Props) {
  const [state, dispatch] = useReducer(inboxReducer, initialInboxState);
  const [stores, setStores] = useState<readonly Store[]>([]);
  const [connection, setConnection] = useState<ConnectionState>("connecting");
  const [resyncToken, setResyncToken] = useState(0);

  // Callbacks that change identity every render are read through a ref, so effects run once.
  const t = useT();
  const callbacks = useRef({ onRealtimeRejected, onError, t });
  callbacks.current = { onRealtimeRejected, onError, t };

  useEffect(
    () =>
      connectRealtime({
        onEvents: (events) => dispatch({ type: "realtime", events }),
        onState: setConnection,
        onResyncNeeded: () => setResyncToken((n) => n + 1),
        onRejected: () => callbacks.current.onRealtimeRejected(),
      }),
    [],
  );

  useEffect(() => {
    inboxApi.stores().then(
      (list) => setStores(list.items),
      (error: unknown) => callbacks.current.onError(error),
    );
  }, []);

  const userId = me.user.id;
  const actions = useMemo<InboxActions>(() => {
    const post = (conversationId: string, body: string, localKey: string) => {
      inboxApi.sendMessage(conversationId, { body, idempotencyKey: localKey }).then(
        (message) => dispatch({ type: "message.confirmed", conversationId, localKey, message }),
        (error: unknown) => {
          // The bubble shows the failure and its retry button; no toast on top of it.
          const text = errorText(error, callbacks.current.t);
          dispatch({ type: "message.sendFailed", conversationId, localKey, error: text });
        },
      );
    };

    return {
      loadConversations: async ({ storeId, before, limit }, signal) => {
        const page = await inboxApi.conversations({ storeId: storeId ?? undefined, before, limit }, signal);
        dispatch({ type: "conversations.loaded", items: page.items });
        return page.items;
      },
      loadMessages: async (conversationId, signal) => {
        const list = await inboxApi.messages(conversationId, signal);
        dispatch({ type: "messages.loaded", conversationId, items: list.items });
      },
      send: (conversationId, body) => {
        const localKey = crypto.randomUUID();
        const now = new Date().toISOString();
        dispatch({
          type: "message.optimistic",
          message: {
            id: `${localIdPrefix}${localKey}`,
            localKey,
            conversationId,
            direction: "outbound",
            senderType: "agent",
            senderId: userId,
            kind: "text",
            body,
            deliveryStatus: "pending",
            deliveryError: null,
            deliveryAttempts: 0,
            platformMessageId: null,
            createdAt: now,
            sentAt: null,
          },
        });
        post(conversationId, body, localKey);
      },
      retry: (message) => {
        const { conversationId } = message;
        dispatch({ type: "message.retrying", conversationId, messageId: message.id });
        // Never stored by the server (the POST failed): post again with the same key, so it is stored once.
        if (message.localKey) return post(conversationId, message.body, message.localKey);
        inboxApi.retryMessage(message.id).then(
          (updated) => dispatch({ type: "message.received", message: updated }),
          (error: unknown) => {
            const deliveryError = errorText(error, callbacks.current.t);
            dispatch({ type: "message.received", message: { ...message, deliveryStatus: "failed", deliveryError } });
          },
        );
      },
      markRead: async (conversationId) => {
        dispatch({ type: "conversation.patched", id: conversationId, patch: { unreadCount: 0 } });
        dispatch({ type: "conversation.received", conversation: await inboxApi.markRead(conversationId) });
      },
      setStatus: async (conversationId, status) => {
        await inboxApi.setStatus(conversationId, status);
        dispatch({ type: "conversation.patched", id: conversationId, patch: { status } });
      },
    };
  }, [userId]);

  const value = useMemo(() => ({ state, stores, connection, resyncToken }), [state, stores, connection, resyncToken]);

  return (
    <InboxActionsContext value={actions}>
      <InboxStateContext value={value}>{children}</InboxStateContext>
    </InboxActionsContext>
  );
}

export function useInbox(): InboxContextValue {
  const value = useContext(InboxStateContext);
  if (!value) throw new Error("useInbox must be used inside <InboxProvider>");
  return value;
}

export function useInboxActions(): InboxActions {
  const value = useContext(InboxActionsContext);
  if (!value) throw new Error("useInboxActions must be used inside <InboxProvider>");
  return value;
}
