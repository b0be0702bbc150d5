import { platformIds, platformLabels } from "@yunxi/contracts";
import { indexWords, normalize, queryWords, type Weight } from "../library/text.ts";

/** A reply's keywords as stored and compared: normalized, without duplicates or empties. */
export function normalizeKeywords(keywords: readonly string[]): string[] {
  return [...new Set(keywords.map(normalize).filter((k) => k.length > 0))];
}

/**
 * What a reply is found by: each keyword whole and its words (weight A), the title's
 * words (B), the text's words (D). Only A is searched when the agent types a bare
 * keyword without `/`.
 */
export function replyWords(reply: { keywords: string[]; title: string; body: string }): {
  words: string[];
  weight: Weight;
}[] {
  return [
    { words: reply.keywords, weight: "A" },
    { words: reply.keywords.flatMap(indexWords), weight: "A" },
    { words: indexWords(reply.title), weight: "B" },
    { words: indexWords(reply.body), weight: "D" },
  ];
}

/** Platform names an agent may put before a keyword (`抖音-尺码`): the conversation already says the platform. */
const platformWords = new Set<string>([
  ...platformIds.map((p) => platformLabels[p]["zh-CN"].toLowerCase()),
  ...platformIds.map((p) => p.toLowerCase()),
  "天猫",
  "千牛",
  "抖店",
  "飞鸽",
  "京麦",
  "咚咚",
]);

export interface ReplyQuery {
  /** The query as typed, normalized, without the leading `/`: matched whole as a prefix of a word. */
  text: string;
  /** Its words without platform names: every one must match (each as a prefix); any, if none has all. */
  words: string[];
  /** Strings a keyword equal to (or starting with) counts as a keyword match: the text, and the text without a platform word. */
  keywordCandidates: string[];
}

/** The composer's query (`/抖音-尺码`, `尺码 偏大`); null for an empty query (list the most used). */
export function replyQuery(raw: string): ReplyQuery | null {
  const text = normalize(raw).replace(/^\/+/, "").trim();
  if (!text) return null;
  const words = queryWords(text).filter((w) => !platformWords.has(w));
  const stripped = words.join("");
  return {
    text,
    words,
    keywordCandidates: [...new Set([text, stripped].filter((s) => s.length > 0))],
  };
}
