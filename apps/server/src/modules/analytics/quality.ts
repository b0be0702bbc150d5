import type { QualityFinding, QualityLevel, QualityLine, QualityRule, QualityRuleId } from "@yunxi/contracts";
import type { Round, TimelineMessage } from "./facts.ts";

/**
 * Service quality checks (质检): rules over a resolved conversation's lines. Each
 * rule that triggers takes its score off 100 and names the lines behind it. The
 * phrases are matched as substrings, case-insensitively; an org may change them.
 */
export const defaultQualityRules: QualityRule[] = [
  {
    id: "no_greeting",
    enabled: true,
    score: 10,
    level: "warning",
    phrases: ["您好", "你好", "亲", "在的", "欢迎", "哈喽", "hello"],
    seconds: null,
  },
  {
    id: "closing_not_standard",
    enabled: true,
    score: 10,
    level: "warning",
    phrases: ["感谢", "谢谢", "祝您", "再见", "欢迎再来", "欢迎下次", "还有什么可以帮", "有问题随时", "期待"],
    seconds: null,
  },
  {
    id: "buyer_repeated",
    enabled: true,
    score: 15,
    level: "warning",
    // Besides a line said twice: nudges while the buyer's question is still unanswered.
    phrases: ["在吗", "在不在", "人呢", "有人吗", "怎么不回", "回一下", "？？", "??"],
    seconds: null,
  },
  {
    id: "wait_without_apology",
    enabled: true,
    score: 15,
    level: "critical",
    phrases: ["抱歉", "不好意思", "久等", "对不起", "sorry"],
    seconds: 180,
  },
  {
    id: "hold_without_return",
    enabled: true,
    score: 20,
    level: "critical",
    phrases: ["稍等", "稍候", "请等一下", "马上", "我查一下", "帮您查"],
    seconds: 900,
  },
  {
    id: "no_evaluation_invite",
    enabled: true,
    score: 5,
    level: "info",
    phrases: ["评价", "好评", "打分", "评分", "满意度", "五星"],
    seconds: null,
  },
];

/** The org's rules with the defaults for any rule it has not configured, in the default order. */
export function effectiveRules(configured: QualityRule[] | null | undefined): QualityRule[] {
  const byId = new Map((configured ?? []).map((r) => [r.id, r]));
  return defaultQualityRules.map((d) => byId.get(d.id) ?? d);
}

const contains = (text: string, phrases: string[]): boolean => {
  const lower = text.toLowerCase();
  return phrases.some((p) => lower.includes(p.toLowerCase()));
};

/** Letters and digits only: `在吗？？` and `在吗` are the same line. */
export const normaliseLine = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, "")
    .slice(0, 200);

const line = (m: TimelineMessage): QualityLine => ({
  messageId: m.id,
  at: new Date(m.at).toISOString(),
  sender: m.kind === "buyer" ? "buyer" : m.kind === "bot" ? "bot" : "agent",
  text: m.text.slice(0, 500),
});

const levelRank: Record<QualityLevel, number> = { info: 0, warning: 1, critical: 2 };
export const highestLevel = (findings: QualityFinding[]): QualityLevel | null =>
  findings.reduce<QualityLevel | null>(
    (top, f) => (top === null || levelRank[f.level] > levelRank[top] ? f.level : top),
    null,
  );
export const isAlert = (findings: QualityFinding[]): boolean => findings.some((f) => levelRank[f.level] >= 1);

type Check = (rule: QualityRule, timeline: TimelineMessage[], rounds: Round[]) => TimelineMessage[] | null;

const checks: Record<QualityRuleId, Check> = {
  // The agent's first line greets the buyer.
  no_greeting(rule, timeline) {
    const first = timeline.find((m) => m.kind === "human");
    return first && !contains(first.text, rule.phrases) ? [first] : null;
  },
  // The agent's last line closes politely.
  closing_not_standard(rule, timeline) {
    const last = timeline.findLast((m) => m.kind === "human");
    return last && !contains(last.text, rule.phrases) ? [last] : null;
  },
  // The buyer said the same thing twice, or nudged while still waiting for an answer.
  buyer_repeated(rule, timeline, rounds) {
    const seen = new Map<string, TimelineMessage>();
    const lines: TimelineMessage[] = [];
    for (const m of timeline) {
      if (m.kind !== "buyer") continue;
      const key = normaliseLine(m.text);
      if (key.length < 2) continue;
      const earlier = seen.get(key);
      if (earlier) lines.push(earlier, m);
      else seen.set(key, m);
    }
    for (const round of rounds) {
      for (const m of round.buyerMessages.slice(1)) if (contains(m.text, rule.phrases)) lines.push(m);
    }
    const unique = [...new Map(lines.map((m) => [m.id, m])).values()].sort((a, b) => a.at - b.at);
    return unique.length > 0 ? unique : null;
  },
  // An agent who kept the buyer waiting longer than `seconds` apologises in the reply.
  wait_without_apology(rule, _timeline, rounds) {
    const limit = (rule.seconds ?? 180) * 1000;
    const lines: TimelineMessage[] = [];
    for (const round of rounds) {
      const reply = round.firstHuman;
      if (!reply || reply.at - round.start <= limit) continue;
      if (!contains(reply.text, rule.phrases)) lines.push(round.buyerMessages[0]!, reply);
    }
    return lines.length > 0 ? lines : null;
  },
  // "稍等": someone comes back within `seconds`.
  hold_without_return(rule, timeline) {
    const limit = (rule.seconds ?? 900) * 1000;
    const lines: TimelineMessage[] = [];
    timeline.forEach((m, i) => {
      if (m.kind !== "human" || !contains(m.text, rule.phrases)) return;
      const next = timeline.slice(i + 1).find((n) => n.kind !== "buyer");
      if (!next || next.at - m.at > limit) lines.push(m);
    });
    return lines.length > 0 ? lines : null;
  },
  // Someone (agent or bot) invites the buyer to rate the service.
  no_evaluation_invite(rule, timeline) {
    const replies = timeline.filter((m) => m.kind !== "buyer");
    if (replies.some((m) => contains(m.text, rule.phrases))) return null;
    const last = replies.at(-1);
    return last ? [last] : [];
  },
};

/** The findings for one conversation (empty when every rule passes). */
export function checkQuality(rules: QualityRule[], timeline: TimelineMessage[], rounds: Round[]): QualityFinding[] {
  const findings: QualityFinding[] = [];
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const lines = checks[rule.id](rule, timeline, rounds);
    if (lines) findings.push({ rule: rule.id, level: rule.level, score: rule.score, lines: lines.map(line) });
  }
  return findings;
}

export const qualityScore = (findings: QualityFinding[]): number =>
  Math.max(0, 100 - findings.reduce((sum, f) => sum + f.score, 0));
