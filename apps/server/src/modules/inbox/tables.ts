import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const conversations = pgTable(
  "conversations",
  {
    id: uuid("id").primaryKey(),
    orgId: uuid("org_id").notNull(),
    storeId: uuid("store_id").notNull(),
    customerId: uuid("customer_id").notNull(),
    identityId: uuid("identity_id").notNull(),
    /** open | pending | resolved */
    status: text("status").notNull().default("open"),
    assigneeId: uuid("assignee_id"),
    unreadCount: integer("unread_count").notNull().default(0),
    lastMessagePreview: text("last_message_preview").notNull().default(""),
    lastMessageAt: timestamp("last_message_at", { withTimezone: true }).notNull(),
    // The timestamps KPIs are computed from (first response time, response rates).
    firstInboundAt: timestamp("first_inbound_at", { withTimezone: true }),
    firstResponseAt: timestamp("first_response_at", { withTimezone: true }),
    lastInboundAt: timestamp("last_inbound_at", { withTimezone: true }),
    lastOutboundAt: timestamp("last_outbound_at", { withTimezone: true }),
    /** The platform's read receipt: the buyer has read the store's messages up to here. */
    buyerReadAt: timestamp("buyer_read_at", { withTimezone: true }),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // At most one unresolved conversation per buyer identity and store, even under concurrent pushes.
    uniqueIndex("conversations_one_open").on(t.orgId, t.storeId, t.identityId).where(sql`status <> 'resolved'`),
    index("conversations_list").on(t.orgId, t.storeId, t.lastMessageAt),
    index("conversations_org_recent").on(t.orgId, t.lastMessageAt),
  ],
);

export const messages = pgTable(
  "messages",
  {
    id: uuid("id").primaryKey(),
    orgId: uuid("org_id").notNull(),
    conversationId: uuid("conversation_id").notNull(),
    storeId: uuid("store_id").notNull(),
    direction: text("direction").notNull(),
    senderType: text("sender_type").notNull(),
    senderId: uuid("sender_id"),
    kind: text("kind").notNull().default("text"),
    body: text("body").notNull(),
    /** Image, card or system-notice details (contracts MessageAttachment); body keeps a text rendering. */
    attachment: jsonb("attachment"),
    /** The platform's id: a repeated push of the same message is a no-op. */
    platformMessageId: text("platform_message_id"),
    /** The client's idempotency key of an agent reply: a repeated POST sends once. */
    clientKey: text("client_key"),
    deliveryStatus: text("delivery_status"),
    deliveryError: text("delivery_error"),
    deliveryAttempts: integer("delivery_attempts").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("messages_platform_id").on(t.storeId, t.platformMessageId),
    uniqueIndex("messages_client_key").on(t.orgId, t.senderId, t.clientKey),
    index("messages_conversation").on(t.conversationId, t.createdAt),
  ],
);
