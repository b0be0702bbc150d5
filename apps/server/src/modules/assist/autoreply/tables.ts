import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

/** One store's auto-reply rules; a store without a row has the defaults (off). */
export const autoReplyRules = pgTable(
  "auto_reply_rules",
  {
    orgId: uuid("org_id").notNull(),
    storeId: uuid("store_id").notNull(),
    enabled: boolean("enabled").notNull().default(false),
    /** Intent labels (contracts Intent). */
    intents: jsonb("intents").$type<string[]>().notNull(),
    confidenceThreshold: real("confidence_threshold").notNull(),
    /** business_hours | always */
    mode: text("mode").notNull(),
    dryRun: boolean("dry_run").notNull().default(false),
    maxConsecutive: integer("max_consecutive").notNull(),
    /** Order status → template text (contracts AutoReplyTemplates). */
    templates: jsonb("templates").$type<Record<string, string>>().notNull(),
    askWhichOrder: text("ask_which_order").notNull(),
    updatedBy: uuid("updated_by"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.storeId] }), index("auto_reply_rules_enabled").on(t.orgId, t.enabled)],
);

/**
 * Every decision the bot took on a buyer message: answered, dry-run, asked which order,
 * handed over (with why), or skipped. One per buyer message (`message_id`), so a job
 * that runs again decides nothing twice. The metrics are counted from here.
 */
export const autoReplyDecisions = pgTable(
  "auto_reply_decisions",
  {
    id: uuid("id").primaryKey(),
    orgId: uuid("org_id").notNull(),
    storeId: uuid("store_id").notNull(),
    conversationId: uuid("conversation_id").notNull(),
    /** The newest buyer message of those answered together. */
    messageId: uuid("message_id").notNull(),
    /**
     * Every buyer message this decision took care of. Platforms stamp messages to the
     * second, so "after the bot's answer" cannot be told by time alone: a message is new
     * to the bot when no decision has read it.
     */
    readMessageIds: jsonb("read_message_ids").$type<string[]>().notNull().default([]),
    /** answered | dry_run | asked | handed_over | skipped (contracts AutoReplyOutcome) */
    outcome: text("outcome").notNull(),
    /** contracts AutoReplyReason */
    reason: text("reason").notNull(),
    intent: text("intent").notNull(),
    confidence: real("confidence").notNull(),
    inScope: boolean("in_scope").notNull(),
    /** Decided under dry-run: nothing was sent, no note or tag written. */
    dryRun: boolean("dry_run").notNull().default(false),
    /** The platform order number answered about. */
    orderId: text("order_id"),
    /** The order numbers offered when asking which one (a later "2" or number picks from them). */
    candidates: jsonb("candidates").$type<string[]>().notNull().default([]),
    text: text("text").notNull(),
    /** The bot's message, when one was sent. */
    replyMessageId: uuid("reply_message_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("auto_reply_decisions_message").on(t.orgId, t.messageId),
    index("auto_reply_decisions_store_time").on(t.orgId, t.storeId, t.createdAt),
    index("auto_reply_decisions_conversation").on(t.orgId, t.conversationId, t.createdAt),
  ],
);

/**
 * An agent's correction of the intent AI pre-review gave a conversation: the buyer's text,
 * what the model said, what it should have said. Exported (`yunxi export-corrections`)
 * and fed to the training script (`--with-corrections`).
 */
export const intentCorrections = pgTable(
  "intent_corrections",
  {
    id: uuid("id").primaryKey(),
    orgId: uuid("org_id").notNull(),
    storeId: uuid("store_id").notNull(),
    conversationId: uuid("conversation_id").notNull(),
    text: text("text").notNull(),
    /** The intent the tag had; null when it had none. */
    predicted: text("predicted"),
    corrected: text("corrected").notNull(),
    correctedBy: uuid("corrected_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("intent_corrections_org_time").on(t.orgId, t.createdAt)],
);
