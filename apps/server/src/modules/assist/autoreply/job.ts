import {
  type AutoReplyDecision,
  type AutoReplyOutcome,
  type AutoReplyReason,
  type AutoReplyRules,
  autoReplyVariablesIn,
  fillAutoReply,
  type Intent,
  type OrderStatus,
} from "@yunxi/contracts";
import { and, desc, eq } from "drizzle-orm";
import type { AppContext } from "../../../platform/context.ts";
import type { Executor } from "../../../platform/db/client.ts";
import { newId } from "../../../platform/db/ids.ts";
import { jobs } from "../../../platform/jobs/tables.ts";
import { identitiesByIds } from "../../customers/index.ts";
import { getOrg } from "../../identity/index.ts";
import {
  conversationForBot,
  HANDOVER_TAG,
  handOverToHuman,
  isWithinBusinessHours,
  type MessageRow,
  onTriaged,
  recentMessagesForBot,
  sendBotReply,
  storeRoutings,
  type TriageListener,
} from "../../inbox/index.ts";
import { orderLogisticsInStore, syncBuyerOrders } from "../../orders/index.ts";
import { classify } from "../classifier/index.ts";
import {
  asksForHuman,
  chooseOrder,
  consecutiveBotAnswers,
  formatChineseTime,
  latestNodeText,
  orderListText,
  orderValues,
  pickOffered,
} from "./decide.ts";
import { presentDecision } from "./decisions.ts";
import { enabledStoreIds, rulesOfStore } from "./rules.ts";
import { autoReplyDecisions } from "./tables.ts";

/**
 * The auto-reply job: after triage, a buyer's question in a store whose bot is on is
 * answered from the buyer's real order (asked from the platform), or handed to a human
 * with the reason in an internal note. Every decision is logged, once per buyer message.
 */
export const AUTO_REPLY_QUEUE = "assist-autoreply";

/** An agent who replied this recently is talking with the buyer: the bot keeps out. */
const AGENT_ACTIVE_MS = 30 * 60_000;
/** The buyer's unanswered messages read together (as triage reads them). */
const READ_TOGETHER = 5;

type ConversationRow = NonNullable<Awaited<ReturnType<typeof conversationForBot>>>;

/**
 * Inside the triage transaction: one job per conversation of a store with the bot on that
 * the buyer wrote in and no human has taken over. (Whether there is anything new to
 * answer, the job tells from its decision log: platform times are to the second.)
 */
const enqueueAutoReplies: TriageListener = async (tx, orgId, triaged) => {
  const waiting = triaged.filter(
    (c) => c.status === "open" && !c.tags.includes(HANDOVER_TAG) && c.lastInboundAt !== null,
  );
  if (waiting.length === 0) return;
  const enabled = await enabledStoreIds(tx, orgId);
  const due = waiting.filter((c) => enabled.has(c.storeId));
  if (due.length === 0) return;
  // One statement for the whole batch (PGlite pays per statement).
  await tx.insert(jobs).values(
    due.map((c) => ({
      orgId,
      queue: AUTO_REPLY_QUEUE,
      payload: { conversationId: c.id },
      orderingKey: `autoreply:${c.id}`,
      maxAttempts: 3,
      runAt: new Date(),
    })),
  );
};

/** Listen to triage and run the job (once per process). */
export function registerAutoReply(ctx: AppContext): void {
  onTriaged(enqueueAutoReplies);
  ctx.jobs.register(
    AUTO_REPLY_QUEUE,
    async (job) => {
      await answerConversation(ctx, job.orgId, String(job.payload.conversationId));
    },
    // The bot could not decide: a human must (never silence).
    async (job, error) => {
      const conversationId = String(job.payload.conversationId);
      ctx.log.error({ err: error, conversationId }, "auto-reply failed, handing over");
      await handOverToHuman(ctx, job.orgId, conversationId, "【机器人转人工】自动回复出错，请人工处理。");
    },
  );
}

