import type { Conversation, Order, RealtimeEvent } from "@yunxi/contracts";
import { describe, expect, it } from "vitest";
import type { InboxState, ThreadMessage } from "./inbox-state.ts";
import { inboxReducer, initialInboxState, ordersOfBuyer, sortedConversations } from "./inbox-state.ts";
import { at, makeAgent, makeConversation, makeMessage } from "./test-fixtures.ts";

const conversation = makeConversation;
const message = makeMessage;

function order(id: string, minute: number, patch: Partial<Order> = {}): Order {
  return {
    id,
    storeId: "s1",
    platform: "taobao",
    storeLabel: "淘宝-旗舰店",
    customerId: "b-c1",
    orderId: `tid-${id}`,
    status: "paid",
    platformStatus: "WAIT_SELLER_SEND_GOODS",
    items: [{ productId: "p1", title: "纯棉T恤", sku: "白色 L", quantity: 1, priceCents: 5900 }],
    totalCents: 5900,
    createdAt: at(minute),
    paidAt: at(minute),
    promisedShipAt: null,
    shippedAt: null,
    carrier: null,
    trackingNo: null,
    updatedAt: at(minute),
    ...patch,
  };
}

const optimistic = (key: string, body = "在的"): ThreadMessage => ({
  ...message(`local:${key}`, 59, { body }),
  localKey: key,
});

const thread = (state: InboxState) => state.messages.get("c1") ?? [];

