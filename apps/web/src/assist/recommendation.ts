import type { AgentState, Conversation, MessageEntities, Recommendation, RecommendedAction } from "@yunxi/contracts";
import { intentOfTag } from "../autoreply/intent-tag.ts";
import { transferCandidates } from "../thread/transfer.ts";

/**
 * The recommendation card's pure parts: when it must be fetched again, who a complaint
 * goes to, and the buyer's named things as short chips.
 */

/**
 * What the recommendation depends on that the screen hears of live: a new buyer message
 * (lastInboundAt), the intent tag (triage, an agent's correction) and the group it waits
 * for (a transfer). A change of this key refetches it.
 */
export function recommendationKey(
  conversation: Pick<Conversation, "id" | "lastInboundAt" | "tags" | "groupId">,
): string {
  const intentTag = conversation.tags.find((tag) => intentOfTag(tag) !== null) ?? "";
  return [conversation.id, conversation.lastInboundAt ?? "", intentTag, conversation.groupId ?? ""].join("|");
}

const roleRank: Record<AgentState["role"], number> = { supervisor: 0, admin: 1, owner: 2, agent: 3 };

/**
 * Who a complaint is escalated to: a supervisor (else an admin or the owner) who serves the
 * store and is not me, available ones first, then the least loaded (transfer.ts).
 */
export function escalationTarget(
  agents: Iterable<AgentState>,
  conversation: Pick<Conversation, "storeId" | "assigneeId">,
  meId: string,
): AgentState | undefined {
  const candidates = transferCandidates(agents, conversation).filter((a) => a.role !== "agent" && a.userId !== meId);
  // A stable sort: within a role, transferCandidates' order (available, then least loaded) stays.
  return candidates.sort((a, b) => roleRank[a.role] - roleRank[b.role])[0];
}

/** The order an action opens, if it is about one. */
export const actionOrderId = (action: RecommendedAction): string | null => ("order" in action ? action.order.id : null);

/** The buyer's named things (sizes, colours, numbers, amounts, times, body), as short texts. */
export function entityChips(entities: MessageEntities): string[] {
  const body = entities.body;
  return [
    ...entities.orderNumbers,
    ...entities.trackingNumbers,
    ...entities.sizes,
    ...entities.colours,
    ...(body?.heightCm ? [`${body.heightCm}cm`] : []),
    ...(body?.weightKg ? [`${body.weightKg}kg`] : []),
    ...entities.amounts.map((a) => `¥${a.yuan}`),
    ...entities.datetimes.map((d) => d.text),
    ...entities.phones,
  ];
}

/** Whether there is anything to show beyond the tag. */
export const hasSuggestions = (r: Recommendation): boolean =>
  r.replies.length > 0 || r.articles.length > 0 || r.actions.length > 0;