const reasonNotes: Record<Exclude<AutoReplyReason, "order_status" | "several_orders">, string> = {
  asked_for_human: "买家要求人工客服。",
  out_of_scope: "买家的问题超出自动回复范围。",
  low_confidence: "无法确定买家的意图（置信度低于设定值）。",
  max_consecutive: "机器人已连续回答多次，请人工跟进。",
  lookup_failed: "查询订单失败（平台接口异常），未自动回复。",
  no_order: "未查到该买家在本店的相关订单。",
  still_ambiguous: "买家有多笔订单，追问后仍无法确定是哪一笔。",
  missing_value: "订单信息不全，无法按模板自动回复。",
  ship_overdue: "订单已超过承诺发货时间仍未发货，请人工跟进安抚。",
  out_of_hours: "非营业时间。",
  agent_active: "客服正在接待。",
};

interface Facts {
  ctx: AppContext;
  orgId: string;
  conversation: ConversationRow;
  rules: AutoReplyRules;
  trigger: MessageRow;
  /** Every buyer message this decision takes care of. */
  unanswered: MessageRow[];
  intent: Intent;
  confidence: number;
  inScope: boolean;
}

/**
 * Decide for the buyer's newest unanswered message of one conversation, act (send, ask,
 * hand over — or, under dry-run, only record), and return the decision; null when there
 * is nothing to decide (answered already, bot off, a human has it).
 */
