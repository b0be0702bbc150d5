import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { type CounterName, counterDefs, isWideCounter } from "./counters.ts";

/** Nobody (a bot reply, an unassigned conversation): rollup keys need a value, not null. */
export const NO_AGENT = "00000000-0000-0000-0000-000000000000";

const counterBuilder = (def: (typeof counterDefs)[number]) =>
  isWideCounter(def.name)
    ? bigint(def.column, { mode: "number" }).notNull().default(0)
    : integer(def.column).notNull().default(0);

const counterColumns = () =>
  Object.fromEntries(counterDefs.map((def) => [def.name, counterBuilder(def)])) as Record<
    CounterName,
    ReturnType<typeof counterBuilder>
  >;

/**
 * What one source (a conversation, a buyer-day, a rating, an order) contributes to
 * each minute bucket, by agent. Recomputing a source replaces its rows; the rollups
 * of the keys it touched are then summed again from here, so a source counted twice
 * or changed later (a tag, a late reply) can never be double counted. Drill-down
 * reads the conversations behind a number from here.
 */
export const analyticsFacts = pgTable(
  "analytics_facts",
  {
    orgId: uuid("org_id").notNull(),
    sourceId: uuid("source_id").notNull(),
    /** conversation | buyer_day | evaluation | order */
    sourceKind: text("source_kind").notNull(),
    minute: timestamp("minute", { withTimezone: true }).notNull(),
    storeId: uuid("store_id").notNull(),
    agentId: uuid("agent_id").notNull(),
    intent: text("intent").notNull(),
    category: text("category").notNull(),
    /** The conversation this is about (a buyer-day's first, a rating's), for drill-down. */
    conversationId: uuid("conversation_id"),
    ...counterColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.sourceId, t.minute, t.agentId] }),
    index("analytics_facts_minute").on(t.orgId, t.minute),
  ],
);

/** Per minute × store × agent × intent × category: what dashboards and reports read. */
export const analyticsMinuteRollups = pgTable(
  "analytics_minute_rollups",
  {
    orgId: uuid("org_id").notNull(),
    minute: timestamp("minute", { withTimezone: true }).notNull(),
    storeId: uuid("store_id").notNull(),
    agentId: uuid("agent_id").notNull(),
    intent: text("intent").notNull(),
    category: text("category").notNull(),
    ...counterColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.minute, t.storeId, t.agentId, t.intent, t.category] }),
    // A key's minutes of one day, to sum its daily row again.
    index("analytics_minute_rollups_key").on(t.orgId, t.storeId, t.agentId, t.intent, t.category, t.minute),
    // The minutes an agent replied in, to count them per day (utilisation).
    index("analytics_minute_rollups_replied").on(t.orgId, t.agentId, t.minute).where(sql`human_msgs > 0`),
  ],
);

/**
 * The same per local day of the org (its time zone): reports over whole days read these
 * (a month is 30 rows per key instead of 43,200), the dashboard and today the minutes.
 * Each row is the sum of its day's minute rows, summed again whenever one of them changes.
 */
export const analyticsDailyRollups = pgTable(
  "analytics_daily_rollups",
  {
    orgId: uuid("org_id").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    storeId: uuid("store_id").notNull(),
    agentId: uuid("agent_id").notNull(),
    intent: text("intent").notNull(),
    category: text("category").notNull(),
    ...counterColumns(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.day, t.storeId, t.agentId, t.intent, t.category] })],
);

/*
 * Narrower rollups: the same counters with fewer dimensions, so an org-wide query sums a
 * few rows a day instead of one per store × agent × intent × category. Each row is the sum
 * of the full rollup rows it covers, summed again in the same transaction whenever one of
 * them changes (levels.ts); a query reads the narrowest that carries its filters and
 * grouping (queries.ts, rollupTable).
 */

/** Per minute × store: today's trend and the last hour's figures of the dashboard. */
export const analyticsStoreMinutes = pgTable(
  "analytics_store_minutes",
  {
    orgId: uuid("org_id").notNull(),
    minute: timestamp("minute", { withTimezone: true }).notNull(),
    storeId: uuid("store_id").notNull(),
    ...counterColumns(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.minute, t.storeId] })],
);

/** Per local day × store: org-wide and per-store reports (totals, series, platforms). */
export const analyticsStoreDays = pgTable(
  "analytics_store_days",
  {
    orgId: uuid("org_id").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    storeId: uuid("store_id").notNull(),
    ...counterColumns(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.day, t.storeId] })],
);

/** Per local day × store × agent: the agent report and an agent's own figures. */
export const analyticsStoreAgentDays = pgTable(
  "analytics_store_agent_days",
  {
    orgId: uuid("org_id").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    storeId: uuid("store_id").notNull(),
    agentId: uuid("agent_id").notNull(),
    ...counterColumns(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.day, t.storeId, t.agentId] })],
);

