import type { PlatformId } from "@yunxi/contracts";
import type { TopicKind } from "../phrases.ts";

/**
 * The buyer-side record: what each buyer experienced, one entry per visit
 * (a question and what followed). Yunxi's own figures (first response time,
 * missed conversations, conversion) are checked against this, so it is kept
 * from the buyer's point of view only: when they asked, when an answer reached
 * them, whether they nagged, bought, complained or gave up.
 */

export interface RecordedQuestion {
  at: Date;
  text: string;
  msgId: string;
  /** A nag ("在吗？？") rather than a new question. */
  nag: boolean;
  /** False for a closing line ("好的，我拍了", "算了"): nothing to answer. */
  expectsAnswer: boolean;
}

export interface RecordedReply {
  at: Date;
  text: string;
  platformMsgId: string;
  /** Arrived after the buyer had already left. */
  afterLeaving: boolean;
}

export type SessionOutcome = "waiting" | "ordered" | "browsed" | "satisfied" | "left";

export interface BuyerSession {
  id: string;
  /** `generated` buyers behave; `injected` ones (`say`) only have their messages recorded. */
  source: "generated" | "injected";
  platform: PlatformId;
  storeKey: string;
  buyerNick: string;
  phone: string;
  kind: TopicKind | "manual";
  intent: string;
  productId: string | null;
  /** The order asked about. */
  orderId: string | null;
  startedAt: Date;
  questions: RecordedQuestion[];
  replies: RecordedReply[];
  firstReplyAt: Date | null;
  /** The longest the buyer waited for an answer to a question, so far (ms). */
  longestWaitMs: number;
  /** Since when the buyer's latest questions are unanswered; null when answered. */
  awaitingSince: Date | null;
  nags: number;
  /** The order placed because of this visit. */
  placedOrderId: string | null;
  complained: boolean;
  left: boolean;
  endedAt: Date | null;
  outcome: SessionOutcome;
}

/** One row of the export. */
export interface SessionRow {
  sessionId: string;
  source: BuyerSession["source"];
  platform: PlatformId;
  storeKey: string;
  buyerNick: string;
  kind: BuyerSession["kind"];
  intent: string;
  orderId: string | null;
  startedAt: string;
  firstQuestion: string;
  /** Every line the buyer sent: questions, nags and closing lines. */
  messages: number;
  firstReplyAt: string | null;
  firstReplyWaitMs: number | null;
  longestWaitMs: number;
  replies: number;
  unansweredQuestions: number;
  followedUp: boolean;
  ordered: boolean;
  placedOrderId: string | null;
  complained: boolean;
  left: boolean;
  endedAt: string | null;
  outcome: SessionOutcome;
}

export interface DetailedSessionRow extends SessionRow {
  messageLog: Array<{ at: string; text: string; msgId: string; nag: boolean; expectsAnswer: boolean }>;
  replyLog: Array<{ at: string; text: string; afterLeaving: boolean }>;
}

export interface RecordRange {
  from?: Date | undefined;
  to?: Date | undefined;
  storeKey?: string | undefined;
  platform?: PlatformId | undefined;
}

export interface RecordSummary {
  from: string | null;
  to: string | null;
  sessions: number;
  answered: number;
  /** Generated buyers still waiting for their first answer (neither answered nor gone yet). */
  waiting: number;
  /** Visits in which no answer reached the buyer before they left (injected ones: at all). */
  missed: number;
  missedRate: number;
  unansweredQuestions: number;
  medianFirstReplyMs: number | null;
  p90FirstReplyMs: number | null;
  followedUp: number;
  left: number;
  complained: number;
  presale: number;
  ordered: number;
  /** Orders placed / presale visits (generated buyers). */
  conversion: number | null;
  byPlatform: Partial<
    Record<
      PlatformId,
      { sessions: number; missed: number; medianFirstReplyMs: number | null; conversion: number | null }
    >
  >;
}

export interface BuyerRecord {
  add(session: BuyerSession): void;
  /** The buyer's latest visit to a store. */
  latest(storeKey: string, buyerNick: string): BuyerSession | undefined;
  /** Every visit of one buyer to one store. */
  of(storeKey: string, buyerNick: string): readonly BuyerSession[];
  sessions(range?: RecordRange): BuyerSession[];
  rows(range?: RecordRange): DetailedSessionRow[];
  csv(range?: RecordRange): string;
  summary(range?: RecordRange): RecordSummary;
  size(): number;
}

const key = (storeKey: string, buyerNick: string) => `${storeKey}\u0000${buyerNick}`;

function unanswered(s: BuyerSession): number {
  const lastReply = s.replies.reduce((t, r) => Math.max(t, r.at.getTime()), Number.NEGATIVE_INFINITY);
  return s.questions.filter((q) => q.expectsAnswer && q.at.getTime() > lastReply).length;
}