export async function answerConversation(
  ctx: AppContext,
  orgId: string,
  conversationId: string,
): Promise<AutoReplyDecision | null> {
  const conversation = await conversationForBot(ctx.db, orgId, conversationId);
  if (!conversation || conversation.status === "resolved" || conversation.tags.includes(HANDOVER_TAG)) return null;
  const rules = await rulesOfStore(ctx.db, orgId, conversation.storeId);
  if (!rules.enabled) return null;

  const thread = await recentMessagesForBot(ctx.db, orgId, conversationId, 30);
  const earlier = await pastDecisions(ctx.db, orgId, conversationId);
  // Under dry-run a recorded hand-over ends the bot's part as a real one would.
  if (earlier.some((d) => d.outcome === "handed_over" && d.dryRun)) return null;
  const read = new Set(earlier.flatMap((d) => [d.messageId, ...d.readMessageIds]));
  const lastAgent = thread.findLast((m) => m.direction === "outbound" && m.senderType === "agent");
  // What the buyer wrote that neither the bot has read nor an agent has answered since.
  const unanswered = thread.filter(
    (m) =>
      m.direction === "inbound" &&
      !read.has(m.id) &&
      (lastAgent === undefined || m.createdAt.getTime() > lastAgent.createdAt.getTime()),
  );
  const trigger = unanswered.at(-1);
  if (!trigger) return null;

  const text = unanswered
    .slice(-READ_TOGETHER)
    .map((m) => m.body)
    .join("\n");
  const classification = classify(text);
  const previous = earlier[0];
  const offered =
    previous && previous.reason === "several_orders" && previous.candidates.length > 0 ? previous.candidates : null;
  // The buyer answering the bot's "which order?" continues the question they asked.
  const answersQuestion = offered !== null && previous !== undefined && pickOffered(text, offered) !== null;
  const intent = answersQuestion ? (previous.intent as Intent) : classification.intent;
  const confidence = answersQuestion ? previous.confidence : classification.confidence;
  const confident = confidence >= rules.confidenceThreshold;
  const facts: Facts = {
    ctx,
    orgId,
    conversation,
    rules,
    trigger,
    unanswered,
    intent,
    confidence,
    inScope: confident && rules.intents.includes(intent),
  };

  const now = ctx.now();
  const org = await getOrg(ctx.db, orgId);
  if (rules.mode === "business_hours") {
    const routing = (await storeRoutings(ctx.db, orgId, [conversation.storeId])).get(conversation.storeId)!;
    if (!isWithinBusinessHours(now, routing.businessHours, org.timezone)) return skip(facts, "out_of_hours");
  }
  // An agent talking with the buyer (their reply the latest, and recent): the bot keeps out.
  const latestOutbound = thread.findLast((m) => m.direction === "outbound");
  if (
    latestOutbound !== undefined &&
    latestOutbound === lastAgent &&
    now.getTime() - latestOutbound.createdAt.getTime() < AGENT_ACTIVE_MS
  ) {
    return skip(facts, "agent_active");
  }
  if (asksForHuman(text)) return handOver(facts, "asked_for_human");

  const inARow = consecutiveBotAnswers(earlier, lastAgent?.createdAt ?? null);
  const detail = `意图：${intent}（置信度 ${confidence.toFixed(2)}）`;
  // Out of scope: where the bot has not spoken, routing simply brings a human; where it has, it says so.
  if (!confident) return inARow > 0 ? handOver(facts, "low_confidence", detail) : skip(facts, "low_confidence");
  if (!rules.intents.includes(intent)) {
    return inARow > 0 ? handOver(facts, "out_of_scope", detail) : skip(facts, "out_of_scope");
  }
  if (inARow >= rules.maxConsecutive) return handOver(facts, "max_consecutive", `已连续回答 ${inARow} 次。`);

  // The buyer's orders, asked from the platform now: what we stored may be stale.
  const identity = (await identitiesByIds(ctx.db, orgId, [conversation.identityId])).get(conversation.identityId);
  if (!identity) return handOver(facts, "lookup_failed");
  let synced: Awaited<ReturnType<typeof syncBuyerOrders>>;
  try {
    synced = await syncBuyerOrders(
      ctx,
      { orgId, storeId: conversation.storeId, customerId: conversation.customerId, identityId: identity.identityId },
      { platformBuyerId: identity.platformBuyerId, displayName: identity.displayName },
    );
  } catch (err) {
    ctx.log.warn({ err, conversationId }, "auto-reply order lookup failed");
    return handOver(facts, "lookup_failed");
  }
  if (synced.source !== "platform") return handOver(facts, "lookup_failed");

  const choice = chooseOrder(synced.rows, {
    text,
    namedNumbers: classification.entities.orderNumbers,
    offered,
    now,
  });
  if (choice.kind === "none") {
    return handOver(facts, "no_order", choice.named.length > 0 ? `买家提到的订单号：${choice.named.join("、")}` : "");
  }
  if (choice.kind === "several") {
    const numbers = choice.orders.slice(0, 5).map((o) => o.platformOrderId);
    if (offered) return handOver(facts, "still_ambiguous", `候选订单：${numbers.join("、")}`);
    const filled = fillAutoReply(rules.askWhichOrder, {
      买家昵称: identity.displayName,
      订单列表: orderListText(choice.orders),
    });
    if (filled.missing.length > 0) return handOver(facts, "missing_value", `缺少：${filled.missing.join("、")}`);
    return answer(facts, "several_orders", filled.text, null, numbers);
  }

  const order = choice.order;
  if (order.status === "paid" && order.promisedShipAt !== null && order.promisedShipAt < now) {
    const promised = formatChineseTime(order.promisedShipAt, org.timezone);
    return handOver(
      facts,
      "ship_overdue",
      `订单 ${order.platformOrderId} 承诺 ${promised} 前发货。`,
      order.platformOrderId,
    );
  }
  const template = facts.rules.templates[order.status as OrderStatus];
  if (!template) return handOver(facts, "out_of_scope", `订单状态：${order.status}`, order.platformOrderId);
  const values = orderValues(order, identity.displayName, org.timezone);
  if (autoReplyVariablesIn(template).includes("物流进度")) {
    try {
      const trace = await orderLogisticsInStore(ctx, orgId, conversation.storeId, order.platformOrderId);
      values.物流进度 = latestNodeText(trace.nodes, org.timezone);
      values.快递公司 ??= trace.carrier;
      values.快递单号 ??= trace.trackingNo;
    } catch (err) {
      ctx.log.warn({ err, conversationId }, "auto-reply logistics lookup failed");
      return handOver(facts, "lookup_failed", `订单 ${order.platformOrderId} 的物流`, order.platformOrderId);
    }
  }
  const filled = fillAutoReply(template, values);
  if (filled.missing.length > 0) {
    return handOver(
      facts,
      "missing_value",
      `订单 ${order.platformOrderId} 缺少：${filled.missing.join("、")}`,
      order.platformOrderId,
    );
  }
  return answer(facts, "order_status", filled.text, order.platformOrderId, []);
}

