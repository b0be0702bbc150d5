import type {
  CannedReply,
  Classification,
  Intent,
  IntentSource,
  KbSearchHit,
  ProductCategory,
  RecommendedArticle,
  ReplyMatchKind,
} from "@yunxi/contracts";

/**
 * The recommendation's pure ranking: which intent the conversation is about, the words
 * that find its canned replies and articles, and how candidates found by those words
 * are ordered. No database here: the service feeds it what the in-memory indexes found.
 */

/** Words CS teams file an intent's replies and articles under (keywords, titles, tags). */
export const intentKeywords: Record<Intent, readonly string[]> = {
  "售前-商品咨询": ["商品", "材质", "参数"],
  "售前-尺码推荐": ["尺码", "码数", "尺码表"],
  "售前-库存到货": ["库存", "到货", "补货", "现货"],
  "售前-价格优惠": ["优惠", "优惠券", "满减", "价格"],
  "物流-发货时间": ["发货", "发货时间"],
  "物流-物流查询": ["物流", "快递", "查物流"],
  "物流-修改地址": ["修改地址", "地址"],
  "售后-退换货": ["退换货", "退货", "换货"],
  "售后-退款进度": ["退款", "退款进度", "到账"],
  "售后-质量问题": ["质量问题", "破损", "瑕疵"],
  "售后-错发漏发": ["错发", "漏发", "补发"],
  "售后-使用指导": ["使用", "说明", "教程"],
  投诉: ["投诉", "道歉", "安抚"],
  "其他-发票": ["发票", "开票"],
  "其他-问候": ["你好", "欢迎", "问候"],
  其他: [],
};

/** `鞋子类目` → `鞋子`: how categories of replies (`售后/鞋子`) and keywords name it. */
export const categoryStem = (category: ProductCategory): string => category.replace(/类目$/, "");

// ── The intent ───────────────────────────────────────────────────────────

export interface ResolvedIntent {
  intent: Intent | null;
  confidence: number | null;
  source: IntentSource | null;
}

/**
 * The conversation's intent tag (what the agent sees, perhaps corrected) wins over a
 * fresh reading; its confidence is the model's only when the model reads the latest
 * messages the same way. Without a tag, the model's best guess (no text: nothing).
 */
export function resolveIntent(input: {
  tagIntent: Intent | null;
  /** The model's reading of the buyer's latest messages; null when there are none. */
  reading: Pick<Classification, "intent" | "confidence"> | null;
  /** The intent an agent last corrected the conversation to. */
  correctedTo: Intent | null;
}): ResolvedIntent {
  const { tagIntent, reading } = input;
  if (tagIntent) {
    if (reading && reading.intent === tagIntent) {
      return { intent: tagIntent, confidence: reading.confidence, source: "model" };
    }
    return { intent: tagIntent, confidence: null, source: input.correctedTo === tagIntent ? "agent" : "earlier" };
  }
  if (!reading) return { intent: null, confidence: null, source: null };
  return { intent: reading.intent, confidence: reading.confidence, source: "guess" };
}

/** A message as the recommendation reads the thread. */
export interface ThreadMessage {
  direction: string;
  kind: string;
  body: string;
}

/**
 * The buyer's latest run of messages, oldest first (up to five): what they wrote since
 * the last answer, or, once answered, the run that answer was to. Notes are skipped;
 * images and system notices carry no words of the buyer.
 */
export function latestBuyerRun(newestLast: readonly ThreadMessage[], max = 5): string[] {
  const run: string[] = [];
  for (let i = newestLast.length - 1; i >= 0; i--) {
    const m = newestLast[i]!;
    if (m.direction === "internal") continue;
    if (m.direction === "inbound") {
      if (m.kind === "image" || m.kind === "system" || m.body.trim() === "") continue;
      run.push(m.body);
      if (run.length === max) break;
    } else if (run.length > 0) break;
  }
  return run.reverse();
}

// ── Canned replies ───────────────────────────────────────────────────────

/** How one search word found a reply. */
export interface WordHit {
  word: string;
  /** From the intent's keywords (counts more) or the buyer's words. */
  from: "intent" | "message";
  match: ReplyMatchKind;
}

export interface ReplyCandidate {
  reply: CannedReply;
  hits: WordHit[];
}

export interface RankedReply extends ReplyCandidate {
  score: number;
  /** The best way it was found, as the composer's search says it. */
  match: ReplyMatchKind;
}

