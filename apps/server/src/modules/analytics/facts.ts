import { createHash } from "node:crypto";
import {
  type BusinessHours,
  intents,
  productCategories,
  type QualityFinding,
  type QualityLevel,
  type QualityRule,
} from "@yunxi/contracts";
import { addCounters, type Counters, isZero, zeroCounters } from "./counters.ts";
import { checkQuality, highestLevel, isAlert, qualityScore } from "./quality.ts";
import { NO_AGENT } from "./tables.ts";
import { addDays, floorMinute, inDailyWindow, isOpenAt, localTime, startOfLocalDay } from "./time.ts";

/**
 * The KPI definitions, as code: what each source (a conversation, a buyer-day, a
 * rating, a paid order) contributes to which minute and which agent. Pure
 * functions of raw rows, so the live consumer and the rebuild compute the same
 * numbers by construction, and fixtures test the definitions without a database.
 * docs/metrics.md states each definition in words and points here.
 */

export const THREE_MINUTES_MS = 180_000;
export const ONE_HOUR_MS = 3_600_000;
export const JD_FIRST_REPLY_MS = 30_000;

/** Each platform's own daily window, in local minutes [start, end). */
export const platformWindows = {
  /** 淘宝/天猫: 08:00–24:00 */
  taobao: [8 * 60, 24 * 60],
  /** 京东: sessions started 23:00–09:00 are excluded */
  jd: [9 * 60, 23 * 60],
  /** 拼多多: 08:00–23:00 */
  pdd: [8 * 60, 23 * 60],
  /** 抖音: 08:00–22:59:59 */
  douyin: [8 * 60, 23 * 60],
  /** 快手: 08:00–23:00 */
  kuaishou: [8 * 60, 23 * 60],
} as const satisfies Record<string, readonly [number, number]>;

// ── Inputs ───────────────────────────────────────────────────────────────

export type Sender = "buyer" | "human" | "bot";

/**
 * A line that counts: a buyer's message (at the platform's send time), or a reply
 * by an agent (human) or the bot that reached the buyer (at its delivery time).
 * Internal notes, system notices, and replies pending or failed are not lines.
 */
export interface TimelineMessage {
  id: string;
  at: number;
  kind: Sender;
  senderId: string | null;
  text: string;
}

export interface ConversationRecord {
  id: string;
  orgId: string;
  storeId: string;
  platform: string;
  customerId: string;
  identityId: string;
  status: string;
  assigneeId: string | null;
  resolvedAt: number | null;
  tags: string[];
  mergedIntoId: string | null;
  /** In time order (see `sortTimeline`). */
  timeline: TimelineMessage[];
  breaches: { breachedAt: number; assigneeId: string | null }[];
}

export interface FactEnv {
  timeZone: string;
  businessHours(storeId: string): BusinessHours;
  conversionWindowMs: number;
  qualityRules: QualityRule[];
}

const senderRank: Record<Sender, number> = { buyer: 0, human: 1, bot: 1 };

