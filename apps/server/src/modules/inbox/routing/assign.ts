import type { AgentStatus, RoutingStrategy } from "@yunxi/contracts";

export interface AgentCandidate {
  userId: string;
  status: AgentStatus;
  capacity: number;
  /** Open conversations assigned now (kept up to date by the caller as it assigns). */
  load: number;
  lastAssignedAt: Date | null;
  storeIds: ReadonlySet<string> | null;
  groupIds: ReadonlySet<string>;
}

export interface RoutingTarget {
  storeId: string;
  strategy: RoutingStrategy;
  /** Only members of this group; null = anyone serving the store. */
  groupId: string | null;
  /** After `overflowAfterSeconds` in the queue, members of this group may take it too. */
  overflowGroupId: string | null;
  overflowAfterSeconds: number | null;
  /** Seconds this conversation has waited in the queue. */
  queuedSeconds: number;
  /** Sticky: who served this buyer last. */
  previousAgentId: string | null;
}

/** Whether the agent may take a conversation of the store: serves it, online, below capacity. */
export function isAvailable(agent: AgentCandidate, storeId: string): boolean {
  return (
    agent.status === "online" && agent.load < agent.capacity && (agent.storeIds === null || agent.storeIds.has(storeId))
  );
}

function inTargetGroup(agent: AgentCandidate, t: RoutingTarget): boolean {
  if (t.groupId === null || agent.groupIds.has(t.groupId)) return true;
  const overflowing =
    t.overflowGroupId !== null && t.overflowAfterSeconds !== null && t.queuedSeconds >= t.overflowAfterSeconds;
  return overflowing && agent.groupIds.has(t.overflowGroupId!);
}

const time = (d: Date | null) => d?.getTime() ?? Number.NEGATIVE_INFINITY;

/** Round robin: whoever was assigned longest ago (never assigned first); ties by id for determinism. */
const byTurn = (a: AgentCandidate, b: AgentCandidate) =>
  time(a.lastAssignedAt) - time(b.lastAssignedAt) || a.userId.localeCompare(b.userId);

/** Least busy: lowest share of capacity in use, then whose turn it is. */
const byLoad = (a: AgentCandidate, b: AgentCandidate) => a.load / a.capacity - b.load / b.capacity || byTurn(a, b);

/**
 * The agent to give the conversation to, or null to leave it in the queue. Sticky
 * sends a returning buyer to the agent who served them last if that agent is
 * available now, else falls back to least busy rather than making the buyer wait.
 */
export function chooseAgent<A extends AgentCandidate>(target: RoutingTarget, agents: readonly A[]): A | null {
  const eligible = agents.filter((a) => isAvailable(a, target.storeId) && inTargetGroup(a, target));
  if (eligible.length === 0) return null;
  if (target.strategy === "sticky" && target.previousAgentId) {
    const previous = eligible.find((a) => a.userId === target.previousAgentId);
    if (previous) return previous;
  }
  return [...eligible].sort(target.strategy === "round_robin" ? byTurn : byLoad)[0]!;
}
