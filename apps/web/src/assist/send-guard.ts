import type { TemplateVariable } from "@yunxi/contracts";
import { unfilledVariables } from "@yunxi/contracts";
import type { Translate } from "../i18n/locales.ts";

export type SendCheck = { ok: true } | { ok: false; missing: TemplateVariable[] };

/**
 * The composer calls this before sending a reply: a canned reply's placeholder
 * ({订单号}, {快递单号} …) that no value filled must never reach the buyer. The agent
 * fills it in by hand (or deletes it) and sends again.
 */
export function checkBeforeSend(text: string): SendCheck {
  const missing = unfilledVariables(text);
  return missing.length === 0 ? { ok: true } : { ok: false, missing };
}

/** What to tell the agent when `checkBeforeSend` refused. */
export function sendGuardMessage(missing: readonly TemplateVariable[], t: Translate): string {
  return t("assist.guard.unfilled", { names: missing.map((name) => `{${name}}`).join("、") });
}
