import { z } from "zod";
import { PlatformId } from "./platforms.ts";

/**
 * The data hub: KPIs, reports, the live dashboard, exports and quality checks.
 * Every figure is defined in docs/metrics.md; the names here are the ones used there.
 */

// ── Filters and ranges ───────────────────────────────────────────────────

export const analyticsGranularities = ["day", "week", "month"] as const;
export const AnalyticsGranularity = z.enum(analyticsGranularities);
export type AnalyticsGranularity = z.infer<typeof AnalyticsGranularity>;

/** The longest range a query may cover, in days (a year, leap day included). */
export const MAX_RANGE_DAYS = 366;

const isCalendarDate = (s: string): boolean => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};

/** A calendar date in the org's time zone, `2026-11-01`. */
export const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD")
  .refine(isCalendarDate, { message: "Not a calendar date" });

export const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;

/** `未分类` in the UI: a conversation the classifier has not tagged (yet). */
export const UNCLASSIFIED_INTENT = "";

/** The dimensions every figure can be filtered by. Unknown keys are refused. */
export const analyticsFilterShape = {
  storeId: z.string().max(64).optional(),
  platform: PlatformId.optional(),
  groupId: z.string().max(64).optional(),
  agentId: z.string().max(64).optional(),
  /** An intent label (`售后-退换货`), or `-` for conversations not classified. */
  intent: z.string().max(40).optional(),
  /** A product category (`鞋子类目`), or `-` for none. */
  category: z.string().max(40).optional(),
};

const rangeShape = {
  /** First local day, inclusive. */
  from: LocalDate,
  /** Last local day, inclusive. */
  to: LocalDate,
};

type Ranged = { from: string; to: string };
const rangeChecks = <T extends z.ZodType<Ranged>>(schema: T) =>
  schema
    .refine((q) => q.from <= q.to, { message: "The range ends before it starts (from > to)", path: ["to"] })
    .refine((q) => q.from > q.to || daysBetween(q.from, q.to) <= MAX_RANGE_DAYS, {
      message: `A range covers at most ${MAX_RANGE_DAYS} days`,
      path: ["to"],
    });

export const AnalyticsFilters = z.strictObject(analyticsFilterShape);
export type AnalyticsFilters = z.infer<typeof AnalyticsFilters>;

export const KpiQuery = rangeChecks(
  z.strictObject({ ...rangeShape, ...analyticsFilterShape, granularity: AnalyticsGranularity.default("day") }),
);
export type KpiQuery = z.infer<typeof KpiQuery>;

export const ReportQuery = rangeChecks(z.strictObject({ ...rangeShape, ...analyticsFilterShape }));
export type ReportQuery = z.infer<typeof ReportQuery>;

// ── KPIs ─────────────────────────────────────────────────────────────────

/** Each platform's own variant of the response-rate KPI, computed beside Yunxi's uniform one. */
export const PlatformVariants = z.object({
  /** 淘宝 3分钟响应率: rounds 08:00–24:00 answered within 3 min (bot replies count). */
  taobao3m: z.number().nullable(),
  /** 京东 首次30秒应答率: sessions started 09:00–23:00 with a first human reply within 30 s. */
  jdFirst30s: z.number().nullable(),
  /** 京东 平均响应时长 (s): rounds of sessions started 09:00–23:00, human replies. */
  jdAvgResponseSeconds: z.number().nullable(),
  /** 拼多多 有效回复率: buyer-days 08:00–23:00 without a message unanswered or answered after 1 h. */
  pddValidReplyRate: z.number().nullable(),
  /** 抖音 3分钟人工回复率: conversations reaching a human 08:00–22:59:59, answered by a human within 3 min. */
  douyinHuman3m: z.number().nullable(),
  /** 快手 人工3分钟回复率: buyer-days reaching a human 08:00–23:00, none left waiting 3 min for a human. */
  kuaishouHuman3m: z.number().nullable(),
});
export type PlatformVariants = z.infer<typeof PlatformVariants>;