describe("inboxReducer", () => {
  it("applies realtime events once, in seq order", () => {
    const events: RealtimeEvent[] = [
      { seq: 2, type: "conversation.updated", storeId: "s1", conversation: conversation("c1", 5, { unreadCount: 2 }) },
      { seq: 1, type: "conversation.created", storeId: "s1", conversation: conversation("c1", 1) },
    ];
    let state = inboxReducer(initialInboxState, { type: "realtime", events });
    expect(state.lastSeq).toBe(2);
    expect(state.conversations.get("c1")?.unreadCount).toBe(2);

    // A replay after a reconnect repeats seq 2: ignored.
    const replay: RealtimeEvent = {
      seq: 2,
      type: "conversation.updated",
      storeId: "s1",
      conversation: conversation("c1", 5, { unreadCount: 9 }),
    };
    state = inboxReducer(state, { type: "realtime", events: [replay] });
    expect(state.conversations.get("c1")?.unreadCount).toBe(2);
  });

  it("does not let an HTTP page overwrite a newer realtime copy", () => {
    let state = inboxReducer(initialInboxState, {
      type: "realtime",
      events: [{ seq: 1, type: "conversation.updated", storeId: "s1", conversation: conversation("c1", 10) }],
    });
    state = inboxReducer(state, {
      type: "conversations.loaded",
      items: [conversation("c1", 3), conversation("c2", 4)],
    });
    expect(state.conversations.get("c1")?.lastMessageAt).toBe(at(10));
    expect(sortedConversations(state.conversations, null).map((c) => c.id)).toEqual(["c1", "c2"]);
  });

  it("replaces the optimistic message with the server's when the POST answers", () => {
    let state = inboxReducer(initialInboxState, { type: "message.optimistic", message: optimistic("k1") });
    state = inboxReducer(state, {
      type: "message.confirmed",
      conversationId: "c1",
      localKey: "k1",
      message: message("m1", 59),
    });
    expect(thread(state).map((m) => m.id)).toEqual(["m1"]);
  });

  it("reconciles when realtime delivers the message (and its delivery) before the POST answers", () => {
    let state = inboxReducer(initialInboxState, { type: "message.optimistic", message: optimistic("k1") });
    const stored = message("m1", 59);
    state = inboxReducer(state, {
      type: "realtime",
      events: [
        { seq: 1, type: "message.created", storeId: "s1", message: stored, conversation: conversation("c1", 59) },
        {
          seq: 2,
          type: "message.updated",
          storeId: "s1",
          message: { ...stored, deliveryStatus: "sent", deliveryAttempts: 1 },
        },
      ],
    });
    expect(thread(state).map((m) => [m.id, m.deliveryStatus])).toEqual([["m1", "sent"]]);

    // The late POST answer (still "pending") must not turn it back.
    state = inboxReducer(state, { type: "message.confirmed", conversationId: "c1", localKey: "k1", message: stored });
    expect(thread(state).map((m) => [m.id, m.deliveryStatus])).toEqual([["m1", "sent"]]);
  });

  it("keeps the thread ordered by time with unconfirmed messages last", () => {
    let state = inboxReducer(initialInboxState, { type: "message.optimistic", message: optimistic("k1", "稍等") });
    state = inboxReducer(state, {
      type: "messages.loaded",
      conversationId: "c1",
      items: [
        message("m2", 20, { direction: "inbound", deliveryStatus: null }),
        message("m1", 10, { direction: "inbound", deliveryStatus: null }),
      ],
    });
    expect(thread(state).map((m) => m.id)).toEqual(["m1", "m2", "local:k1"]);
  });

  it("marks a failed send and lets a retry set it pending again", () => {
    let state = inboxReducer(initialInboxState, { type: "message.optimistic", message: optimistic("k1") });
    state = inboxReducer(state, {
      type: "message.sendFailed",
      conversationId: "c1",
      localKey: "k1",
      error: "网络错误",
    });
    expect(thread(state)[0]).toMatchObject({ deliveryStatus: "failed", deliveryError: "网络错误" });
    state = inboxReducer(state, { type: "message.retrying", conversationId: "c1", messageId: "local:k1" });
    expect(thread(state)[0]).toMatchObject({ deliveryStatus: "pending", deliveryError: null });
  });

  it("reconciles an optimistic order card by its order, whatever body the server stores", () => {
    const card = { type: "order_card" as const, orderId: "tid-o1", title: "纯棉T恤", status: "paid", totalCents: 5900 };
    let state = inboxReducer(initialInboxState, {
      type: "message.optimistic",
      message: { ...optimistic("k1", ""), kind: "order_card", attachment: card },
    });
    // A text message with the same (empty) body must not be taken for it.
    state = inboxReducer(state, { type: "message.optimistic", message: optimistic("k2", "稍等") });
    const stored = message("m1", 59, {
      kind: "order_card",
      body: "[订单] tid-o1",
      attachment: { ...card, title: null },
    });
    state = inboxReducer(state, {
      type: "realtime",
      events: [
        { seq: 1, type: "message.created", storeId: "s1", message: stored, conversation: conversation("c1", 59) },
      ],
    });
    expect(thread(state).map((m) => m.id)).toEqual(["m1", "local:k2"]);
  });

  it("takes back a message the server refused before sending", () => {
    let state = inboxReducer(initialInboxState, { type: "message.optimistic", message: optimistic("k1") });
    state = inboxReducer(state, { type: "message.rejected", conversationId: "c1", localKey: "k1" });
    expect(thread(state)).toEqual([]);
  });

  it("applies order.changed in seq order, and never lets an older HTTP copy win", () => {
    let state = inboxReducer(initialInboxState, { type: "orders.loaded", items: [order("o1", 1), order("o2", 5)] });
    const shipped = order("o1", 1, {
      status: "shipped",
      carrier: "顺丰速运",
      trackingNo: "SF1234567890",
      updatedAt: at(30),
    });
    state = inboxReducer(state, {
      type: "realtime",
      events: [{ seq: 3, type: "order.changed", storeId: "s1", change: "shipped", order: shipped }],
    });
    expect(state.lastSeq).toBe(3);
    expect(state.orders.get("o1")?.status).toBe("shipped");

    // A list fetched before the push arrives late: o1 stays shipped, o2 is refreshed.
    state = inboxReducer(state, {
      type: "orders.loaded",
      items: [order("o1", 1), order("o2", 5, { status: "refunding", updatedAt: at(40) })],
    });
    expect(state.orders.get("o1")?.status).toBe("shipped");
    expect(state.orders.get("o2")?.status).toBe("refunding");
  });

  it("lists a buyer's orders in one store, newest first", () => {
    const state = inboxReducer(initialInboxState, {
      type: "orders.loaded",
      items: [
        order("o1", 1),
        order("o2", 9),
        order("o3", 5, { storeId: "s2" }),
        order("o4", 7, { customerId: "someone-else" }),
      ],
    });
    expect(ordersOfBuyer(state.orders, "s1", "b-c1").map((o) => o.id)).toEqual(["o2", "o1"]);
  });

  it("counts event types it does not show (evaluations) without touching the inbox", () => {
    const before = inboxReducer(initialInboxState, {
      type: "realtime",
      events: [{ seq: 1, type: "conversation.created", storeId: "s1", conversation: conversation("c1", 1) }],
    });
    const after = inboxReducer(before, {
      type: "realtime",
      events: [
        {
          seq: 2,
          type: "evaluation.created",
          storeId: "s1",
          evaluation: {
            id: "e1",
            storeId: "s1",
            customerId: "b-c1",
            orderId: null,
            score: 5,
            comment: "好评",
            createdAt: at(2),
          },
        },
      ],
    });
    expect(after.lastSeq).toBe(2);
    expect([...after.conversations.values()]).toEqual([...before.conversations.values()]);
    expect(after.orders.size).toBe(0);
  });
});

