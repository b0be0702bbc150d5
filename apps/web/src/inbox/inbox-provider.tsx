import type { Conversation, ConversationStatus, Me, RealtimeEvent, Store, TransferRequest } from "@yunxi/contracts";
import type { ReactNode } from "react";
import { createContext, useContext, useEffect, useMemo, useReducer, useRef, useState } from "react";
import type { ConversationQuery } from "../api/endpoints.ts";
import { inboxApi, ordersApi } from "../api/endpoints.ts";
import { workspaceApi } from "../api/workspace-api.ts";
import { useT } from "../i18n/i18n-provider.tsx";
import { noteOwnAction } from "../notifications/own-actions.ts";
import type { ConnectionState } from "../realtime/realtime-connection.ts";
import { connectRealtime } from "../realtime/realtime-connection.ts";
import { errorText } from "../shared/error-text.ts";
import type { InboxState, ThreadMessage } from "./inbox-state.ts";
import { inboxReducer, initialInboxState } from "./inbox-state.ts";
import type { OutgoingContent } from "./outgoing.ts";
import { isRefusedBeforeSending, optimisticMessage, toOutbound } from "./outgoing.ts";

export type InboxActions = {
  /** Loads one page of conversations into the store; resolves with the page. */
  loadConversations: (query: ConversationQuery, signal?: AbortSignal) => Promise<Conversation[]>;
  loadMessages: (conversationId: string, signal?: AbortSignal) => Promise<void>;
  /**
   * Shows the message at once (pending) and sends it. Delivery failures end up on the bubble; only a
   * refusal before sending (422, e.g. a platform limit) rejects, and the message is taken back.
   */
  send: (conversationId: string, content: OutgoingContent) => Promise<void>;
  retry: (message: ThreadMessage) => void;
  markRead: (conversationId: string) => Promise<void>;
  setStatus: (conversationId: string, status: ConversationStatus) => Promise<void>;
  /** The buyer's orders in the conversation's store, into the store (and live from `order.changed`). */
  loadOrders: (conversationId: string, signal?: AbortSignal) => Promise<void>;
  /** Reload the stores (after the admin console changed one). */
  reloadStores: () => void;
  /** Reload the org's agents (names, status, load); `agent.updated` keeps them current. */
  reloadAgents: () => void;
  // Manual actions (issue 4). Each resolves with the conversation as the server left it, already in
  // the store; failures reject with the server's `ApiRequestError` (409 already_assigned …).
  claim: (conversationId: string) => Promise<Conversation>;
  unassign: (conversationId: string) => Promise<Conversation>;
  transfer: (conversationId: string, request: TransferRequest) => Promise<Conversation>;
  snooze: (conversationId: string, until: Date) => Promise<Conversation>;
  /** Merges `otherId` into `conversationId` and reloads the surviving thread. */
  merge: (conversationId: string, otherId: string) => Promise<Conversation>;
  /** Posts an internal note (never sent to the buyer). */
  addNote: (conversationId: string, body: string, mentions: readonly string[]) => Promise<void>;
  /** Realtime events as they arrive, after the store applied them (notifications, counts). */
  subscribe: (listener: (events: readonly RealtimeEvent[]) => void) => () => void;
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
  // The last seq applied when a request starts: its answer never replaces what a later event delivered.
  const seenSeq = useRef(0);
  seenSeq.current = state.lastSeq;
  const listeners = useRef(new Set<(events: readonly RealtimeEvent[]) => void>());

  useEffect(
    () =>
      connectRealtime({
        onEvents: (events) => {
          dispatch({ type: "realtime", events });
          for (const listener of listeners.current) listener(events);
        },
        onState: setConnection,
        onResyncNeeded: () => setResyncToken((n) => n + 1),
        onRejected: () => callbacks.current.onRealtimeRejected(),
      }),
    [],
  );

  const userId = me.user.id;
  const actions = useMemo<InboxActions>(() => {
    const loadStores = () =>
      inboxApi.stores().then(
        (list) => setStores(list.items),
        (error: unknown) => callbacks.current.onError(error),
      );

    const post = async (conversationId: string, message: ThreadMessage, localKey: string) => {
      try {
        const request = { body: message.body, attachment: toOutbound(message.attachment), idempotencyKey: localKey };
        const stored = await inboxApi.sendMessage(conversationId, request);
        dispatch({ type: "message.confirmed", conversationId, localKey, message: stored });
      } catch (error) {
        if (isRefusedBeforeSending(error)) {
          dispatch({ type: "message.rejected", conversationId, localKey });
          throw error;
        }
        // The bubble shows the failure and its retry button; no toast on top of it.
        const text = errorText(error, callbacks.current.t);
        dispatch({ type: "message.sendFailed", conversationId, localKey, error: text });
      }
    };

    // Without the agents, names fall back to "客服" and the transfer dialog says it has none: no toast.
    const loadAgents = () =>
      workspaceApi.agents().then(
        (list) => dispatch({ type: "agents.loaded", items: list.items }),
        () => undefined,
      );

    /**
     * Runs a conversation action and puts the answer into the store. Noted as my own first, so the
     * realtime echo of my claim or transfer (which may come before the answer) does not notify me.
     */
    const act = async (conversationId: string, request: () => Promise<Conversation>) => {
      noteOwnAction(conversationId);
      const sinceSeq = seenSeq.current;
      const conversation = await request();
      dispatch({ type: "conversation.received", conversation, sinceSeq });
      return conversation;
    };

    return {
      loadConversations: async (query, signal) => {
        const sinceSeq = seenSeq.current;
        const page = await inboxApi.conversations(query, signal);
        dispatch({ type: "conversations.loaded", items: page.items, sinceSeq });
        return page.items;
      },
      loadMessages: async (conversationId, signal) => {
        const list = await inboxApi.messages(conversationId, signal);
        dispatch({ type: "messages.loaded", conversationId, items: list.items });
      },
      send: (conversationId, content) => {
        const localKey = crypto.randomUUID();
        const message = optimisticMessage({ conversationId, senderId: userId, localKey, content, now: new Date() });
        dispatch({ type: "message.optimistic", message });
        return post(conversationId, message, localKey);
      },
      retry: (message) => {
        const { conversationId } = message;
        dispatch({ type: "message.retrying", conversationId, messageId: message.id });
        // Never stored by the server (the POST failed): post again with the same key, so it is stored once.
        if (message.localKey) {
          post(conversationId, message, message.localKey).catch((error: unknown) => {
            // Refused this time (a limit that now applies): say so, the bubble is gone.
            callbacks.current.onError(error);
          });
          return;
        }
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
      loadOrders: async (conversationId, signal) => {
        const list = await ordersApi.ofConversation(conversationId, signal);
        dispatch({ type: "orders.loaded", items: list.items });
      },
      reloadStores: () => void loadStores(),
      reloadAgents: () => void loadAgents(),
      claim: (conversationId) => act(conversationId, () => workspaceApi.claim(conversationId)),
      unassign: (conversationId) => act(conversationId, () => workspaceApi.unassign(conversationId)),
      transfer: (conversationId, request) => act(conversationId, () => workspaceApi.transfer(conversationId, request)),
      snooze: (conversationId, until) =>
        act(conversationId, () => workspaceApi.snooze(conversationId, { until: until.toISOString() })),
      merge: async (conversationId, otherId) => {
        const survivor = await act(conversationId, () =>
          workspaceApi.merge(conversationId, { conversationId: otherId }),
        );
        const list = await inboxApi.messages(survivor.id);
        dispatch({ type: "messages.loaded", conversationId: survivor.id, items: list.items });
        return survivor;
      },
      addNote: async (conversationId, body, mentions) => {
        const note = await workspaceApi.addNote(conversationId, {
          body,
          mentions: [...mentions],
          idempotencyKey: crypto.randomUUID(),
        });
        dispatch({ type: "message.received", message: note });
      },
      subscribe: (listener) => {
        listeners.current.add(listener);
        return () => listeners.current.delete(listener);
      },
    };
  }, [userId]);

  useEffect(() => actions.reloadStores(), [actions]);
  // The agents again after a reconnect that could not resume (agent.updated events were missed).
  // biome-ignore lint/correctness/useExhaustiveDependencies: resyncToken is a trigger
  useEffect(() => actions.reloadAgents(), [actions, resyncToken]);

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