/** Rates are fractions 0…1; times in seconds; amounts in fen. null: nothing to divide by. */
export const Kpis = z.object({
  inboundMessages: z.number(),
  humanMessages: z.number(),
  botMessages: z.number(),
  conversations: z.number(),
  /** Conversations an agent answered (counted once per agent and conversation). */
  handled: z.number(),
  rounds: z.number(),
  firstResponseAvgSeconds: z.number().nullable(),
  firstResponseMaxSeconds: z.number().nullable(),
  avgResponseSeconds: z.number().nullable(),
  maxResponseSeconds: z.number().nullable(),
  /** Yunxi's uniform 3-minute response rate. */
  responseRate3m: z.number().nullable(),
  responseRate: z.number().nullable(),
  /** Rounds not answered within an hour, of the rounds that started over an hour ago. */
  missedRate: z.number().nullable(),
  missedRounds: z.number(),
  humanFirstResponseAvgSeconds: z.number().nullable(),
  humanResponseRate3m: z.number().nullable(),
  consultingBuyers: z.number(),
  convertedBuyers: z.number(),
  convertedAmountCents: z.number(),
  inquiryConversionRate: z.number().nullable(),
  /** Platform ratings (评价) received. */
  evaluations: z.number(),
  /** Over platform ratings and answers to Yunxi's own survey together. */
  avgRating: z.number().nullable(),
  /** Ratings of 4–5 ÷ ratings, platform ratings and survey answers together. */
  csat: z.number().nullable(),
  /** The split: platform ratings alone, Yunxi's survey alone. */
  csatPlatform: z.number().nullable(),
  csatSurvey: z.number().nullable(),
  /** Survey invitations sent, answers recorded, answers ÷ invitations. */
  surveysSent: z.number(),
  surveyResponses: z.number(),
  surveyResponseRate: z.number().nullable(),
  complaints: z.number(),
  complaintRate: z.number().nullable(),
  paidOrders: z.number(),
  paidAmountCents: z.number(),
  repurchaseRate: z.number().nullable(),
  resolved: z.number(),
  resolutionAvgSeconds: z.number().nullable(),
  resolutionMaxSeconds: z.number().nullable(),
  botConversations: z.number(),
  handovers: z.number(),
  autoReplyCoverage: z.number().nullable(),
  handoverRate: z.number().nullable(),
  slaBreaches: z.number(),
  qcChecked: z.number(),
  qcAvgScore: z.number().nullable(),
  qcAlerts: z.number(),
  platformVariants: PlatformVariants,
});
export type Kpis = z.infer<typeof Kpis>;

export const ResolvedRange = z.object({
  from: z.string(),
  to: z.string(),
  /** The instants the local days begin and end (end exclusive). */
  start: z.string(),
  end: z.string(),
});
export type ResolvedRange = z.infer<typeof ResolvedRange>;

export const KpiPoint = z.object({ period: z.string(), start: z.string(), kpis: Kpis });

/** Whose figures the caller sees: everyone (admins), their groups' (supervisors), their own (agents, a supervisor in no group). */
export const analyticsOversights = ["all", "groups", "own"] as const;

/**
 * What the caller may cut the figures by (GET /api/analytics/scope): the agents, groups and
 * stores in their scope, so the report filters offer nothing that would be refused (403).
 * Agents include those disabled since (past periods have their figures).
 */
export const AnalyticsFilterScope = z.object({
  oversight: z.enum(analyticsOversights),
  agents: z.array(z.object({ id: z.string(), name: z.string() })),
  groups: z.array(z.object({ id: z.string(), name: z.string() })),
  /** The stores in scope; null = every store of the org. */
  storeIds: z.array(z.string()).nullable(),
});
export type AnalyticsFilterScope = z.infer<typeof AnalyticsFilterScope>;

