import type { PriorityRule } from "@yunxi/contracts";

/** What priority rules look at. */
export interface PriorityFacts {
  /** The buyer's unanswered messages (or the last ones). */
  texts: string[];
  /** The conversation's tags, intent first (售后-退换货-鞋子类目). */
  tags: string[];
  buyerTags: string[];
  platform: string;
  waitedSeconds: number;
}

export type RuleInput = Pick<PriorityRule, "kind" | "match" | "weight" | "label">;

/** A wait rule adds its weight per `match` seconds waited, at most this many times. */
const MAX_WAIT_STEPS = 10;

/**
 * The conversation's priority: the sum of the weights of the rules that match, and
 * their labels as reasons. After-sales before pre-sales is the rule set's job (an
 * intent rule `售后`, or keywords until intents are tagged), not a hard-coded order.
 */
export function scorePriority(
  rules: readonly RuleInput[],
  facts: PriorityFacts,
): { priority: number; reasons: string[] } {
  let priority = 0;
  const reasons: string[] = [];
  for (const rule of rules) {
    const weight = ruleWeight(rule, facts);
    if (weight === 0) continue;
    priority += weight;
    reasons.push(rule.label);
  }
  return { priority, reasons };
}

function ruleWeight(rule: RuleInput, facts: PriorityFacts): number {
  switch (rule.kind) {
    case "keyword":
      return facts.texts.some((t) => t.includes(rule.match)) ? rule.weight : 0;
    case "intent":
      return facts.tags.some((t) => t.startsWith(rule.match)) ? rule.weight : 0;
    case "buyer_tag":
      return facts.buyerTags.includes(rule.match) ? rule.weight : 0;
    case "platform":
      return facts.platform === rule.match ? rule.weight : 0;
    case "wait": {
      const step = Number(rule.match);
      if (!(step > 0)) return 0;
      return Math.min(MAX_WAIT_STEPS, Math.floor(facts.waitedSeconds / step)) * rule.weight;
    }
  }
}

/** The rules a new org starts with (seeded for the demo; editable in 路由设置). */
export const suggestedPriorityRules: RuleInput[] = [
  { kind: "intent", match: "投诉", weight: 50, label: "投诉" },
  { kind: "intent", match: "售后", weight: 30, label: "售后" },
  { kind: "keyword", match: "退款", weight: 30, label: "售后(关键词)" },
  { kind: "keyword", match: "退货", weight: 30, label: "售后(关键词)" },
  { kind: "keyword", match: "换货", weight: 30, label: "售后(关键词)" },
  { kind: "keyword", match: "投诉", weight: 50, label: "投诉(关键词)" },
  { kind: "intent", match: "情绪-负面", weight: 20, label: "负面情绪" },
  { kind: "buyer_tag", match: "VIP", weight: 20, label: "VIP" },
  { kind: "wait", match: "60", weight: 2, label: "等待时长" },
];