async function pastDecisions(db: Executor, orgId: string, conversationId: string) {
  return db
    .select()
    .from(autoReplyDecisions)
    .where(and(eq(autoReplyDecisions.orgId, orgId), eq(autoReplyDecisions.conversationId, conversationId)))
    .orderBy(desc(autoReplyDecisions.createdAt))
    .limit(50);
}

async function record(
  facts: Facts,
  outcome: AutoReplyOutcome,
  reason: AutoReplyReason,
  fields: { text: string; orderId?: string | null; candidates?: string[]; replyMessageId?: string | null },
): Promise<AutoReplyDecision | null> {
  const [row] = await facts.ctx.db
    .insert(autoReplyDecisions)
    .values({
      id: newId(),
      orgId: facts.orgId,
      storeId: facts.conversation.storeId,
      conversationId: facts.conversation.id,
      messageId: facts.trigger.id,
      readMessageIds: facts.unanswered.map((m) => m.id),
      outcome,
      reason,
      intent: facts.intent,
      confidence: facts.confidence,
      inScope: facts.inScope,
      dryRun: facts.rules.dryRun,
      orderId: fields.orderId ?? null,
      candidates: fields.candidates ?? [],
      text: fields.text,
      replyMessageId: fields.replyMessageId ?? null,
      createdAt: facts.ctx.now(),
    })
    .onConflictDoNothing()
    .returning();
  return row ? presentDecision(row) : null;
}

const skip = (facts: Facts, reason: AutoReplyReason) => record(facts, "skipped", reason, { text: "" });

/** Send (or, under dry-run, only record) the bot's answer or its question. */
async function answer(
  facts: Facts,
  reason: "order_status" | "several_orders",
  text: string,
  orderId: string | null,
  candidates: string[],
): Promise<AutoReplyDecision | null> {
  if (facts.rules.dryRun) return record(facts, "dry_run", reason, { text, orderId, candidates });
  // Keyed by the buyer message: a job that runs again after a crash sends once.
  const sent = await sendBotReply(facts.ctx, facts.orgId, facts.conversation.id, text, `autoreply:${facts.trigger.id}`);
  return record(facts, reason === "order_status" ? "answered" : "asked", reason, {
    text,
    orderId,
    candidates,
    replyMessageId: sent?.id ?? null,
  });
}

/** The note the agent reads, the 转人工 tag and back in the queue (under dry-run: only recorded). */
async function handOver(
  facts: Facts,
  reason: Exclude<AutoReplyReason, "order_status" | "several_orders">,
  detail = "",
  orderId: string | null = null,
): Promise<AutoReplyDecision | null> {
  const lines = [`【机器人转人工】${reasonNotes[reason]}`, detail].filter((l) => l !== "");
  if (reason !== "low_confidence" && reason !== "out_of_scope") {
    lines.push(`意图：${facts.intent}（置信度 ${facts.confidence.toFixed(2)}）`);
  }
  const note = lines.join("\n");
  if (!facts.rules.dryRun) await handOverToHuman(facts.ctx, facts.orgId, facts.conversation.id, note);
  return record(facts, "handed_over", reason, { text: note, orderId });
}