/** Time order; at the same instant the buyer's line comes first (a reply cannot precede what it answers). */
export function sortTimeline(lines: TimelineMessage[]): TimelineMessage[] {
  return lines.sort(
    (a, b) => a.at - b.at || senderRank[a.kind] - senderRank[b.kind] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

// ── Rounds ───────────────────────────────────────────────────────────────

/**
 * A round (轮次): from the buyer's first message after the last reply (or the
 * conversation's start) up to the first reply; later buyer lines before that
 * reply belong to the same round.
 */
export interface Round {
  start: number;
  buyerMessages: TimelineMessage[];
  /** Every reply after the round's start and before the buyer's next line. */
  replies: TimelineMessage[];
  firstReply: TimelineMessage | null;
  firstHuman: TimelineMessage | null;
  /**
   * When the buyer needed a human in this round: its start when a human answered
   * first or nobody did; the bot's hand-over line when the bot answered and a human
   * followed; null when the bot alone answered.
   */
  humanNeededAt: number | null;
  humanReply: TimelineMessage | null;
}

export interface Analysis {
  record: ConversationRecord;
  intent: string;
  category: string;
  complaint: boolean;
  /** The assignee, else the last agent who replied, else nobody (NO_AGENT). */
  owner: string;
  rounds: Round[];
  firstBuyerAt: number | null;
  firstBotAt: number | null;
}

const intentsLongestFirst = [...intents].sort((a, b) => b.length - a.length);
const categories = new Set<string>(productCategories);

/** The intent and product category of a conversation from its first intent tag (`售后-退换货-鞋子类目`). */
export function intentOf(tags: string[]): { intent: string; category: string } {
  for (const tag of tags) {
    const intent = intentsLongestFirst.find((label) => tag === label || tag.startsWith(`${label}-`));
    if (!intent) continue;
    const category = tag.split("-").find((part) => categories.has(part)) ?? "";
    return { intent, category };
  }
  return { intent: "", category: "" };
}

export function analyse(record: ConversationRecord): Analysis {
  const rounds: Round[] = [];
  let current: Round | null = null;
  for (const m of record.timeline) {
    if (m.kind === "buyer") {
      if (!current || current.firstReply) {
        current = {
          start: m.at,
          buyerMessages: [m],
          replies: [],
          firstReply: null,
          firstHuman: null,
          humanNeededAt: null,
          humanReply: null,
        };
        rounds.push(current);
      } else {
        current.buyerMessages.push(m);
      }
    } else if (current) {
      current.replies.push(m);
      current.firstReply ??= m;
      if (m.kind === "human") current.firstHuman ??= m;
    }
  }
  for (const r of rounds) {
    if (!r.firstReply || r.firstReply.kind === "human") {
      r.humanNeededAt = r.start;
      r.humanReply = r.firstReply;
    } else if (r.firstHuman) {
      const human = r.firstHuman;
      const handOver = r.replies.filter((x) => x.kind === "bot" && x.at <= human.at).at(-1);
      r.humanNeededAt = handOver?.at ?? r.start;
      r.humanReply = human;
    }
  }
  const lastHuman = record.timeline.findLast((m) => m.kind === "human" && m.senderId);
  const { intent, category } = intentOf(record.tags);
  return {
    record,
    intent,
    category,
    complaint: intent === "投诉" || record.tags.some((t) => t.startsWith("投诉")),
    owner: record.assigneeId ?? lastHuman?.senderId ?? NO_AGENT,
    rounds,
    firstBuyerAt: record.timeline.find((m) => m.kind === "buyer")?.at ?? null,
    firstBotAt: record.timeline.find((m) => m.kind === "bot")?.at ?? null,
  };
}

/** Who a round counts for: the agent who answered, nobody for the bot, else the owner. */
export function responderOf(a: Analysis, r: Round): string {
  if (!r.firstReply) return a.owner;
  return r.firstReply.kind === "human" ? (r.firstReply.senderId ?? NO_AGENT) : NO_AGENT;
}

const humanResponderOf = (a: Analysis, r: Round): string => r.humanReply?.senderId ?? a.owner;

// ── Facts ────────────────────────────────────────────────────────────────

export type SourceKind = "conversation" | "buyer_day" | "evaluation" | "survey" | "order";

export interface FactRow {
  sourceId: string;
  sourceKind: SourceKind;
  minute: number;
  storeId: string;
  agentId: string;
  intent: string;
  category: string;
  conversationId: string | null;
  counters: Counters;
}

type FactBase = Omit<FactRow, "minute" | "agentId" | "counters">;

class FactSink {
  readonly #rows = new Map<string, FactRow>();
  readonly #base: FactBase;
  constructor(base: FactBase) {
    this.#base = base;
  }
  add(at: number, agentId: string, counters: Partial<Counters>): void {
    const minute = floorMinute(at);
    const key = `${minute}|${agentId}`;
    let row = this.#rows.get(key);
    if (!row) {
      row = { ...this.#base, minute, agentId, counters: zeroCounters() };
      this.#rows.set(key, row);
    }
    addCounters(row.counters, counters);
  }
  rows(): FactRow[] {
    return [...this.#rows.values()].filter((r) => !isZero(r.counters));
  }
}

const flag = (condition: boolean): number => (condition ? 1 : 0);

/** What `analytics_conversations` keeps of a conversation. */
export interface ConversationSummary {
  conversationId: string;
  orgId: string;
  storeId: string;
  platform: string;
  customerId: string;
  identityId: string;
  agentId: string | null;
  intent: string;
  category: string;
  startedAt: number | null;
  firstQuestion: string;
  rounds: number;
  unansweredRounds: number;
  firstResponseMs: number | null;
  resolvedAt: number | null;
  complaint: boolean;
  qcScore: number | null;
  qcFindings: QualityFinding[];
  qcLevel: QualityLevel | null;
}

/** The first buyer line as top questions group it: whitespace collapsed, at most 60 characters. */
export const phraseOf = (text: string): string => text.replace(/\s+/g, " ").trim().slice(0, 60);

/**
 * A conversation's facts. A conversation merged into another counts there (its
 * lines moved with it) and contributes nothing itself.
 */
export function conversationFacts(a: Analysis, env: FactEnv): { rows: FactRow[]; summary: ConversationSummary | null } {
  const c = a.record;
  if (c.mergedIntoId) return { rows: [], summary: null };
  const sink = new FactSink({
    sourceId: c.id,
    sourceKind: "conversation",
    storeId: c.storeId,
    intent: a.intent,
    category: a.category,
    conversationId: c.id,
  });
  const tz = env.timeZone;
  const hours = env.businessHours(c.storeId);
  const open = (at: number) => isOpenAt(hours, localTime(at, tz));
  const window = (at: number, w: readonly [number, number]) => inDailyWindow(localTime(at, tz), w[0], w[1]);

  // Volume: every line, and each agent once per conversation (at their first reply).
  const handledBy = new Set<string>();
  for (const m of c.timeline) {
    if (m.kind === "buyer") sink.add(m.at, a.owner, { inboundMsgs: 1 });
    else if (m.kind === "bot") sink.add(m.at, NO_AGENT, { botMsgs: 1 });
    else {
      const agent = m.senderId ?? NO_AGENT;
      sink.add(m.at, agent, { humanMsgs: 1, handled: flag(!handledBy.has(agent)) });
      handledBy.add(agent);
    }
  }
  const firstRound = a.rounds[0];
  if (a.firstBuyerAt !== null && firstRound) {
    sink.add(a.firstBuyerAt, a.owner, { conversations: 1, complaints: flag(a.complaint) });
    // First response, within business hours.
    if (open(firstRound.start)) {
      const reply = firstRound.firstReply;
      const ms = reply ? reply.at - firstRound.start : 0;
      sink.add(firstRound.start, responderOf(a, firstRound), {
        firstResponses: flag(reply !== null),
        firstResponseMsSum: ms,
        firstResponseMsMax: ms,
      });
    }
  }

  // Rounds: Yunxi's uniform figures within business hours; 淘宝's (its stores only) over 08:00–24:00.
  // Each platform's own variant is computed for that platform's conversations only.
  for (const r of a.rounds) {
    const reply = r.firstReply;
    const ms = reply ? reply.at - r.start : 0;
    const who = responderOf(a, r);
    if (open(r.start)) {
      sink.add(r.start, who, {
        rounds: 1,
        roundsAnswered: flag(reply !== null),
        rounds3m: flag(reply !== null && ms <= THREE_MINUTES_MS),
        rounds1h: flag(reply !== null && ms <= ONE_HOUR_MS),
        responseMsSum: ms,
        responseMsMax: ms,
        botRounds: flag(reply?.kind === "bot"),
      });
    }
    if (c.platform === "taobao" && window(r.start, platformWindows.taobao)) {
      sink.add(r.start, who, { tbRounds: 1, tbRounds3m: flag(reply !== null && ms <= THREE_MINUTES_MS) });
    }
  }

  // A human: the first round that needed one (人工 first response, 抖音's variant).
  const humanRound = a.rounds.find((r) => r.humanNeededAt !== null);
  if (humanRound && humanRound.humanNeededAt !== null) {
    const at = humanRound.humanNeededAt;
    const ms = humanRound.humanReply ? humanRound.humanReply.at - at : null;
    const who = humanResponderOf(a, humanRound);
    if (open(at)) {
      sink.add(at, who, {
        humanNeeded: 1,
        humanAnswered: flag(ms !== null),
        humanAnswered3m: flag(ms !== null && ms <= THREE_MINUTES_MS),
        humanResponseMsSum: ms ?? 0,
      });
    }
    if (c.platform === "douyin" && window(at, platformWindows.douyin)) {
      sink.add(at, who, { dyConversations: 1, dyHuman3m: flag(ms !== null && ms <= THREE_MINUTES_MS) });
    }
  }

  // 京东: sessions started 09:00–23:00; the first human reply within 30 s; human response times.
  if (c.platform === "jd" && firstRound && window(firstRound.start, platformWindows.jd)) {
    const firstHuman = c.timeline.find((m) => m.kind === "human" && m.at >= firstRound.start);
    sink.add(firstRound.start, firstHuman?.senderId ?? a.owner, {
      jdSessions: 1,
      jdFirst30s: flag(firstHuman !== undefined && firstHuman.at - firstRound.start <= JD_FIRST_REPLY_MS),
    });
    for (const r of a.rounds) {
      if (!r.firstHuman) continue;
      sink.add(r.start, r.firstHuman.senderId ?? NO_AGENT, {
        jdResponses: 1,
        jdResponseMsSum: r.firstHuman.at - r.start,
      });
    }
  }

  // The bot: conversations it replied in, and those of them that reached a human after it.
  if (a.firstBotAt !== null && a.firstBuyerAt !== null) {
    const botAt = a.firstBotAt;
    const handedOver = a.rounds.some((r) => r.humanNeededAt !== null && r.humanNeededAt >= botAt);
    sink.add(botAt, NO_AGENT, { botConversations: 1, handovers: flag(handedOver) });
  }

  // Resolution and the quality check, at the moment of resolution.
  let findings: QualityFinding[] = [];
  let qcScore: number | null = null;
  if (c.status === "resolved" && c.resolvedAt !== null && a.firstBuyerAt !== null) {
    const resolvedMs = Math.max(0, c.resolvedAt - a.firstBuyerAt);
    const checked = c.timeline.some((m) => m.kind === "human");
    if (checked) {
      findings = checkQuality(env.qualityRules, c.timeline, a.rounds);
      qcScore = qualityScore(findings);
    }
    sink.add(c.resolvedAt, a.owner, {
      resolved: 1,
      resolutionMsSum: resolvedMs,
      resolutionMsMax: resolvedMs,
      qcChecked: flag(checked),
      qcScoreSum: qcScore ?? 0,
      qcAlerts: flag(checked && isAlert(findings)),
    });
  }

  for (const b of c.breaches) sink.add(b.breachedAt, b.assigneeId ?? NO_AGENT, { slaBreaches: 1 });

  const firstBuyer = c.timeline.find((m) => m.kind === "buyer");
  const summary: ConversationSummary = {
    conversationId: c.id,
    orgId: c.orgId,
    storeId: c.storeId,
    platform: c.platform,
    customerId: c.customerId,
    identityId: c.identityId,
    agentId: a.owner === NO_AGENT ? null : a.owner,
    intent: a.intent,
    category: a.category,
    startedAt: a.firstBuyerAt,
    firstQuestion: firstBuyer ? phraseOf(firstBuyer.text) : "",
    rounds: a.rounds.length,
    unansweredRounds: a.rounds.filter((r) => !r.firstReply).length,
    firstResponseMs: firstRound?.firstReply ? firstRound.firstReply.at - firstRound.start : null,
    resolvedAt: c.status === "resolved" ? c.resolvedAt : null,
    complaint: a.complaint,
    qcScore,
    qcFindings: findings,
    qcLevel: highestLevel(findings),
  };
  return { rows: sink.rows(), summary };
}

// ── Buyer-days ───────────────────────────────────────────────────────────

/** A stable id for one buyer's day in one store (a fact source like a conversation). */
export function buyerDayId(storeId: string, identityId: string, day: string): string {
  const h = createHash("sha1").update(`buyer-day|${storeId}|${identityId}|${day}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface BuyerDayInput {
  storeId: string;
  identityId: string;
  day: string;
  /** Every conversation of this buyer in this store that may have lines that day. */
  analyses: Analysis[];
  /** The buyer's paid orders in this store. */
  paidOrders: { paidAt: number; totalCents: number }[];
}

/**
 * The buyer-day (unit of inquiry conversion, 拼多多's and 快手's variants): one
 * buyer, one store, one local day, however many conversations it took.
 */
export function buyerDayFacts(input: BuyerDayInput, env: FactEnv): FactRow[] {
  const tz = env.timeZone;
  const dayStart = startOfLocalDay(input.day, tz);
  const dayEnd = startOfLocalDay(addDays(input.day, 1), tz);
  const inDay = (at: number) => at >= dayStart && at < dayEnd;
  let first: { at: number; analysis: Analysis } | null = null;
  const rounds: { r: Round; a: Analysis }[] = [];
  for (const a of input.analyses) {
    if (a.record.mergedIntoId) continue;
    for (const m of a.record.timeline) {
      if (m.kind === "buyer" && inDay(m.at) && (!first || m.at < first.at)) first = { at: m.at, analysis: a };
    }
    for (const r of a.rounds) rounds.push({ r, a });
  }
  if (!first) return [];
  const lead = first.analysis;
  const sink = new FactSink({
    sourceId: buyerDayId(input.storeId, input.identityId, input.day),
    sourceKind: "buyer_day",
    storeId: input.storeId,
    intent: lead.intent,
    category: lead.category,
    conversationId: lead.record.id,
  });
  // Whoever first answered the buyer that day, else the owner of the day's first conversation.
  const answered = rounds
    .filter(({ r }) => r.firstHuman && inDay(r.start))
    .sort((x, y) => x.r.firstHuman!.at - y.r.firstHuman!.at)[0];
  const agent = answered?.r.firstHuman?.senderId ?? lead.owner;

  const consultAt = first.at;
  const paid = input.paidOrders.filter((o) => o.paidAt >= consultAt && o.paidAt <= consultAt + env.conversionWindowMs);
  sink.add(consultAt, agent, {
    consultBuyers: 1,
    convertedBuyers: flag(paid.length > 0),
    convertedCents: paid.reduce((sum, o) => sum + o.totalCents, 0),
  });

  const inWindow = (at: number, w: readonly [number, number]) =>
    inDay(at) && inDailyWindow(localTime(at, tz), w[0], w[1]);
  const platform = lead.record.platform;
  const pdd = rounds
    .filter(({ r }) => platform === "pdd" && inWindow(r.start, platformWindows.pdd))
    .sort((x, y) => x.r.start - y.r.start);
  if (pdd.length > 0) {
    const invalid = pdd.some(({ r }) => !r.firstReply || r.firstReply.at - r.start > ONE_HOUR_MS);
    sink.add(pdd[0]!.r.start, agent, { pddBuyers: 1, pddInvalid: flag(invalid) });
  }
  const ks = rounds
    .filter(
      ({ r }) =>
        platform === "kuaishou" && r.humanNeededAt !== null && inWindow(r.humanNeededAt, platformWindows.kuaishou),
    )
    .sort((x, y) => x.r.humanNeededAt! - y.r.humanNeededAt!);
  if (ks.length > 0) {
    const missed = ks.some(({ r }) => !r.humanReply || r.humanReply.at - r.humanNeededAt! > THREE_MINUTES_MS);
    sink.add(ks[0]!.r.humanNeededAt!, agent, { ksBuyers: 1, ksMissed3m: flag(missed) });
  }
  return sink.rows();
}

/** The local days on which a conversation has buyer lines (its buyer-days). */
export function buyerDaysOf(a: Analysis, timeZone: string): string[] {
  const days = new Set<string>();
  for (const m of a.record.timeline) if (m.kind === "buyer") days.add(localTime(m.at, timeZone).day);
  return [...days];
}

// ── Ratings and orders ───────────────────────────────────────────────────

export interface EvaluationInput {
  id: string;
  storeId: string;
  score: number;
  createdAt: number;
}

/**
 * A rating counts for the buyer's latest conversation in that store that started
 * before it (its owner and intent); without one, for nobody.
 */
export function evaluationFacts(e: EvaluationInput, attributed: Analysis | null): FactRow[] {
  const sink = new FactSink({
    sourceId: e.id,
    sourceKind: "evaluation",
    storeId: e.storeId,
    intent: attributed?.intent ?? "",
    category: attributed?.category ?? "",
    conversationId: attributed?.record.id ?? null,
  });
  sink.add(e.createdAt, attributed?.owner ?? NO_AGENT, {
    evaluations: 1,
    evalScoreSum: e.score,
    evalSatisfied: flag(e.score >= 4),
  });
  return sink.rows();
}

export interface SurveyInput {
  id: string;
  storeId: string;
  conversationId: string;
  /** Whom the survey rates: the conversation's owner when it was resolved (null: nobody). */
  agentId: string | null;
  sentAt: number;
  answeredAt: number | null;
  score: number | null;
  /** The platform accepted the invitation (a pending or failed one reached nobody). */
  delivered: boolean;
}

/**
 * Yunxi's own survey of a resolved conversation: the invitation at its sending, once the
 * platform accepted it (not while pending, never when it failed), the answer (if any) at
 * its arrival, both for the agent the survey rates, with the conversation's intent. An
 * answer counts towards CSAT like a platform rating.
 */
export function surveyFacts(s: SurveyInput, conversation: Analysis | null): FactRow[] {
  const sink = new FactSink({
    sourceId: s.id,
    sourceKind: "survey",
    storeId: s.storeId,
    intent: conversation?.intent ?? "",
    category: conversation?.category ?? "",
    conversationId: s.conversationId,
  });
  const agent = s.agentId ?? NO_AGENT;
  // An answer shows the invitation arrived, whatever its delivery said.
  if (s.delivered || s.answeredAt !== null) sink.add(s.sentAt, agent, { surveysSent: 1 });
  if (s.answeredAt !== null && s.score !== null) {
    sink.add(s.answeredAt, agent, {
      surveyResponses: 1,
      surveyScoreSum: s.score,
      surveySatisfied: flag(s.score >= 4),
    });
  }
  return sink.rows();
}

export interface PaidOrderInput {
  id: string;
  storeId: string;
  paidAt: number | null;
  totalCents: number;
  /** The customer (across platforms) had paid for an earlier order in the org. */
  repeat: boolean;
}

export function orderFacts(o: PaidOrderInput): FactRow[] {
  if (o.paidAt === null) return [];
  const sink = new FactSink({
    sourceId: o.id,
    sourceKind: "order",
    storeId: o.storeId,
    intent: "",
    category: "",
    conversationId: null,
  });
  sink.add(o.paidAt, NO_AGENT, { paidOrders: 1, repeatOrders: flag(o.repeat), paidCents: o.totalCents });
  return sink.rows();
}