export const KpiReport = z.object({
  timezone: z.string(),
  oversight: z.enum(analyticsOversights),
  granularity: AnalyticsGranularity,
  range: ResolvedRange,
  previousRange: ResolvedRange,
  current: Kpis,
  previous: Kpis,
  series: z.array(KpiPoint),
});
export type KpiReport = z.infer<typeof KpiReport>;

// ── Reports ──────────────────────────────────────────────────────────────

export const AgentReportRow = z.object({
  agentId: z.string(),
  name: z.string(),
  kpis: Kpis,
  previous: Kpis,
  /** Seconds online or busy in the range. */
  onlineSeconds: z.number(),
  /** Minutes with a reply sent ÷ minutes online; null when never online. */
  utilisation: z.number().nullable(),
});
export const AgentReport = z.object({
  timezone: z.string(),
  range: ResolvedRange,
  previousRange: ResolvedRange,
  items: z.array(AgentReportRow),
});
export type AgentReport = z.infer<typeof AgentReport>;

export const PlatformReportRow = z.object({
  platform: PlatformId,
  /** null on a platform's total row. */
  storeId: z.string().nullable(),
  label: z.string(),
  kpis: Kpis,
  previous: Kpis,
  /** The platform's own response KPI for this row, as the platform defines it. */
  platformKpi: z.object({ name: z.string(), value: z.number().nullable() }),
});
export const PlatformReport = z.object({
  timezone: z.string(),
  range: ResolvedRange,
  previousRange: ResolvedRange,
  platforms: z.array(PlatformReportRow),
  stores: z.array(PlatformReportRow),
});
export type PlatformReport = z.infer<typeof PlatformReport>;

export const PhraseCount = z.object({ text: z.string(), count: z.number() });

export const IntentReportRow = z.object({
  /** `""` = not classified. */
  intent: z.string(),
  conversations: z.number(),
  previousConversations: z.number(),
  share: z.number().nullable(),
  complaints: z.number(),
  categories: z.array(z.object({ category: z.string(), conversations: z.number() })),
  topQuestions: z.array(PhraseCount),
});
export const IntentReport = z.object({
  timezone: z.string(),
  range: ResolvedRange,
  previousRange: ResolvedRange,
  items: z.array(IntentReportRow),
  categories: z.array(z.object({ category: z.string(), conversations: z.number(), complaints: z.number() })),
  /** What complaints were about: their product categories and most frequent first lines. */
  complaintReasons: z.array(PhraseCount),
});
export type IntentReport = z.infer<typeof IntentReport>;

// ── Quality checks (质检) ─────────────────────────────────────────────────

export const qualityRuleIds = [
  "no_greeting",
  "closing_not_standard",
  "buyer_repeated",
  "wait_without_apology",
  "hold_without_return",
  "no_evaluation_invite",
] as const;
export const QualityRuleId = z.enum(qualityRuleIds);
export type QualityRuleId = z.infer<typeof QualityRuleId>;

export const qualityLevels = ["info", "warning", "critical"] as const;
export const QualityLevel = z.enum(qualityLevels);
export type QualityLevel = z.infer<typeof QualityLevel>;

export const QualityRule = z.strictObject({
  id: QualityRuleId,
  enabled: z.boolean(),
  /** Points taken off the conversation's 100 when the rule triggers. */
  score: z.number().int().min(0).max(100),
  level: QualityLevel,
  /** The phrases the rule looks for (greetings, closings, apologies, hold phrases, invitations). */
  phrases: z.array(z.string().trim().min(1).max(40)).max(50),
  /** Seconds: the wait before an apology is due, or the time to come back after a hold phrase. */
  seconds: z.number().int().min(10).max(86_400).nullable(),
});
export type QualityRule = z.infer<typeof QualityRule>;

export const QualityRuleSet = z.strictObject({
  rules: z
    .array(QualityRule)
    .max(qualityRuleIds.length)
    .refine((rules) => new Set(rules.map((r) => r.id)).size === rules.length, { message: "A rule appears twice" }),
});
export type QualityRuleSet = z.infer<typeof QualityRuleSet>;

