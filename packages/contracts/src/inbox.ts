import { z } from "zod";
import { PlatformId } from "./platforms.ts";
import { SlaKind } from "./workspace.ts";

export const conversationStatuses = ["open", "pending", "resolved"] as const;
export const ConversationStatus = z.enum(conversationStatuses);
export type ConversationStatus = z.infer<typeof ConversationStatus>;

/** internal: a note between agents (or a routing notice), never sent to the buyer. */
export const messageDirections = ["inbound", "outbound", "internal"] as const;
export const senderTypes = ["buyer", "agent", "bot", "system"] as const;
export const messageKinds = ["text", "image", "product_card", "order_card", "system", "note"] as const;
export const deliveryStatuses = ["pending", "sent", "failed"] as const;
export const DeliveryStatus = z.enum(deliveryStatuses);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

export const Customer = z.object({
  id: z.string(),
  displayName: z.string(),
  platformBuyerId: z.string(),
});
export type Customer = z.infer<typeof Customer>;

export const Conversation = z.object({
  id: z.string(),
  storeId: z.string(),
  platform: PlatformId,
  /** `淘宝-旗舰店` */
  storeLabel: z.string(),
  customer: Customer,
  status: ConversationStatus,
  assigneeId: z.string().nullable(),
  unreadCount: z.number().int(),
  lastMessagePreview: z.string(),
  lastMessageAt: z.string(),
  firstInboundAt: z.string().nullable(),
  firstResponseAt: z.string().nullable(),
  lastInboundAt: z.string().nullable(),
  lastOutboundAt: z.string().nullable(),
  /** The buyer has read the store's messages up to here (platform read receipt); null when unknown. */
  buyerReadAt: z.string().nullable(),
  createdAt: z.string(),
  /** Higher first; the queue and every list are ordered by priority, then by wait. */
  priority: z.number().int(),
  /** Why: the labels of the priority rules that matched (售后, VIP, 等待 5 分钟 …). */
  priorityReasons: z.array(z.string()),
  /** The skill group it is routed to, if any. */
  groupId: z.string().nullable(),
  /** Since when it waits in the queue for an agent; null when assigned or closed. */
  queuedAt: z.string().nullable(),
  assignedAt: z.string().nullable(),
  snoozedUntil: z.string().nullable(),
  /** Set when this conversation was merged into another one of the same buyer. */
  mergedIntoId: z.string().nullable(),
  /** Intent and other tags (售后-退换货-鞋子类目). */
  tags: z.array(z.string()),
  sla: z.object({
    firstResponseDueAt: z.string().nullable(),
    nextResponseDueAt: z.string().nullable(),
    resolutionDueAt: z.string().nullable(),
    /** Targets missed so far. */
    breaches: z.array(SlaKind),
  }),
});
export type Conversation = z.infer<typeof Conversation>;

/**
 * What a message carries besides its text: the image, the card, or the order event a
 * system notice reports. `body` always holds a plain-text rendering for lists and search.
 */
export const MessageAttachment = z.discriminatedUnion("type", [
  z.object({ type: z.literal("image"), url: z.string() }),
  z.object({
    type: z.literal("product_card"),
    productId: z.string(),
    title: z.string(),
    priceCents: z.number().int().nullable(),
    imageUrl: z.string().nullable(),
  }),
  z.object({
    type: z.literal("order_card"),
    orderId: z.string(),
    title: z.string().nullable(),
    status: z.string().nullable(),
    totalCents: z.number().int().nullable(),
  }),
  z.object({
    type: z.literal("system"),
    /** order.paid, order.shipped, refund.requested … */
    event: z.string(),
    orderId: z.string().nullable(),
  }),
]);
export type MessageAttachment = z.infer<typeof MessageAttachment>;

/** What an agent may send besides text. */
export const OutboundAttachment = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("image"), url: z.url().max(2000) }),
  z.strictObject({ type: z.literal("product_card"), productId: z.string().min(1).max(100) }),
  z.strictObject({ type: z.literal("order_card"), orderId: z.string().min(1).max(100) }),
]);
export type OutboundAttachment = z.infer<typeof OutboundAttachment>;

export const Message = z.object({
  id: z.string(),
  conversationId: z.string(),
  direction: z.enum(messageDirections),
  senderType: z.enum(senderTypes),
  senderId: z.string().nullable(),
  kind: z.enum(messageKinds),
  /** Plain text. Buyer text is always rendered as text, never as HTML. */
  body: z.string(),
  attachment: MessageAttachment.nullable(),
  deliveryStatus: DeliveryStatus.nullable(),
  deliveryError: z.string().nullable(),
  deliveryAttempts: z.number().int(),
  platformMessageId: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  /** Users @mentioned in an internal note. */
  mentions: z.array(z.string()),
});
export type Message = z.infer<typeof Message>;

export const conversationSorts = ["recent", "priority"] as const;
export const slaFilters = ["breached", "due_soon", "ok"] as const;

export const ListConversationsQuery = z.strictObject({
  storeId: z.string().max(64).optional(),
  platform: PlatformId.optional(),
  status: ConversationStatus.optional(),
  /** me | unassigned | a user id */
  assignee: z.string().max(64).optional(),
  groupId: z.string().max(64).optional(),
  minPriority: z.coerce.number().int().optional(),
  tag: z.string().max(100).optional(),
  sla: z.enum(slaFilters).optional(),
  /** Buyer name, buyer id or message text. */
  q: z.string().trim().max(100).optional(),
  /** recent: last message first; priority: highest priority, then longest wait. */
  sort: z.enum(conversationSorts).default("recent"),
  limit: z.coerce.number().int().min(1).max(2000).default(100),
  /** Opaque cursor: conversations whose last message is older than this (sort=recent). */
  before: z.string().max(64).optional(),
});
export type ListConversationsQuery = z.infer<typeof ListConversationsQuery>;

export const ConversationList = z.object({ items: z.array(Conversation) });
export type ConversationList = z.infer<typeof ConversationList>;

export const ListMessagesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export const MessageList = z.object({ items: z.array(Message) });
export type MessageList = z.infer<typeof MessageList>;

export const SendMessageRequest = z
  .strictObject({
    /** The text; with an attachment it may be empty. */
    body: z.string().trim().max(5000).default(""),
    attachment: OutboundAttachment.optional(),
    /** Chosen by the client; repeating a request with the same key sends once. */
    idempotencyKey: z.string().min(8).max(100),
  })
  .refine((r) => r.body.length > 0 || r.attachment !== undefined, {
    message: "A message needs text or an attachment",
    path: ["body"],
  });
export type SendMessageRequest = z.infer<typeof SendMessageRequest>;

export const UpdateConversationRequest = z.strictObject({
  status: ConversationStatus.optional(),
});
export type UpdateConversationRequest = z.infer<typeof UpdateConversationRequest>;
