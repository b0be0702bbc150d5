import type { AgentState, Conversation, Message, MessageAttachment, Order, RealtimeEvent } from "@yunxi/contracts";

/**
 * The inbox as the client knows it: conversations and messages by id, and the last realtime
 * `seq` applied. A pure reducer, so that the same rules hold whatever order HTTP answers and
 * realtime events arrive in:
 * - realtime events are applied in `seq` order, once (an event with seq ≤ lastSeq is ignored);
 * - records from HTTP answers are upserted by id, but never replace a newer copy that a
 *   realtime event already delivered;
 * - an optimistic outbound message (id `local:<idempotencyKey>`) is replaced by the server's;
 * - orders (from `order.changed` and the orders endpoints) follow the same rule: realtime wins,
 *   an HTTP copy only replaces one that is not newer (`updatedAt`).
 * - conversations change without a new message (assignment, priority, SLA): an HTTP copy that
 *   says which `seq` the client had seen when it asked (`sinceSeq`) never replaces a copy a later
 *   realtime event delivered; `sla.alert` carries the conversation as it is now.
 * - agents (names, status, load) come from `GET /api/agents` and `agent.updated`.
 * Event types this client does not know are counted (seq) and otherwise ignored.
 */

/** A message in a thread; `localKey` marks an optimistic one the server has not confirmed yet. */
export type ThreadMessage = Message & { localKey?: string };

export type InboxState = {
  lastSeq: number;
  conversations: ReadonlyMap<string, Conversation>;
  /** Per conversation, ascending by time; unconfirmed local messages last. */
  messages: ReadonlyMap<string, readonly ThreadMessage[]>;
  /** Buyers' orders by `Order.id`; a conversation shows those of its store and customer. */
  orders: ReadonlyMap<string, Order>;
  /** The org's agents by user id (assignee names, transfer targets, @mentions). */
  agents: ReadonlyMap<string, AgentState>;
  /** Per conversation, the `seq` of the last realtime event that delivered it. */
  conversationSeq: ReadonlyMap<string, number>;
};

/**
 * `sinceSeq`: the last realtime `seq` the client had applied when it sent the request; a copy
 * delivered by a later event is newer than (or as new as) the answer and is kept.
 */
export type InboxAction =
  | { type: "conversations.loaded"; items: readonly Conversation[]; sinceSeq?: number }
  | { type: "conversation.received"; conversation: Conversation; sinceSeq?: number }
  | { type: "conversation.patched"; id: string; patch: Partial<Pick<Conversation, "unreadCount" | "status">> }
  | { type: "messages.loaded"; conversationId: string; items: readonly Message[] }
  | { type: "message.received"; message: Message }
  | { type: "message.optimistic"; message: ThreadMessage }
  | { type: "message.confirmed"; conversationId: string; localKey: string; message: Message }
  | { type: "message.sendFailed"; conversationId: string; localKey: string; error: string }
  /** The server refused to store it (e.g. a platform limit): the optimistic copy goes away. */
  | { type: "message.rejected"; conversationId: string; localKey: string }
  | { type: "message.retrying"; conversationId: string; messageId: string }
  | { type: "orders.loaded"; items: readonly Order[] }
  | { type: "agents.loaded"; items: readonly AgentState[] }
  | { type: "realtime"; events: readonly RealtimeEvent[] }
  | { type: "reset" };

export const initialInboxState: InboxState = {
  lastSeq: 0,
  conversations: new Map(),
  messages: new Map(),
  orders: new Map(),
  agents: new Map(),
  conversationSeq: new Map(),
};

export const localIdPrefix = "local:";

