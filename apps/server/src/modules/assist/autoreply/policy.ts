import { forbidden } from "../../../platform/http/errors.ts";
import { type Actor, atLeast } from "../../identity/index.ts";

/**
 * Who may do what with the auto-reply: every user reads the rules of the stores they
 * serve and the bot's decisions there; supervisors and above change the rules and see
 * the metrics.
 */
export const canChangeRules = (actor: Pick<Actor, "role">): boolean => atLeast(actor, "supervisor");

export const canSeeMetrics = canChangeRules;

export function assertCanChangeRules(actor: Actor): void {
  if (!canChangeRules(actor)) throw forbidden("Only supervisors and admins can change the auto-reply");
}

export function assertCanSeeMetrics(actor: Actor): void {
  if (!canSeeMetrics(actor)) throw forbidden("Only supervisors and admins can see the auto-reply figures");
}