/** Per local day × store × intent × category: customer needs, and intent or category filters. */
export const analyticsStoreIntentDays = pgTable(
  "analytics_store_intent_days",
  {
    orgId: uuid("org_id").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    storeId: uuid("store_id").notNull(),
    intent: text("intent").notNull(),
    category: text("category").notNull(),
    ...counterColumns(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.day, t.storeId, t.intent, t.category] })],
);

/** Per agent and local day: the minutes in which the agent sent at least one reply (utilisation). */
export const analyticsAgentDays = pgTable(
  "analytics_agent_days",
  {
    orgId: uuid("org_id").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    agentId: uuid("agent_id").notNull(),
    activeMinutes: integer("active_minutes").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.day, t.agentId] })],
);

/** How far each org's event log has been consumed: moved in the same transaction as the rollups. */
export const analyticsCursors = pgTable("analytics_cursors", {
  orgId: uuid("org_id").primaryKey(),
  lastSeq: bigint("last_seq", { mode: "number" }).notNull().default(0),
  /** When the last consumed event was logged: the dashboard's lag. */
  lastEventAt: timestamp("last_event_at", { withTimezone: true }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** One row per conversation: drill-down lists, top questions, and quality-check results. */
export const analyticsConversations = pgTable(
  "analytics_conversations",
  {
    conversationId: uuid("conversation_id").primaryKey(),
    orgId: uuid("org_id").notNull(),
    storeId: uuid("store_id").notNull(),
    platform: text("platform").notNull(),
    customerId: uuid("customer_id").notNull(),
    identityId: uuid("identity_id").notNull(),
    agentId: uuid("agent_id"),
    intent: text("intent").notNull(),
    category: text("category").notNull(),
    /** The first buyer message; null when the buyer never wrote. */
    startedAt: timestamp("started_at", { withTimezone: true }),
    /** The first buyer line, normalised (top questions group by it). */
    firstQuestion: text("first_question").notNull(),
    rounds: integer("rounds").notNull(),
    unansweredRounds: integer("unanswered_rounds").notNull(),
    firstResponseMs: bigint("first_response_ms", { mode: "number" }),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    complaint: boolean("complaint").notNull(),
    /** Quality check: null when not checked (open, or no human reply). */
    qcScore: integer("qc_score"),
    /** contracts QualityFinding[] */
    qcFindings: jsonb("qc_findings").notNull().default([]),
    qcLevel: text("qc_level"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("analytics_conversations_started").on(t.orgId, t.startedAt),
    index("analytics_conversations_resolved").on(t.orgId, t.resolvedAt),
    // A first line's conversations of one day, to count them again (analytics_question_days).
    index("analytics_conversations_question").on(
      t.orgId,
      t.storeId,
      t.intent,
      t.category,
      t.firstQuestion,
      t.startedAt,
    ),
  ],
);

/**
 * First buyer lines counted per local day × store × intent × category (top questions and
 * the dashboard's latest examples without grouping the conversation rows): the count of
 * the conversations of that day with that first line, of those tagged 投诉, and when the
 * latest of them started. Counted again from analytics_conversations whenever one of its
 * conversations changes (questions.ts).
 */
export const analyticsQuestionDays = pgTable(
  "analytics_question_days",
  {
    orgId: uuid("org_id").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    storeId: uuid("store_id").notNull(),
    intent: text("intent").notNull(),
    category: text("category").notNull(),
    question: text("question").notNull(),
    conversations: integer("conversations").notNull(),
    complaints: integer("complaints").notNull(),
    lastStartedAt: timestamp("last_started_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.day, t.storeId, t.intent, t.category, t.question] })],
);

/**
 * Agents' status history (agent_states keeps only the present), from agent.updated
 * events: online time and utilisation are read from here.
 */
export const analyticsPresence = pgTable(
  "analytics_presence",
  {
    orgId: uuid("org_id").notNull(),
    userId: uuid("user_id").notNull(),
    /** online | busy | away | offline */
    status: text("status").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.userId, t.startedAt] }),
    index("analytics_presence_time").on(t.orgId, t.startedAt),
  ],
);

/** Per org: the conversion window and the quality rules (null = the defaults). */
export const analyticsSettings = pgTable("analytics_settings", {
  orgId: uuid("org_id").primaryKey(),
  conversionWindowHours: integer("conversion_window_hours").notNull().default(24),
  /** contracts QualityRule[] */
  qualityRules: jsonb("quality_rules"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Report exports, run as jobs; the file lives in DATA_DIR/exports once done. */
export const analyticsExports = pgTable(
  "analytics_exports",
  {
    id: uuid("id").primaryKey(),
    orgId: uuid("org_id").notNull(),
    requestedBy: uuid("requested_by").notNull(),
    format: text("format").notNull(),
    /** queued | running | done | failed */
    status: text("status").notNull().default("queued"),
    progress: integer("progress").notNull().default(0),
    /** The request (range, filters, granularity) and the requester's scope. */
    params: jsonb("params").notNull(),
    error: text("error"),
    fileName: text("file_name"),
    sizeBytes: bigint("size_bytes", { mode: "number" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("analytics_exports_org").on(t.orgId, t.createdAt)],
);