export function inboxReducer(state: InboxState, action: InboxAction): InboxState {
  switch (action.type) {
    case "conversations.loaded":
      return { ...state, conversations: mergeConversations(state, action.items, action.sinceSeq) };
    case "conversation.received":
      return { ...state, conversations: mergeConversations(state, [action.conversation], action.sinceSeq) };
    case "conversation.patched": {
      const current = state.conversations.get(action.id);
      if (!current) return state;
      return { ...state, conversations: new Map(state.conversations).set(action.id, { ...current, ...action.patch }) };
    }
    case "messages.loaded":
      return updateThread(state, action.conversationId, (thread) =>
        action.items.reduce((acc, message) => upsertMessage(acc, message, "http"), thread),
      );
    case "message.received":
      return updateThread(state, action.message.conversationId, (thread) =>
        upsertMessage(thread, action.message, "http"),
      );
    case "message.optimistic":
      return updateThread(state, action.message.conversationId, (thread) => [...thread, action.message]);
    case "message.confirmed":
      return updateThread(state, action.conversationId, (thread) =>
        upsertMessage(
          thread.filter((m) => m.localKey !== action.localKey),
          action.message,
          "http",
        ),
      );
    case "message.sendFailed":
      return updateThread(state, action.conversationId, (thread) =>
        thread.map((m) =>
          m.localKey === action.localKey ? { ...m, deliveryStatus: "failed", deliveryError: action.error } : m,
        ),
      );
    case "message.rejected":
      return updateThread(state, action.conversationId, (thread) => {
        const next = thread.filter((m) => m.localKey !== action.localKey);
        return next.length === thread.length ? thread : next;
      });
    case "orders.loaded":
      return { ...state, orders: mergeOrders(state.orders, action.items) };
    case "agents.loaded":
      return { ...state, agents: new Map(action.items.map((agent) => [agent.userId, agent])) };
    case "message.retrying":
      return updateThread(state, action.conversationId, (thread) =>
        thread.map((m) => (m.id === action.messageId ? { ...m, deliveryStatus: "pending", deliveryError: null } : m)),
      );
    case "realtime":
      return applyEvents(state, action.events);
    case "reset":
      return initialInboxState;
  }
}

function applyEvents(state: InboxState, events: readonly RealtimeEvent[]): InboxState {
  const fresh = events.filter((e) => e.seq > state.lastSeq).sort((a, b) => a.seq - b.seq);
  if (fresh.length === 0) return state;
  const conversations = new Map(state.conversations);
  const conversationSeq = new Map(state.conversationSeq);
  const messages = new Map(state.messages);
  let orders = state.orders;
  let agents = state.agents;
  let lastSeq = state.lastSeq;
  const setConversation = (conversation: Conversation, seq: number) => {
    conversations.set(conversation.id, conversation);
    conversationSeq.set(conversation.id, seq);
  };
  for (const event of fresh) {
    if (event.seq <= lastSeq) continue; // a duplicate within the batch
    lastSeq = event.seq;
    switch (event.type) {
      case "conversation.created":
      case "conversation.updated":
      case "sla.alert":
        setConversation(event.conversation, event.seq);
        break;
      case "message.created":
      case "message.updated": {
        if (event.type === "message.created") setConversation(event.conversation, event.seq);
        const id = event.message.conversationId;
        const thread = messages.get(id) ?? [];
        const reconciled = event.type === "message.created" ? dropMatchingLocal(thread, event.message) : thread;
        messages.set(id, upsertMessage(reconciled, event.message, "realtime"));
        break;
      }
      case "order.changed":
        orders = new Map(orders).set(event.order.id, event.order);
        break;
      case "agent.updated":
        agents = new Map(agents).set(event.agent.userId, event.agent);
        break;
      default:
        // evaluation.created and types added later: nothing in the inbox shows them yet.
        break;
    }
  }
  return { ...state, lastSeq, conversations, conversationSeq, messages, orders, agents };
}

function updateThread(
  state: InboxState,
  conversationId: string,
  update: (thread: readonly ThreadMessage[]) => readonly ThreadMessage[],
): InboxState {
  const thread = state.messages.get(conversationId) ?? [];
  const next = update(thread);
  if (next === thread) return state;
  return { ...state, messages: new Map(state.messages).set(conversationId, next) };
}

function mergeConversations(
  state: InboxState,
  items: readonly Conversation[],
  sinceSeq: number | undefined,
): ReadonlyMap<string, Conversation> {
  const next = new Map(state.conversations);
  for (const item of items) {
    const known = next.get(item.id);
    // An HTTP answer may have been computed before a realtime event we already applied.
    if (known && known.lastMessageAt > item.lastMessageAt) continue;
    if (known && sinceSeq !== undefined && (state.conversationSeq.get(item.id) ?? 0) > sinceSeq) continue;
    next.set(item.id, item);
  }
  return next;
}

