import type { AgentState, Conversation, Message } from "@yunxi/contracts";

/** Test data for the inbox's pure functions (reducer, selectors, filters); not used by the app. */

export const baseTime = Date.UTC(2026, 0, 1, 8, 0);
/** An ISO time `minute` minutes after 08:00 UTC on 2026-01-01 (may be negative or fractional). */
export const at = (minute: number) => new Date(baseTime + minute * 60_000).toISOString();

export function makeConversation(id: string, minute: number, patch: Partial<Conversation> = {}): Conversation {
  return {
    id,
    storeId: "s1",
    platform: "taobao",
    storeLabel: "淘宝-旗舰店",
    customer: { id: `b-${id}`, displayName: "小明", platformBuyerId: "tb_xm" },
    status: "open",
    assigneeId: null,
    unreadCount: 0,
    lastMessagePreview: "你好",
    lastMessageAt: at(minute),
    firstInboundAt: null,
    firstResponseAt: null,
    lastInboundAt: null,
    lastOutboundAt: null,
    buyerReadAt: null,
    createdAt: at(0),
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

export function makeMessage(id: string, minute: number, patch: Partial<Message> = {}): Message {
  return {
    id,
    conversationId: "c1",
    direction: "outbound",
    senderType: "agent",
    senderId: "u1",
    kind: "text",
    body: "在的",
    attachment: null,
    deliveryStatus: "pending",
    deliveryError: null,
    deliveryAttempts: 0,
    platformMessageId: null,
    createdAt: at(minute),
    sentAt: null,
    mentions: [],
    ...patch,
  };
}

export function makeAgent(userId: string, patch: Partial<AgentState> = {}): AgentState {
  return {
    userId,
    name: userId,
    role: "agent",
    status: "online",
    capacity: 10,
    load: 0,
    waiting: 0,
    storeIds: ["s1"],
    groupIds: [],
    lastActiveAt: null,
    statusChangedAt: null,
    ...patch,
  };
}
