import type { Conversation, Message } from "@yunxi/contracts";

/** A conversation as the server sends it, with whatever a test changes. */
export function conversation(patch: Partial<Conversation> = {}): Conversation {
  return {
    id: "c1",
    storeId: "s1",
    platform: "taobao",
    storeLabel: "淘宝-旗舰店",
    customer: { id: "cu1", displayName: "小王", platformBuyerId: "wang" },
    status: "open",
    assigneeId: null,
    unreadCount: 0,
    lastMessagePreview: "在吗",
    lastMessageAt: "2026-03-01T10:00:00.000Z",
    firstInboundAt: "2026-03-01T10:00:00.000Z",
    firstResponseAt: null,
    lastInboundAt: "2026-03-01T10:00:00.000Z",
    lastOutboundAt: null,
    buyerReadAt: null,
    createdAt: "2026-03-01T10:00:00.000Z",
    priority: 0,
    priorityReasons: [],
    groupId: null,
    queuedAt: null,
    assignedAt: null,
    snoozedUntil: null,
    mergedIntoId: null,
    tags: [],
    sla: { firstResponseDueAt: null, nextResponseDueAt: null, resolutionDueAt: null, breaches: [] },
    ...patch,
  };
}

export function message(patch: Partial<Message> = {}): Message {
  return {
    id: "m1",
    conversationId: "c1",
    direction: "inbound",
    senderType: "buyer",
    senderId: null,
    kind: "text",
    body: "在吗？我的快递还没到",
    attachment: null,
    deliveryStatus: null,
    deliveryError: null,
    deliveryAttempts: 0,
    platformMessageId: null,
    createdAt: "2026-03-01T10:00:00.000Z",
    sentAt: null,
    mentions: [],
    ...patch,
  };
}
