import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

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
    // Routing: priority (higher first), the group it is routed to, since when it waits for an agent.
    priority: integer("priority").notNull().default(0),
    priorityReasons: jsonb("priority_reasons").$type<string[]>().notNull().default([]),
    groupId: uuid("group_id"),
    queuedAt: timestamp("queued_at", { withTimezone: true }),
    assignedAt: timestamp("assigned_at", { withTimezone: true }),
    snoozedUntil: timestamp("snoozed_until", { withTimezone: true }),
    mergedIntoId: uuid("merged_into_id"),
    tags: jsonb("tags").$type<string[]>().notNull().default([]),
    /** The buyer wrote since the last triage: priority, SLA and the queue are to be worked out again. */
    needsTriage: boolean("needs_triage").notNull().default(false),
    // SLA: when each target is due (business time already counted in), and the targets missed.
    firstResponseDueAt: timestamp("first_response_due_at", { withTimezone: true }),
    nextResponseDueAt: timestamp("next_response_due_at", { withTimezone: true }),
    resolutionDueAt: timestamp("resolution_due_at", { withTimezone: true }),
    slaWarned: jsonb("sla_warned").$type<string[]>().notNull().default([]),
    slaBreaches: jsonb("sla_breaches").$type<string[]>().notNull().default([]),
  },
  (t) => [
    // At most one unresolved conversation per buyer identity and store, even under concurrent pushes.
    uniqueIndex("conversations_one_open").on(t.orgId, t.storeId, t.identityId).where(sql`status <> 'resolved'`),
    index("conversations_list").on(t.orgId, t.storeId, t.lastMessageAt),
    index("conversations_org_recent").on(t.orgId, t.lastMessageAt),
    // The router's work list: what waits for an agent, best first.
    index("conversations_queue").on(t.orgId, t.storeId, t.priority, t.queuedAt).where(sql`queued_at IS NOT NULL`),
    index("conversations_assignee").on(t.orgId, t.assigneeId).where(sql`status <> 'resolved'`),
    index("conversations_triage").on(t.orgId).where(sql`needs_triage`),
    index("conversations_customer").on(t.orgId, t.customerId),
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
    /** Users @mentioned in an internal note. */
    mentions: jsonb("mentions").$type<string[]>().notNull().default([]),
  },
  (t) => [
    uniqueIndex("messages_platform_id").on(t.storeId, t.platformMessageId),
    uniqueIndex("messages_client_key").on(t.orgId, t.senderId, t.clientKey),
    index("messages_conversation").on(t.conversationId, t.createdAt),
  ],
);

/** An agent's availability for routing. A user without a row is offline with the default capacity. */
export const agentStates = pgTable(
  "agent_states",
  {
    userId: uuid("user_id").primaryKey(),
    orgId: uuid("org_id").notNull(),
    /** online | busy | away | offline */
    status: text("status").notNull().default("offline"),
    capacity: integer("capacity").notNull().default(10),
    lastActiveAt: timestamp("last_active_at", { withTimezone: true }),
    statusChangedAt: timestamp("status_changed_at", { withTimezone: true }),
    /** For round-robin: the agent assigned longest ago goes next. */
    lastAssignedAt: timestamp("last_assigned_at", { withTimezone: true }),
  },
  (t) => [index("agent_states_org").on(t.orgId, t.status)],
);

/** Skill groups (售后组, 抖音组). */
export const agentGroups = pgTable(
  "agent_groups",
  {
    id: uuid("id").primaryKey(),
    orgId: uuid("org_id").notNull(),
    name: text("name").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("agent_groups_name").on(t.orgId, t.name)],
);

export const agentGroupMembers = pgTable(
  "agent_group_members",
  {
    orgId: uuid("org_id").notNull(),
    groupId: uuid("group_id").notNull(),
    userId: uuid("user_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] }), index("agent_group_members_user").on(t.orgId, t.userId)],
);

/** How one store's conversations are routed, and its SLA and business hours. No row = defaults. */
export const storeRouting = pgTable("store_routing", {
  storeId: uuid("store_id").primaryKey(),
  orgId: uuid("org_id").notNull(),
  autoAssign: boolean("auto_assign").notNull().default(true),
  strategy: text("strategy").notNull().default("least_busy"),
  groupId: uuid("group_id"),
  overflowGroupId: uuid("overflow_group_id"),
  overflowAfterSeconds: integer("overflow_after_seconds"),
  /** contracts SlaPolicy */
  sla: jsonb("sla").notNull(),
  /** contracts BusinessHours */
  businessHours: jsonb("business_hours").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const priorityRules = pgTable(
  "priority_rules",
  {
    id: uuid("id").primaryKey(),
    orgId: uuid("org_id").notNull(),
    storeId: uuid("store_id"),
    kind: text("kind").notNull(),
    match: text("match").notNull(),
    weight: integer("weight").notNull(),
    label: text("label").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("priority_rules_org").on(t.orgId)],
);

/** Every missed SLA target, kept for reports and the supervisors' breach list. */
export const slaBreaches = pgTable(
  "sla_breaches",
  {
    id: uuid("id").primaryKey(),
    orgId: uuid("org_id").notNull(),
    storeId: uuid("store_id").notNull(),
    conversationId: uuid("conversation_id").notNull(),
    kind: text("kind").notNull(),
    dueAt: timestamp("due_at", { withTimezone: true }).notNull(),
    breachedAt: timestamp("breached_at", { withTimezone: true }).notNull(),
    assigneeId: uuid("assignee_id"),
  },
  (t) => [
    uniqueIndex("sla_breaches_once").on(t.conversationId, t.kind, t.dueAt),
    index("sla_breaches_org").on(t.orgId, t.breachedAt),
  ],
);

/** Which events notify which roles, per org (contracts NotificationSettings). */
export const notificationSettings = pgTable("notification_settings", {
  orgId: uuid("org_id").primaryKey(),
  rules: jsonb("rules").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
