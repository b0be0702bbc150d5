import type { AgentState, AgentStatus, Conversation, RealtimeEvent, Role } from "@yunxi/contracts";

/**
 * What the supervisor view shows, as pure functions over the agents and the conversations it
 * loaded and then keeps current from realtime events: every agent with their conversations, the
 * queue (open, nobody assigned) and the breached conversations: the missed-reply guard, made visible.
 */
export type SupervisorData = {
  agents: ReadonlyMap<string, AgentState>;
  conversations: ReadonlyMap<string, Conversation>;
};

export const emptySupervisorData: SupervisorData = { agents: new Map(), conversations: new Map() };

const rank: Record<Role, number> = { agent: 0, supervisor: 1, admin: 2, owner: 3 };

/** The supervisor view and the routing settings: supervisors and above. */
export function canSupervise(role: Role): boolean {
  return rank[role] >= rank.supervisor;
}

/** HTTP answers: upserted, except over a copy a realtime event made newer (by last message time). */
export function mergeConversations(data: SupervisorData, items: readonly Conversation[]): SupervisorData {
  if (items.length === 0) return data;
  const conversations = new Map(data.conversations);
  for (const item of items) {
    const known = conversations.get(item.id);
    if (known && known.lastMessageAt > item.lastMessageAt) continue;
    conversations.set(item.id, item);
  }
  return { ...data, conversations };
}

/**
 * A fresh load replaces the picture: conversations it no longer lists (resolved meanwhile) go; for
 * the ones it lists, a copy that a realtime event made newer while the load ran is kept.
 */
export function refreshedConversations(current: SupervisorData, loaded: SupervisorData): SupervisorData {
  const kept = [...current.conversations.values()].filter((c) => loaded.conversations.has(c.id));
  return mergeConversations(loaded, kept);
}

export function withAgents(data: SupervisorData, agents: readonly AgentState[]): SupervisorData {
  return { ...data, agents: new Map(agents.map((agent) => [agent.userId, agent])) };
}

export function withAgent(data: SupervisorData, agent: AgentState): SupervisorData {
  return { ...data, agents: new Map(data.agents).set(agent.userId, agent) };
}

/** Realtime events win: conversation.*, message.created and sla.alert carry the conversation, agent.updated the agent. */
export function applySupervisorEvents(data: SupervisorData, events: readonly RealtimeEvent[]): SupervisorData {
  let agents: Map<string, AgentState> | null = null;
  let conversations: Map<string, Conversation> | null = null;
  for (const event of events) {
    if (event.type === "agent.updated") {
      agents ??= new Map(data.agents);
      agents.set(event.agent.userId, event.agent);
    } else if ("conversation" in event) {
      conversations ??= new Map(data.conversations);
      conversations.set(event.conversation.id, event.conversation);
    }
  }
  if (!agents && !conversations) return data;
  return { agents: agents ?? data.agents, conversations: conversations ?? data.conversations };
}

/** Since when the buyer waits: in the queue since, else since their last unanswered message. */
export function waitingSince(c: Conversation): string | null {
  if (c.queuedAt) return c.queuedAt;
  return isAwaitingReply(c) ? c.lastInboundAt : null;
}

/** The buyer wrote last: their message has no answer yet. */
export function isAwaitingReply(c: Conversation): boolean {
  if (!c.lastInboundAt) return false;
  return !c.lastOutboundAt || c.lastOutboundAt < c.lastInboundAt;
}

/** Highest priority first, then the longest wait (the queue's own order). */
export function byPriorityThenWait(a: Conversation, b: Conversation): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  const wa = waitingSince(a) ?? a.lastMessageAt;
  const wb = waitingSince(b) ?? b.lastMessageAt;
  return wa < wb ? -1 : wa > wb ? 1 : 0;
}

const isLive = (c: Conversation) => c.status !== "resolved" && c.mergedIntoId === null;

/** Open conversations that nobody holds. */
export function unassignedQueue(data: SupervisorData): Conversation[] {
  const list: Conversation[] = [];
  for (const c of data.conversations.values())
    if (c.assigneeId === null && c.status === "open" && isLive(c)) list.push(c);
  return list.sort(byPriorityThenWait);
}

/** Conversations that missed an SLA target and are not resolved. */
export function breachedList(data: SupervisorData): Conversation[] {
  const list: Conversation[] = [];
  for (const c of data.conversations.values()) if (c.sla.breaches.length > 0 && isLive(c)) list.push(c);
  return list.sort(byPriorityThenWait);
}

export type AgentRow = { agent: AgentState; conversations: Conversation[] };

const statusOrder: Record<AgentStatus, number> = { online: 0, busy: 1, away: 2, offline: 3 };

/** Every agent with the conversations they hold now; available agents first, then by name. */
export function agentRows(data: SupervisorData): AgentRow[] {
  const held = new Map<string, Conversation[]>();
  for (const c of data.conversations.values()) {
    if (c.assigneeId === null || !isLive(c)) continue;
    const list = held.get(c.assigneeId);
    if (list) list.push(c);
    else held.set(c.assigneeId, [c]);
  }
  const rows: AgentRow[] = [];
  for (const agent of data.agents.values()) {
    rows.push({ agent, conversations: (held.get(agent.userId) ?? []).sort(byPriorityThenWait) });
  }
  return rows.sort(
    (a, b) =>
      statusOrder[a.agent.status] - statusOrder[b.agent.status] || a.agent.name.localeCompare(b.agent.name, "zh-CN"),
  );
}

/** Totals for the summary line. */
export function supervisorTotals(data: SupervisorData): {
  online: number;
  agents: number;
  queued: number;
  breached: number;
  waiting: number;
} {
  let online = 0;
  let waiting = 0;
  for (const agent of data.agents.values()) {
    if (agent.status === "online") online++;
    waiting += agent.waiting;
  }
  return {
    online,
    agents: data.agents.size,
    queued: unassignedQueue(data).length,
    breached: breachedList(data).length,
    waiting,
  };
}

/** Whole minutes since `iso` (0 for the future or an unreadable time). */
export function minutesSince(iso: string | null, now: number): number | null {
  if (!iso) return null;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.floor((now - at) / 60_000));
}

/** Agents a conversation can be transferred to: not the current holder, serving the store (or all stores). */
export function transferTargets(agents: Iterable<AgentState>, c: Conversation): AgentState[] {
  const list: AgentState[] = [];
  for (const agent of agents) {
    if (agent.userId === c.assigneeId) continue;
    list.push(agent);
  }
  return list.sort(
    (a, b) =>
      Number(!servesStore(a, c.storeId)) - Number(!servesStore(b, c.storeId)) ||
      statusOrder[a.status] - statusOrder[b.status] ||
      a.name.localeCompare(b.name, "zh-CN"),
  );
}

/** Agents serve their stores; supervisors and above every store. */
export function servesStore(agent: AgentState, storeId: string): boolean {
  return agent.role !== "agent" || agent.storeIds.includes(storeId);
}

/** The capacity to save from an edited field: a whole number 1–200 that differs from the current one, else null. */
export function capacityToSave(draft: number | null, current: number): number | null {
  if (draft === null || !Number.isInteger(draft) || draft < 1 || draft > 200 || draft === current) return null;
  return draft;
}
