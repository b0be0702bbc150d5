import { z } from "zod";
import { Intent } from "./assist.ts";
import { type OrderStatus, orderStatuses } from "./orders.ts";

/**
 * Order-aware auto-reply (assist module): per store, which buyer questions the bot
 * answers from the buyer's real order, with which words per order status, and when it
 * hands the conversation to a human. Every decision is logged for the metrics.
 */

const Id = z.string().max(64);
const Instant = z.iso.datetime({ offset: true });

export const autoReplyModes = ["business_hours", "always"] as const;
export const AutoReplyMode = z.enum(autoReplyModes);
export type AutoReplyMode = z.infer<typeof AutoReplyMode>;

// ── Template variables ───────────────────────────────────────────────────

/** Variables an auto-reply template may use, written `{订单号}`; filled from the order the bot found. */
export const autoReplyVariables = [
  "买家昵称",
  "订单号",
  "商品名",
  "承诺发货时间",
  "快递公司",
  "快递单号",
  "物流进度",
  "订单列表",
] as const;
export type AutoReplyVariable = (typeof autoReplyVariables)[number];

const baseVariables: AutoReplyVariable[] = ["买家昵称", "订单号", "商品名"];
const parcelVariables: AutoReplyVariable[] = [...baseVariables, "快递公司", "快递单号", "物流进度"];

/** What each status's template may use: a variable the order cannot have at that status would never fill. */
export const variablesForStatus: Record<OrderStatus, readonly AutoReplyVariable[]> = {
  unpaid: baseVariables,
  paid: [...baseVariables, "承诺发货时间"],
  shipped: parcelVariables,
  delivered: parcelVariables,
  completed: baseVariables,
  closed: baseVariables,
  refunding: baseVariables,
  refunded: baseVariables,
};

/** The question asked when the buyer has several candidate orders. */
export const askWhichOrderVariables: readonly AutoReplyVariable[] = ["买家昵称", "订单列表"];

/** `{订单号}` or `｛订单号｝` (full-width braces, as IMEs type them), spaces inside tolerated. */
const variablePattern = new RegExp(`[{｛]\\s*(${autoReplyVariables.join("|")})\\s*[}｝]`, "g");

/** The variables a template uses, each once, in order of first use. */
export function autoReplyVariablesIn(text: string): AutoReplyVariable[] {
  const found = new Set<AutoReplyVariable>();
  for (const m of text.matchAll(variablePattern)) found.add(m[1] as AutoReplyVariable);
  return [...found];
}

/**
 * Fill a template. A variable without a value is left as written and listed in
 * `missing`: the bot then hands over rather than sending a raw placeholder.
 */
export function fillAutoReply(
  text: string,
  values: Partial<Record<AutoReplyVariable, string | null | undefined>>,
): { text: string; missing: AutoReplyVariable[] } {
  const missing = new Set<AutoReplyVariable>();
  const filled = text.replace(variablePattern, (whole, name: AutoReplyVariable) => {
    const value = values[name];
    if (typeof value === "string" && value.trim() !== "") return value.trim();
    missing.add(name);
    return whole;
  });
  return { text: filled, missing: [...missing] };
}

// ── Rules ────────────────────────────────────────────────────────────────

const TemplateText = z.string().trim().min(1).max(1000);
const statusTemplateTexts = Object.fromEntries(orderStatuses.map((s) => [s, TemplateText.optional()])) as Record<
  OrderStatus,
  z.ZodOptional<typeof TemplateText>
>;

export const AutoReplyTemplates = z.object(
  Object.fromEntries(orderStatuses.map((s) => [s, z.string()])) as Record<OrderStatus, z.ZodString>,
);
export type AutoReplyTemplates = z.infer<typeof AutoReplyTemplates>;

/** The rules of one store (defaults until a supervisor saves some). */
export const AutoReplyRules = z.object({
  storeId: z.string(),
  enabled: z.boolean(),
  /** The intents the bot answers (物流-发货时间, 物流-物流查询 by default). */
  intents: z.array(Intent),
  /** The classifier's confidence the intent must reach, 0 … 1. */
  confidenceThreshold: z.number().min(0).max(1),
  mode: AutoReplyMode,
  /** Record what would have been sent, send nothing. */
  dryRun: z.boolean(),
  /** After this many bot answers in a row the next question goes to a human. */
  maxConsecutive: z.number().int().min(1).max(10),
  templates: AutoReplyTemplates,
  /** Asked when several orders could be meant; `{订单列表}` lists them. */
  askWhichOrder: z.string(),
  updatedAt: z.string().nullable(),
});
export type AutoReplyRules = z.infer<typeof AutoReplyRules>;

export const AutoReplyRulesList = z.object({ items: z.array(AutoReplyRules) });
export type AutoReplyRulesList = z.infer<typeof AutoReplyRulesList>;

/** Unknown variables used where they can never be filled, as `field: {变量}` messages (empty when fine). */
export function autoReplyTemplateProblems(input: {
  templates?: Partial<Record<OrderStatus, string>> | undefined;
  askWhichOrder?: string | undefined;
}): { path: string[]; message: string }[] {
  const problems: { path: string[]; message: string }[] = [];
  for (const status of orderStatuses) {
    const text = input.templates?.[status];
    if (text === undefined) continue;
    for (const v of autoReplyVariablesIn(text)) {
      if (!variablesForStatus[status].includes(v)) {
        problems.push({ path: ["templates", status], message: `{${v}} is not known for ${status} orders` });
      }
    }
  }
  if (input.askWhichOrder !== undefined) {
    for (const v of autoReplyVariablesIn(input.askWhichOrder)) {
      if (!askWhichOrderVariables.includes(v)) {
        problems.push({ path: ["askWhichOrder"], message: `{${v}} cannot be used when asking which order` });
      }
    }
  }
  return problems;
}

