import type { Conversation, ConversationStatus, DeliveryStatus, Message, PlatformId, SlaKind } from "@yunxi/contracts";
import { MessageAttachment, storeLabel } from "@yunxi/contracts";
import type { IdentityRef } from "../customers/index.ts";
import type { conversations, messages } from "./tables.ts";

export type ConversationRow = typeof conversations.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;

/** What a conversation needs from its store to be shown. */
export interface StoreRef {
  id: string;
  platform: string;
  name: string;
}

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

export function presentConversation(row: ConversationRow, store: StoreRef, identity: IdentityRef): Conversation {
  const platform = store.platform as PlatformId;
  return {
    id: row.id,
    storeId: row.storeId,
    platform,
    storeLabel: storeLabel(platform, store.name),
    customer: {
      id: row.customerId,
      displayName: identity.displayName,
      platformBuyerId: identity.platformBuyerId,
    },
    status: row.status as ConversationStatus,
    assigneeId: row.assigneeId,
    unreadCount: row.unreadCount,
    lastMessagePreview: row.lastMessagePreview,
    lastMessageAt: row.lastMessageAt.toISOString(),
    firstInboundAt: iso(row.firstInboundAt),
    firstResponseAt: iso(row.firstResponseAt),
    lastInboundAt: iso(row.lastInboundAt),
    lastOutboundAt: iso(row.lastOutboundAt),
    buyerReadAt: iso(row.buyerReadAt),
    createdAt: row.createdAt.toISOString(),
    priority: row.priority,
    priorityReasons: row.priorityReasons,
    groupId: row.groupId,
    queuedAt: iso(row.queuedAt),
    assignedAt: iso(row.assignedAt),
    snoozedUntil: iso(row.snoozedUntil),
    mergedIntoId: row.mergedIntoId,
    tags: row.tags,
    sla: {
      firstResponseDueAt: iso(row.firstResponseDueAt),
      nextResponseDueAt: iso(row.nextResponseDueAt),
      resolutionDueAt: iso(row.resolutionDueAt),
      breaches: row.slaBreaches as SlaKind[],
    },
  };
}

export function presentMessage(row: MessageRow): Message {
  return {
    id: row.id,
    conversationId: row.conversationId,
    direction: row.direction as Message["direction"],
    senderType: row.senderType as Message["senderType"],
    senderId: row.senderId,
    kind: row.kind as Message["kind"],
    body: row.body,
    attachment: attachmentOf(row),
    deliveryStatus: row.deliveryStatus as DeliveryStatus | null,
    deliveryError: row.deliveryError,
    deliveryAttempts: row.deliveryAttempts,
    platformMessageId: row.platformMessageId,
    createdAt: row.createdAt.toISOString(),
    sentAt: iso(row.sentAt),
    mentions: row.mentions,
  };
}

/** A stored attachment that no longer fits the contract is left out rather than breaking the thread. */
function attachmentOf(row: MessageRow): MessageAttachment | null {
  if (row.attachment === null || row.attachment === undefined) return null;
  const parsed = MessageAttachment.safeParse(row.attachment);
  return parsed.success ? parsed.data : null;
}

/** One line for the conversation list; non-text content gets a short marker. */
export function previewOf(body: string): string {
  const oneLine = body.replace(/\s+/g, " ").trim();
  return oneLine.length > 80 ? `${oneLine.slice(0, 79)}…` : oneLine;
}