export const QualityLine = z.object({
  messageId: z.string(),
  at: z.string(),
  sender: z.enum(["buyer", "agent", "bot"]),
  text: z.string(),
});
export type QualityLine = z.infer<typeof QualityLine>;

export const QualityFinding = z.object({
  rule: QualityRuleId,
  level: QualityLevel,
  score: z.number(),
  /** The lines that triggered it (the buyer's repeated lines, the reply without apology …). */
  lines: z.array(QualityLine),
});
export type QualityFinding = z.infer<typeof QualityFinding>;

export const ConversationQuality = z.object({
  conversationId: z.string(),
  agentId: z.string().nullable(),
  /** 100 minus the findings' scores, at least 0; null when not checked (not resolved, no human reply). */
  score: z.number().nullable(),
  findings: z.array(QualityFinding),
});
export type ConversationQuality = z.infer<typeof ConversationQuality>;

export const QualityReport = z.object({
  timezone: z.string(),
  range: ResolvedRange,
  rules: z.array(z.object({ rule: QualityRuleId, level: QualityLevel, triggered: z.number() })),
  agents: z.array(
    z.object({
      agentId: z.string(),
      name: z.string(),
      checked: z.number(),
      avgScore: z.number().nullable(),
      alerts: z.number(),
      byRule: z.record(z.string(), z.number()),
    }),
  ),
  /** The lowest-scoring conversations, with the lines behind each finding. */
  conversations: z.array(ConversationQuality.extend({ resolvedAt: z.string().nullable(), storeLabel: z.string() })),
});
export type QualityReport = z.infer<typeof QualityReport>;

// ── Drill-down ───────────────────────────────────────────────────────────

/** The numbers one can click through: each lists the conversations that make it up. */
export const drilldownMetrics = [
  "conversations",
  "handled",
  "rounds",
  "slow_rounds",
  "missed_rounds",
  "unanswered_rounds",
  "human_slow",
  "consulting_buyers",
  "converted_buyers",
  "not_converted_buyers",
  "evaluations",
  "unsatisfied_evaluations",
  "complaints",
  "resolved",
  "bot_conversations",
  "handovers",
  "sla_breaches",
  "qc_alerts",
] as const;
export const DrilldownMetric = z.enum(drilldownMetrics);
export type DrilldownMetric = z.infer<typeof DrilldownMetric>;

export const DrilldownQuery = rangeChecks(
  z.strictObject({
    ...rangeShape,
    ...analyticsFilterShape,
    metric: DrilldownMetric,
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).max(100_000).default(0),
  }),
);
export type DrilldownQuery = z.infer<typeof DrilldownQuery>;

export const DrilldownItem = z.object({
  conversationId: z.string(),
  storeId: z.string(),
  storeLabel: z.string(),
  platform: PlatformId,
  agentId: z.string().nullable(),
  agentName: z.string().nullable(),
  intent: z.string(),
  category: z.string(),
  startedAt: z.string().nullable(),
  firstQuestion: z.string(),
  firstResponseSeconds: z.number().nullable(),
  /** How much this conversation adds to the number (rounds, breaches …). */
  value: z.number(),
});
export const DrilldownResult = z.object({ total: z.number(), items: z.array(DrilldownItem) });
export type DrilldownResult = z.infer<typeof DrilldownResult>;

// ── Live dashboard ───────────────────────────────────────────────────────

export const DashboardQuery = z.strictObject({
  storeId: z.string().max(64).optional(),
  platform: PlatformId.optional(),
  groupId: z.string().max(64).optional(),
});
export type DashboardQuery = z.infer<typeof DashboardQuery>;

export const DashboardAgent = z.object({
  userId: z.string(),
  name: z.string(),
  status: z.string(),
  load: z.number(),
  capacity: z.number(),
  handledToday: z.number(),
  avgResponseSeconds: z.number().nullable(),
  responseRate3m: z.number().nullable(),
  conversionRate: z.number().nullable(),
  onlineSeconds: z.number(),
});