const intentPoints: Record<ReplyMatchKind, number> = { keyword: 6, keyword_prefix: 5, text: 3, none: 0 };
const messagePoints: Record<ReplyMatchKind, number> = { keyword: 3, keyword_prefix: 2, text: 1, none: 0 };
const matchOrder: ReplyMatchKind[] = ["keyword", "keyword_prefix", "text", "none"];

/**
 * Relevance first: the best intent keyword found (a reply filed under 退换货 is about
 * returns), a little for more of them, each buyer word found, the product category; then
 * the conversation's own scope is preferred (store, then platform, then the org's); then
 * the most used and the newest.
 */
export function replyScore(candidate: ReplyCandidate, category: ProductCategory | null): number {
  const intentHits = candidate.hits.filter((h) => h.from === "intent").map((h) => intentPoints[h.match]);
  const best = intentHits.length > 0 ? Math.max(...intentHits) : 0;
  const more = Math.max(0, intentHits.length - 1) * 0.5;
  const words = candidate.hits.filter((h) => h.from === "message").reduce((sum, h) => sum + messagePoints[h.match], 0);
  const { reply } = candidate;
  const stem = category ? categoryStem(category) : null;
  const ofCategory =
    stem !== null &&
    (reply.categoryPath.includes(stem) || reply.title.includes(stem) || reply.keywords.some((k) => k.includes(stem)));
  const scope = reply.scope === "store" ? 2 : reply.scope === "platform" ? 1 : 0;
  return best + more + words + (ofCategory ? 1 : 0) + scope;
}

export function rankReplies(
  candidates: readonly ReplyCandidate[],
  category: ProductCategory | null,
  limit: number,
): RankedReply[] {
  return candidates
    .filter((c) => c.hits.length > 0)
    .map((c) => ({
      ...c,
      score: replyScore(c, category),
      match: matchOrder.find((m) => c.hits.some((h) => h.match === m)) ?? "none",
    }))
    .sort(
      (a, b) =>
        b.score - a.score ||
        b.reply.usageCount - a.reply.usageCount ||
        (a.reply.updatedAt < b.reply.updatedAt ? 1 : a.reply.updatedAt > b.reply.updatedAt ? -1 : 0) ||
        (a.reply.id < b.reply.id ? -1 : 1),
    )
    .slice(0, limit);
}

/** Gather the hits of each search word per reply (a reply found by several words is one candidate). */
export function collectCandidates(
  searches: readonly {
    word: string;
    from: WordHit["from"];
    hits: readonly { reply: CannedReply; match: ReplyMatchKind }[];
  }[],
): ReplyCandidate[] {
  const byId = new Map<string, ReplyCandidate>();
  for (const search of searches) {
    for (const hit of search.hits) {
      let candidate = byId.get(hit.reply.id);
      if (!candidate) {
        candidate = { reply: hit.reply, hits: [] };
        byId.set(hit.reply.id, candidate);
      }
      candidate.hits.push({ word: search.word, from: search.from, match: hit.match });
    }
  }
  return [...byId.values()];
}

// ── Knowledge-base articles ──────────────────────────────────────────────

const foundByRank = { both: 0, intent: 1, message: 2 } as const;

/**
 * Articles found by the intent's keywords and by the buyer's words: those found by both
 * first, then by the intent (the topic), then by the buyer's words alone; BM25 within
 * each (summed for both: the scores of one index are comparable).
 */
export function rankArticles(
  byIntent: readonly KbSearchHit[],
  byMessage: readonly KbSearchHit[],
  limit: number,
): RecommendedArticle[] {
  const merged = new Map<string, RecommendedArticle>();
  for (const hit of byIntent) merged.set(hit.article.id, { ...hit, foundBy: "intent" });
  for (const hit of byMessage) {
    const known = merged.get(hit.article.id);
    if (!known) merged.set(hit.article.id, { ...hit, foundBy: "message" });
    else {
      merged.set(hit.article.id, {
        ...known,
        foundBy: "both",
        score: Math.round((known.score + hit.score) * 10_000) / 10_000,
        highlights: [...new Set([...known.highlights, ...hit.highlights])],
      });
    }
  }
  return [...merged.values()]
    .sort(
      (a, b) =>
        foundByRank[a.foundBy] - foundByRank[b.foundBy] || b.score - a.score || (a.article.id < b.article.id ? -1 : 1),
    )
    .slice(0, limit);
}
