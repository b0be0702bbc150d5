import type { QualityLevel, QualityRule, QualityRuleId } from "@yunxi/contracts";
import type { MessageKey } from "../i18n/zh-CN.ts";

/** How the quality checks are named and shown, and what the rules editor checks before saving. */

export const ruleLabels: Record<QualityRuleId, MessageKey> = {
  no_greeting: "analytics.quality.rule.no_greeting",
  closing_not_standard: "analytics.quality.rule.closing_not_standard",
  buyer_repeated: "analytics.quality.rule.buyer_repeated",
  wait_without_apology: "analytics.quality.rule.wait_without_apology",
  hold_without_return: "analytics.quality.rule.hold_without_return",
  no_evaluation_invite: "analytics.quality.rule.no_evaluation_invite",
};

export const levelLooks: Record<QualityLevel, { label: MessageKey; color: string }> = {
  info: { label: "analytics.quality.level.info", color: "blue" },
  warning: { label: "analytics.quality.level.warning", color: "orange" },
  critical: { label: "analytics.quality.level.critical", color: "red" },
};

/** The rules whose check waits a time (before an apology is due, to come back after "稍等"). */
export const timedRules: ReadonlySet<QualityRuleId> = new Set(["wait_without_apology", "hold_without_return"]);

const PHRASE_MAX = 40;
const PHRASES_MAX = 50;

/** What the form would send, cleaned: phrases trimmed, empty and repeated ones dropped. */
export function cleanRules(rules: readonly QualityRule[]): QualityRule[] {
  return rules.map((rule) => ({
    ...rule,
    phrases: [...new Set(rule.phrases.map((p) => p.trim()).filter((p) => p.length > 0))],
  }));
}

/** The first problem the server would refuse, as a message key and the rule it is in; null when fine. */
export function ruleProblem(rules: readonly QualityRule[]): { rule: QualityRuleId; key: MessageKey } | null {
  for (const rule of rules) {
    if (rule.phrases.some((p) => p.length > PHRASE_MAX)) return { rule: rule.id, key: "analytics.rules.phraseTooLong" };
    if (rule.phrases.length > PHRASES_MAX) return { rule: rule.id, key: "analytics.rules.tooManyPhrases" };
    if (timedRules.has(rule.id) && (rule.seconds === null || rule.seconds < 10 || rule.seconds > 86_400)) {
      return { rule: rule.id, key: "analytics.rules.secondsRange" };
    }
  }
  return null;
}