export function toRow(s: BuyerSession): DetailedSessionRow {
  return {
    sessionId: s.id,
    source: s.source,
    platform: s.platform,
    storeKey: s.storeKey,
    buyerNick: s.buyerNick,
    kind: s.kind,
    intent: s.intent,
    orderId: s.orderId,
    startedAt: s.startedAt.toISOString(),
    firstQuestion: s.questions[0]?.text ?? "",
    messages: s.questions.length,
    firstReplyAt: s.firstReplyAt?.toISOString() ?? null,
    firstReplyWaitMs: s.firstReplyAt ? s.firstReplyAt.getTime() - s.startedAt.getTime() : null,
    longestWaitMs: s.longestWaitMs,
    replies: s.replies.length,
    unansweredQuestions: unanswered(s),
    followedUp: s.nags > 0,
    ordered: s.placedOrderId !== null,
    placedOrderId: s.placedOrderId,
    complained: s.complained,
    left: s.left,
    endedAt: s.endedAt?.toISOString() ?? null,
    outcome: s.outcome,
    messageLog: s.questions.map((q) => ({
      at: q.at.toISOString(),
      text: q.text,
      msgId: q.msgId,
      nag: q.nag,
      expectsAnswer: q.expectsAnswer,
    })),
    replyLog: s.replies.map((r) => ({ at: r.at.toISOString(), text: r.text, afterLeaving: r.afterLeaving })),
  };
}

const csvColumns: ReadonlyArray<keyof SessionRow> = [
  "sessionId",
  "source",
  "platform",
  "storeKey",
  "buyerNick",
  "kind",
  "intent",
  "orderId",
  "startedAt",
  "firstQuestion",
  "messages",
  "firstReplyAt",
  "firstReplyWaitMs",
  "longestWaitMs",
  "replies",
  "unansweredQuestions",
  "followedUp",
  "ordered",
  "placedOrderId",
  "complained",
  "left",
  "endedAt",
  "outcome",
];

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  // Nearest rank: the smallest value with at least p of the values at or below it.
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] as number;
}

function figures(list: readonly BuyerSession[]) {
  const waits = list
    .filter((s) => s.firstReplyAt)
    .map((s) => (s.firstReplyAt as Date).getTime() - s.startedAt.getTime())
    .sort((a, b) => a - b);
  const waiting = list.filter((s) => !s.firstReplyAt && s.source === "generated" && s.endedAt === null).length;
  const presale = list.filter((s) => s.source === "generated" && s.kind === "presale");
  const ordered = presale.filter((s) => s.placedOrderId !== null).length;
  return {
    sessions: list.length,
    answered: waits.length,
    waiting,
    missed: list.length - waits.length - waiting,
    medianFirstReplyMs: percentile(waits, 0.5),
    p90FirstReplyMs: percentile(waits, 0.9),
    presale: presale.length,
    ordered,
    conversion: presale.length > 0 ? ordered / presale.length : null,
  };
}

export function createBuyerRecord(): BuyerRecord {
  const all: BuyerSession[] = [];
  const byBuyer = new Map<string, BuyerSession[]>();

  const sessions = (range?: RecordRange) =>
    all.filter(
      (s) =>
        (!range?.from || s.startedAt.getTime() >= range.from.getTime()) &&
        (!range?.to || s.startedAt.getTime() < range.to.getTime()) &&
        (!range?.storeKey || s.storeKey === range.storeKey) &&
        (!range?.platform || s.platform === range.platform),
    );

  return {
    add(session) {
      all.push(session);
      const k = key(session.storeKey, session.buyerNick);
      const list = byBuyer.get(k);
      if (list) list.push(session);
      else byBuyer.set(k, [session]);
    },
    latest: (storeKey, buyerNick) => byBuyer.get(key(storeKey, buyerNick))?.at(-1),
    of: (storeKey, buyerNick) => byBuyer.get(key(storeKey, buyerNick)) ?? [],
    sessions,
    rows: (range) => sessions(range).map(toRow),
    csv(range) {
      const lines = [csvColumns.join(",")];
      for (const row of sessions(range).map(toRow)) lines.push(csvColumns.map((c) => csvCell(row[c])).join(","));
      return `${lines.join("\r\n")}\r\n`;
    },
    summary(range) {
      const list = sessions(range);
      const total = figures(list);
      const byPlatform: RecordSummary["byPlatform"] = {};
      for (const platform of new Set(list.map((s) => s.platform))) {
        const f = figures(list.filter((s) => s.platform === platform));
        byPlatform[platform] = {
          sessions: f.sessions,
          missed: f.missed,
          medianFirstReplyMs: f.medianFirstReplyMs,
          conversion: f.conversion,
        };
      }
      return {
        from: range?.from?.toISOString() ?? null,
        to: range?.to?.toISOString() ?? null,
        sessions: total.sessions,
        answered: total.answered,
        waiting: total.waiting,
        missed: total.missed,
        missedRate: total.sessions > 0 ? total.missed / total.sessions : 0,
        unansweredQuestions: list.reduce((n, s) => n + unanswered(s), 0),
        medianFirstReplyMs: total.medianFirstReplyMs,
        p90FirstReplyMs: total.p90FirstReplyMs,
        followedUp: list.filter((s) => s.nags > 0).length,
        left: list.filter((s) => s.left).length,
        complained: list.filter((s) => s.complained).length,
        presale: total.presale,
        ordered: total.ordered,
        conversion: total.conversion,
        byPlatform,
      };
    },
    size: () => all.length,
  };
}
