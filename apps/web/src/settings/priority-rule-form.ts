import type { PriorityRuleKind } from "@yunxi/contracts";
import { SavePriorityRuleRequest as SavePriorityRuleSchema } from "@yunxi/contracts";
import { invalidFields } from "../admin/form-errors.ts";
import type { NewPriorityRule } from "../api/admin-workspace-api.ts";

/**
 * The "add a priority rule" form: `match` is text for keywords, intents and buyer tags, a platform
 * for platform rules and a number of seconds for wait rules; the store is one store or all of them.
 */
export type PriorityRuleValues = {
  /** "" = every store of the org. */
  storeId: string;
  kind: PriorityRuleKind;
  match?: string;
  platform?: string;
  waitSeconds?: number;
  weight: number;
  label: string;
};

export const priorityRuleFields = ["storeId", "kind", "match", "platform", "waitSeconds", "weight", "label"] as const;
export type PriorityRuleField = (typeof priorityRuleFields)[number];

/** The form field that holds `match` for a kind. */
export function matchField(kind: PriorityRuleKind): "match" | "platform" | "waitSeconds" {
  if (kind === "platform") return "platform";
  if (kind === "wait") return "waitSeconds";
  return "match";
}

export function ruleRequest(values: PriorityRuleValues): NewPriorityRule {
  const field = matchField(values.kind);
  const match =
    field === "waitSeconds"
      ? values.waitSeconds === undefined || values.waitSeconds === null
        ? ""
        : String(values.waitSeconds)
      : (values[field] ?? "").trim();
  return {
    storeId: values.storeId ? values.storeId : null,
    kind: values.kind,
    match,
    weight: values.weight,
    label: values.label.trim(),
  };
}

export type PriorityRuleCheck = { ok: true; request: NewPriorityRule } | { ok: false; fields: PriorityRuleField[] };

/** Checked against the contract; a refused `match` is marked on the field the kind uses. */
export function checkPriorityRule(values: PriorityRuleValues): PriorityRuleCheck {
  const request = ruleRequest(values);
  const parsed = SavePriorityRuleSchema.safeParse(request);
  if (parsed.success) return { ok: true, request: parsed.data };
  const fields = invalidFields(parsed.error.issues, ["storeId", "kind", "match", "weight", "label"] as const).map(
    (field): PriorityRuleField => (field === "match" ? matchField(values.kind) : field),
  );
  return { ok: false, fields };
}
