import { ApiRequestError } from "../api/client.ts";
import type { Translate } from "../i18n/locales.ts";
import type { MessageKey } from "../i18n/zh-CN.ts";
import { errorText } from "../shared/error-text.ts";

export type ConversationAction = "claim" | "unassign" | "transfer" | "snooze" | "merge" | "resolve" | "reopen" | "note";

const titles: Record<ConversationAction, MessageKey> = {
  claim: "actions.claimFailed",
  unassign: "actions.unassignFailed",
  transfer: "actions.transferFailed",
  snooze: "actions.snoozeFailed",
  merge: "actions.mergeFailed",
  resolve: "actions.resolveFailed",
  reopen: "actions.reopenFailed",
  note: "actions.noteFailed",
};

export type ActionFailure = {
  title: string;
  /** The server's reason: for a claim conflict, who holds the conversation. */
  detail: string;
  /** Someone else got there first: the conversation changed under the agent. */
  conflict: boolean;
};

/** What the thread says when a manual action fails. */
export function actionFailure(error: unknown, action: ConversationAction, t: Translate): ActionFailure {
  const conflict = error instanceof ApiRequestError && (error.status === 409 || error.code === "already_assigned");
  if (error instanceof ApiRequestError && error.code === "already_assigned") {
    return { title: t("actions.alreadyAssigned"), detail: error.message || t("errors.unknown"), conflict };
  }
  // The server's own message says why (not_serving_store names the store and the agent).
  return { title: t(titles[action]), detail: errorText(error, t), conflict };
}
