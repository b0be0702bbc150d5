import type { AgentState, Conversation } from "@yunxi/contracts";

/** Whether an agent serves a store: supervisors and above serve every store, agents theirs. */
export function servesStore(agent: Pick<AgentState, "role" | "storeIds">, storeId: string): boolean {
  return agent.role !== "agent" || agent.storeIds.includes(storeId);
}

const statusRank: Record<AgentState["status"], number> = { online: 0, busy: 1, away: 2, offline: 3 };

/**
 * Who a conversation can be transferred to: agents serving its store, except the one who holds
 * it; available ones first, then the least loaded (relative to capacity), then by name.
 */
export function transferCandidates(
  agents: Iterable<AgentState>,
  conversation: Pick<Conversation, "storeId" | "assigneeId">,
): AgentState[] {
  const list: AgentState[] = [];
  for (const agent of agents) {
    if (agent.userId !== conversation.assigneeId && servesStore(agent, conversation.storeId)) list.push(agent);
  }
  const ratio = (agent: AgentState) => agent.load / Math.max(1, agent.capacity);
  return list.sort(
    (a, b) =>
      statusRank[a.status] - statusRank[b.status] || ratio(a) - ratio(b) || a.name.localeCompare(b.name, "zh-CN"),
  );
}

/** Other open conversations of the same buyer that can be merged into this one. */
export function mergeCandidates(
  conversations: Iterable<Conversation>,
  conversation: Pick<Conversation, "id" | "customer">,
): Conversation[] {
  const list: Conversation[] = [];
  for (const other of conversations) {
    if (other.id === conversation.id || other.mergedIntoId || other.status === "resolved") continue;
    if (other.customer.id === conversation.customer.id) list.push(other);
  }
  return list.sort((a, b) => (a.lastMessageAt < b.lastMessageAt ? 1 : -1));
}