export const TrendPoint = z.object({ at: z.string(), inbound: z.number(), conversations: z.number() });

export const DashboardVolume = z.object({
  platform: PlatformId,
  storeId: z.string().nullable(),
  label: z.string(),
  inbound: z.number(),
  conversations: z.number(),
  csat: z.number().nullable(),
  complaintRate: z.number().nullable(),
  responseRate3m: z.number().nullable(),
  /** Buyer messages in the last 15 minutes, and per 15 minutes in the hour before. */
  last15: z.number(),
  previousHourPer15: z.number(),
  /** A jump (live-stream spike): last 15 min ≥ 2 × the previous hour's pace and ≥ 20 messages. */
  spike: z.boolean(),
  /** Today per 5 minutes (platform rows only). */
  trend: z.array(TrendPoint),
});

export const DashboardIntent = z.object({
  intent: z.string(),
  conversations: z.number(),
  share: z.number().nullable(),
  /** The most frequent first lines within the intent, most frequent first. */
  phrasings: z.array(PhraseCount),
  examples: z.array(z.string()),
});

export const Dashboard = z.object({
  generatedAt: z.string(),
  timezone: z.string(),
  today: z.string(),
  /** How far the rollups are behind the event log, in seconds (0 = up to date). */
  lagSeconds: z.number(),
  totals: Kpis,
  agents: z.array(DashboardAgent),
  platforms: z.array(DashboardVolume),
  stores: z.array(DashboardVolume),
  hotspots: z.object({
    top: z.array(DashboardIntent),
    /** Most grown in the last hour against the hour before. */
    growers: z.array(
      z.object({ intent: z.string(), lastHour: z.number(), previousHour: z.number(), growth: z.number() }),
    ),
  }),
  queue: z.object({
    open: z.number(),
    /** Waiting in the queue for an agent. */
    waiting: z.number(),
    longestWaitSeconds: z.number().nullable(),
    /** Open conversations whose last buyer message has no answer yet. */
    unanswered: z.number(),
    unansweredUnassigned: z.number(),
    slaBreachedOpen: z.number(),
    slaBreachesToday: z.number(),
  }),
});
export type Dashboard = z.infer<typeof Dashboard>;

// ── Exports ──────────────────────────────────────────────────────────────

export const exportFormats = ["xlsx", "pdf"] as const;
export const ExportFormat = z.enum(exportFormats);
export type ExportFormat = z.infer<typeof ExportFormat>;

export const exportStatuses = ["queued", "running", "done", "failed"] as const;
export const ExportStatus = z.enum(exportStatuses);

export const CreateExportRequest = rangeChecks(
  z.strictObject({
    ...rangeShape,
    filters: AnalyticsFilters.default({}),
    format: ExportFormat,
    granularity: AnalyticsGranularity.default("day"),
    /** Excel only: a sheet with one row per conversation (streamed, up to a million rows). */
    includeConversations: z.boolean().default(false),
  }),
);
export type CreateExportRequest = z.infer<typeof CreateExportRequest>;

export const ExportJob = z.object({
  id: z.string(),
  format: ExportFormat,
  status: ExportStatus,
  /** 0…100 */
  progress: z.number(),
  error: z.string().nullable(),
  fileName: z.string().nullable(),
  sizeBytes: z.number().nullable(),
  from: z.string(),
  to: z.string(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type ExportJob = z.infer<typeof ExportJob>;
export const ExportList = z.object({ items: z.array(ExportJob) });

// ── Settings ─────────────────────────────────────────────────────────────

export const AnalyticsSettings = z.strictObject({
  /** A consulting buyer converts when they pay in the store within this many hours. */
  conversionWindowHours: z.number().int().min(1).max(720),
});
export type AnalyticsSettings = z.infer<typeof AnalyticsSettings>;