describe("inboxReducer: the workspace's fields (issue 4)", () => {
  const created = (seq: number, c: Conversation): RealtimeEvent => ({
    seq,
    type: "conversation.created",
    storeId: c.storeId,
    conversation: c,
  });
  const updated = (seq: number, c: Conversation): RealtimeEvent => ({
    seq,
    type: "conversation.updated",
    storeId: c.storeId,
    conversation: c,
  });

  it("moves an assignment and re-prioritizes from conversation.updated, without a new message", () => {
    let state = inboxReducer(initialInboxState, {
      type: "realtime",
      events: [created(1, conversation("c1", 5, { queuedAt: at(5) }))],
    });
    state = inboxReducer(state, {
      type: "realtime",
      events: [
        updated(
          2,
          conversation("c1", 5, {
            assigneeId: "u2",
            assignedAt: at(6),
            queuedAt: null,
            priority: 20,
            priorityReasons: ["售后", "VIP"],
          }),
        ),
      ],
    });
    expect(state.conversations.get("c1")).toMatchObject({
      assigneeId: "u2",
      queuedAt: null,
      priority: 20,
      priorityReasons: ["售后", "VIP"],
    });
  });

  it("keeps a realtime assignment when an HTTP page asked before it arrives late (same last message)", () => {
    let state = inboxReducer(initialInboxState, { type: "conversations.loaded", items: [conversation("c1", 5)] });
    const sinceSeq = state.lastSeq; // 0: the page request starts now
    state = inboxReducer(state, {
      type: "realtime",
      events: [updated(7, conversation("c1", 5, { assigneeId: "u2" }))],
    });
    state = inboxReducer(state, {
      type: "conversations.loaded",
      items: [conversation("c1", 5, { assigneeId: null })],
      sinceSeq,
    });
    expect(state.conversations.get("c1")?.assigneeId).toBe("u2");

    // An answer to a request sent after that event wins (the claim's own answer, say).
    state = inboxReducer(state, {
      type: "conversation.received",
      conversation: conversation("c1", 5, { assigneeId: "u1" }),
      sinceSeq: 7,
    });
    expect(state.conversations.get("c1")?.assigneeId).toBe("u1");
  });

  it("applies sla.alert: the conversation as it is now (breach recorded, priority raised)", () => {
    let state = inboxReducer(initialInboxState, {
      type: "realtime",
      events: [created(1, conversation("c1", 5, { sla: { ...conversation("c1", 5).sla, firstResponseDueAt: at(8) } }))],
    });
    const breached = conversation("c1", 5, {
      priority: 15,
      priorityReasons: ["首响超时"],
      sla: { firstResponseDueAt: at(8), nextResponseDueAt: null, resolutionDueAt: null, breaches: ["first_response"] },
    });
    state = inboxReducer(state, {
      type: "realtime",
      events: [
        { seq: 2, type: "sla.alert", storeId: "s1", level: "breached", kind: "first_response", conversation: breached },
      ],
    });
    expect(state.lastSeq).toBe(2);
    expect(state.conversations.get("c1")?.sla.breaches).toEqual(["first_response"]);
    expect(state.conversations.get("c1")?.priority).toBe(15);
    expect(state.conversationSeq.get("c1")).toBe(2);
  });

  it("adds an internal note to the thread (kind note, direction internal, mentions) and never reconciles it with a reply", () => {
    let state = inboxReducer(initialInboxState, {
      type: "message.optimistic",
      message: optimistic("k1", "@小王 看下"),
    });
    const note = message("n1", 60, {
      direction: "internal",
      kind: "note",
      body: "@小王 看下",
      deliveryStatus: null,
      mentions: ["u2"],
    });
    state = inboxReducer(state, {
      type: "realtime",
      events: [{ seq: 1, type: "message.created", storeId: "s1", message: note, conversation: conversation("c1", 60) }],
    });
    // The optimistic reply with the same text is still the agent's reply, not the note.
    expect(thread(state).map((m) => m.id)).toEqual(["n1", "local:k1"]);
    expect(thread(state)[0]).toMatchObject({ kind: "note", direction: "internal", mentions: ["u2"] });

    // The POST /notes answer for the same note does not add it twice.
    state = inboxReducer(state, { type: "message.received", message: note });
    expect(thread(state).filter((m) => m.id === "n1")).toHaveLength(1);
  });

  it("loads the agents and applies agent.updated", () => {
    let state = inboxReducer(initialInboxState, {
      type: "agents.loaded",
      items: [makeAgent("u1", { name: "小王" }), makeAgent("u2", { name: "小李" })],
    });
    state = inboxReducer(state, {
      type: "realtime",
      events: [
        {
          seq: 4,
          type: "agent.updated",
          storeId: null,
          agent: makeAgent("u2", { name: "小李", status: "busy", load: 3 }),
        },
      ],
    });
    expect(state.agents.get("u1")?.name).toBe("小王");
    expect(state.agents.get("u2")).toMatchObject({ status: "busy", load: 3 });
    expect(state.lastSeq).toBe(4);
  });
});