function mergeOrders(current: ReadonlyMap<string, Order>, items: readonly Order[]): ReadonlyMap<string, Order> {
  const next = new Map(current);
  for (const item of items) {
    const known = next.get(item.id);
    if (known && known.updatedAt > item.updatedAt) continue;
    next.set(item.id, item);
  }
  return next;
}

/** Delivery progress of a message, to tell which of two copies is newer: attempts, then settled over pending. */
function deliveryVersion(message: Message): [number, number] {
  return [message.deliveryAttempts, message.deliveryStatus === "pending" ? 0 : 1];
}

function isOlder(candidate: Message, known: Message): boolean {
  const [attemptsA, settledA] = deliveryVersion(candidate);
  const [attemptsB, settledB] = deliveryVersion(known);
  return attemptsA < attemptsB || (attemptsA === attemptsB && settledA < settledB);
}

/** Insert or replace by id, keeping the thread ordered. Realtime copies always win; HTTP copies only if not older. */
function upsertMessage(
  thread: readonly ThreadMessage[],
  message: Message,
  source: "http" | "realtime",
): readonly ThreadMessage[] {
  const index = thread.findIndex((m) => m.id === message.id);
  if (index >= 0) {
    const known = thread[index]!;
    if (source === "http" && isOlder(message, known)) return thread;
    const next = thread.slice();
    next[index] = message;
    return next;
  }
  const next = thread.slice();
  let at = next.length;
  while (at > 0 && (next[at - 1]!.localKey !== undefined || next[at - 1]!.createdAt > message.createdAt)) at--;
  next.splice(at, 0, message);
  return next;
}

/**
 * The server's copy of a message I sent can arrive by realtime before the POST answers. Messages
 * carry no idempotency key, so the optimistic copy is matched by what it carries: the same
 * attachment (order, product, image) or, for text, the same body. The oldest unconfirmed local
 * message that matches is the one that was just stored.
 */
function dropMatchingLocal(thread: readonly ThreadMessage[], message: Message): readonly ThreadMessage[] {
  if (message.direction !== "outbound") return thread;
  const index = thread.findIndex((m) => m.localKey !== undefined && sameContent(m, message));
  if (index < 0) return thread;
  return [...thread.slice(0, index), ...thread.slice(index + 1)];
}

function sameContent(local: Message, stored: Message): boolean {
  if (local.attachment || stored.attachment) {
    return attachmentKey(local.attachment) === attachmentKey(stored.attachment);
  }
  return local.body.trim() === stored.body.trim();
}

/** What identifies an attachment across the optimistic and the stored copy. */
export function attachmentKey(attachment: MessageAttachment | null): string | null {
  switch (attachment?.type) {
    case "image":
      return `image:${attachment.url}`;
    case "product_card":
      return `product:${attachment.productId}`;
    case "order_card":
      return `order:${attachment.orderId}`;
    case "system":
      return `system:${attachment.event}:${attachment.orderId ?? ""}`;
    default:
      return null;
  }
}

/** Orders of one buyer in one store (what a conversation's side panel lists), newest first. */
export function ordersOfBuyer(orders: ReadonlyMap<string, Order>, storeId: string, customerId: string): Order[] {
  const list: Order[] = [];
  for (const order of orders.values()) {
    if (order.storeId === storeId && order.customerId === customerId) list.push(order);
  }
  return list.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

/** Conversations newest first, optionally of one store. */
export function sortedConversations(
  conversations: ReadonlyMap<string, Conversation>,
  storeId: string | null,
): Conversation[] {
  const list: Conversation[] = [];
  for (const c of conversations.values()) if (!storeId || c.storeId === storeId) list.push(c);
  return list.sort((a, b) => (a.lastMessageAt < b.lastMessageAt ? 1 : a.lastMessageAt > b.lastMessageAt ? -1 : 0));
}