export const UpdateAutoReplyRulesRequest = z
  .strictObject({
    enabled: z.boolean().optional(),
    intents: z.array(Intent).max(32).optional(),
    confidenceThreshold: z.number().min(0).max(1).optional(),
    mode: AutoReplyMode.optional(),
    dryRun: z.boolean().optional(),
    maxConsecutive: z.number().int().min(1).max(10).optional(),
    templates: z.strictObject(statusTemplateTexts).optional(),
    askWhichOrder: TemplateText.optional(),
  })
  .superRefine((value, check) => {
    for (const p of autoReplyTemplateProblems(value)) {
      check.addIssue({ code: "custom", path: p.path, message: p.message });
    }
  });
export type UpdateAutoReplyRulesRequest = z.infer<typeof UpdateAutoReplyRulesRequest>;

// ── Decisions ────────────────────────────────────────────────────────────

export const autoReplyOutcomes = ["answered", "dry_run", "asked", "handed_over", "skipped"] as const;
export const AutoReplyOutcome = z.enum(autoReplyOutcomes);
export type AutoReplyOutcome = z.infer<typeof AutoReplyOutcome>;

/** Why the bot did what it did (translated in the UI). */
export const autoReplyReasons = [
  /** answered / dry-run from the order's status */
  "order_status",
  /** several candidate orders: asked which one */
  "several_orders",
  /** hand-overs */
  "asked_for_human",
  "out_of_scope",
  "low_confidence",
  "max_consecutive",
  "lookup_failed",
  "no_order",
  "still_ambiguous",
  "missing_value",
  /** paid, and the promised ship time has passed: a human apologises, the bot does not promise again */
  "ship_overdue",
  /** skipped */
  "out_of_hours",
  "agent_active",
] as const;
export const AutoReplyReason = z.enum(autoReplyReasons);
export type AutoReplyReason = z.infer<typeof AutoReplyReason>;

export const AutoReplyDecision = z.object({
  id: z.string(),
  storeId: z.string(),
  conversationId: z.string(),
  /** The buyer message that was answered (the newest of those read together). */
  messageId: z.string(),
  outcome: AutoReplyOutcome,
  reason: AutoReplyReason,
  intent: Intent,
  confidence: z.number(),
  /** The question was within the rules (intent in scope, confident enough). */
  inScope: z.boolean(),
  /** Decided under dry-run: nothing was sent, no note or tag written (a hand-over only recorded). */
  dryRun: z.boolean(),
  /** The platform order number the answer is about. */
  orderId: z.string().nullable(),
  /** What was (or, in dry-run, would have been) sent; for a hand-over, the note the agent sees. */
  text: z.string(),
  createdAt: z.string(),
});
export type AutoReplyDecision = z.infer<typeof AutoReplyDecision>;

export const AutoReplyDecisionQuery = z.strictObject({
  storeId: Id.optional(),
  conversationId: Id.optional(),
  outcome: AutoReplyOutcome.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: Instant.optional(),
});
export type AutoReplyDecisionQuery = z.infer<typeof AutoReplyDecisionQuery>;

export const AutoReplyDecisionList = z.object({ items: z.array(AutoReplyDecision) });
export type AutoReplyDecisionList = z.infer<typeof AutoReplyDecisionList>;

// ── Metrics ──────────────────────────────────────────────────────────────

/** A re-ask counts when the buyer asks the same intent again within this long after a bot answer. */
export const REASK_WINDOW_MINUTES = 10;

export const AutoReplyMetricsQuery = z.strictObject({
  from: Instant,
  to: Instant,
  storeId: Id.optional(),
});
export type AutoReplyMetricsQuery = z.infer<typeof AutoReplyMetricsQuery>;

export const AutoReplyStoreMetrics = z.object({
  /** null: all stores together. */
  storeId: z.string().nullable(),
  /** Buyer questions within the rules' scope (intent in scope, confident enough). */
  inquiries: z.number().int(),
  answered: z.number().int(),
  dryRun: z.number().int(),
  asked: z.number().int(),
  handedOver: z.number().int(),
  skipped: z.number().int(),
  /** answered ÷ inquiries; null without inquiries. */
  answeredShare: z.number().nullable(),
  /** handed over ÷ every question the bot acted on (answered, dry-run, asked, handed over). */
  handOverRate: z.number().nullable(),
  /** Bot answers (or dry-run answers) followed by the same intent from the buyer within 10 minutes. */
  reAsks: z.number().int(),
  /** reAsks ÷ (answered + dry-run). */
  reAskRate: z.number().nullable(),
});
export type AutoReplyStoreMetrics = z.infer<typeof AutoReplyStoreMetrics>;

export const AutoReplyMetrics = z.object({
  from: z.string(),
  to: z.string(),
  total: AutoReplyStoreMetrics,
  stores: z.array(AutoReplyStoreMetrics),
});
export type AutoReplyMetrics = z.infer<typeof AutoReplyMetrics>;

// ── Intent corrections ───────────────────────────────────────────────────

/** `POST /api/conversations/:id/intent`: an agent corrects the conversation's intent tag in one click. */
export const CorrectIntentRequest = z.strictObject({ intent: Intent });
export type CorrectIntentRequest = z.infer<typeof CorrectIntentRequest>;

/** One line of `yunxi export-corrections` (JSONL), read by `train-classifier --with-corrections`. */
export const IntentCorrectionLine = z.object({
  text: z.string(),
  predicted: Intent.nullable(),
  corrected: Intent,
  at: z.string().optional(),
});
export type IntentCorrectionLine = z.infer<typeof IntentCorrectionLine>;
