import type { Conversation, ConversationCounts, ConversationStatus, PlatformId, Role } from "@yunxi/contracts";
import type { ConversationQuery } from "../api/endpoints.ts";
import { isAwaitingReply, slaState } from "./sla.ts";

/**
 * The conversation list as a pure function of the inbox state and the filters: which
 * conversations, in which order, and how many per filter value. Everything runs on the client
 * over the conversations the inbox already holds (up to 2,000 open ones and whatever pages were
 * loaded), so switching the store or any other filter needs no request.
 */

/** A conversation at or above this priority is "high" (the priority filter, the red badge). */
export const highPriority = 10;

export type AssigneeFilter = "all" | "mine" | "unassigned" | `agent:${string}`;
export type SlaFilter = "breached" | "due_soon";
/** priority: highest priority first, then longest wait (the queue's order); recent: last message first. */
export type ConversationSort = "priority" | "recent";

export type ConversationFilters = {
  storeId: string | null;
  platform: PlatformId | null;
  /** null: every status. */
  status: ConversationStatus | null;
  assignee: AssigneeFilter;
  highPriorityOnly: boolean;
  tag: string | null;
  sla: SlaFilter | null;
  /** Buyer name, buyer id or text. */
  q: string;
  sort: ConversationSort;
};

export const defaultFilters: ConversationFilters = {
  storeId: null,
  platform: null,
  status: "open",
  assignee: "all",
  highPriorityOnly: false,
  tag: null,
  sla: null,
  q: "",
  sort: "priority",
};

export type FilterContext = {
  /** The signed-in user. */
  meId: string;
  now: number;
  /** Conversations the server found for the current search (matches in older message text). */
  searchHits?: ReadonlySet<string>;
};

export const agentFilter = (userId: string): AssigneeFilter => `agent:${userId}`;

/** Supervisors and above pick a specific agent in the assignee filter (and see every store). */
export function isSupervisor(role: Role): boolean {
  return role !== "agent";
}

/** How many filters differ from the defaults (for the "筛选 (n)" badge). */
export function activeFilterCount(filters: ConversationFilters): number {
  let count = 0;
  for (const key of ["platform", "assignee", "highPriorityOnly", "tag", "sla"] as const) {
    if (filters[key] !== defaultFilters[key]) count++;
  }
  return count;
}

/** When the agent waits since: in the queue since `queuedAt`, else since the buyer's unanswered message. */
export function waitingSince(conversation: Conversation): string | null {
  if (conversation.status === "resolved") return null;
  if (conversation.queuedAt) return conversation.queuedAt;
  return isAwaitingReply(conversation) ? conversation.lastInboundAt : null;
}

function normalize(text: string): string {
  return text.trim().toLowerCase();
}

function matchesSearch(conversation: Conversation, needle: string, hits: ReadonlySet<string> | undefined): boolean {
  if (!needle) return true;
  if (hits?.has(conversation.id)) return true;
  const { customer } = conversation;
  return (
    customer.displayName.toLowerCase().includes(needle) ||
    customer.platformBuyerId.toLowerCase().includes(needle) ||
    conversation.lastMessagePreview.toLowerCase().includes(needle)
  );
}

function matchesAssignee(conversation: Conversation, assignee: AssigneeFilter, meId: string): boolean {
  switch (assignee) {
    case "all":
      return true;
    case "mine":
      return conversation.assigneeId === meId;
    case "unassigned":
      return conversation.assigneeId === null;
    default:
      return conversation.assigneeId === assignee.slice("agent:".length);
  }
}

type Dimension = keyof ConversationFilters;

/** Whether a conversation passes the filters, ignoring those in `except` (a count's own dimension). */
export function matchesFilters(
  conversation: Conversation,
  filters: ConversationFilters,
  context: FilterContext,
  except: ReadonlySet<Dimension> = noDimensions,
  needle = normalize(filters.q),
): boolean {
  if (conversation.mergedIntoId) return false;
  if (!except.has("storeId") && filters.storeId && conversation.storeId !== filters.storeId) return false;
  if (!except.has("platform") && filters.platform && conversation.platform !== filters.platform) return false;
  if (!except.has("status") && filters.status && conversation.status !== filters.status) return false;
  if (!except.has("assignee") && !matchesAssignee(conversation, filters.assignee, context.meId)) return false;
  if (!except.has("highPriorityOnly") && filters.highPriorityOnly && conversation.priority < highPriority) return false;
  if (!except.has("tag") && filters.tag && !conversation.tags.includes(filters.tag)) return false;
  if (!except.has("sla") && filters.sla && slaState(conversation, context.now) !== filters.sla) return false;
  if (!except.has("q") && !matchesSearch(conversation, needle, context.searchHits)) return false;
  return true;
}

const noDimensions: ReadonlySet<Dimension> = new Set();

type Keyed = { conversation: Conversation; priority: number; waiting: number; recent: number };

function keyed(conversation: Conversation): Keyed {
  const since = waitingSince(conversation);
  return {
    conversation,
    priority: conversation.priority,
    waiting: since ? Date.parse(since) : Number.POSITIVE_INFINITY,
    recent: Date.parse(conversation.lastMessageAt),
  };
}

function byPriority(a: Keyed, b: Keyed): number {
  return (
    b.priority - a.priority ||
    (a.waiting === b.waiting ? 0 : a.waiting < b.waiting ? -1 : 1) ||
    b.recent - a.recent ||
    (a.conversation.id < b.conversation.id ? -1 : a.conversation.id > b.conversation.id ? 1 : 0)
  );
}

function byRecent(a: Keyed, b: Keyed): number {
  return b.recent - a.recent || (a.conversation.id < b.conversation.id ? -1 : 1);
}

/** Sorts a list: by priority (desc), then wait (longest first), or by the last message. */
export function sortConversations(list: Iterable<Conversation>, sort: ConversationSort): Conversation[] {
  const rows: Keyed[] = [];
  for (const conversation of list) rows.push(keyed(conversation));
  rows.sort(sort === "priority" ? byPriority : byRecent);
  return rows.map((row) => row.conversation);
}

/** The list as shown: filtered, then sorted. */
export function selectConversations(
  conversations: ReadonlyMap<string, Conversation>,
  filters: ConversationFilters,
  context: FilterContext,
): Conversation[] {
  const needle = normalize(filters.q);
  const matching: Conversation[] = [];
  for (const conversation of conversations.values()) {
    if (matchesFilters(conversation, filters, context, noDimensions, needle)) matching.push(conversation);
  }
  return sortConversations(matching, filters.sort);
}

const exceptStore: ReadonlySet<Dimension> = new Set(["storeId", "assignee", "highPriorityOnly", "tag", "sla", "q"]);
const exceptPlatform: ReadonlySet<Dimension> = new Set(["platform", "assignee", "highPriorityOnly", "tag", "sla", "q"]);
const exceptCounted: ReadonlySet<Dimension> = new Set(["assignee", "highPriorityOnly", "tag", "sla", "q"]);

/**
 * The counts beside the filter values, in the shape of `GET /api/conversations/counts`, from the
 * conversations loaded: like the server, counts apply the store, platform and status filters
 * (open when no status is chosen) except the one being counted (byStore ignores the store filter,
 * byPlatform the platform filter).
 */
export function countConversations(
  conversations: ReadonlyMap<string, Conversation>,
  chosen: ConversationFilters,
  context: FilterContext,
): ConversationCounts {
  const filters = { ...chosen, status: chosen.status ?? "open" };
  const counts: ConversationCounts = {
    total: 0,
    mine: 0,
    unassigned: 0,
    breached: 0,
    waiting: 0,
    byStore: {},
    byPlatform: {},
  };
  for (const conversation of conversations.values()) {
    if (matchesFilters(conversation, filters, context, exceptStore)) {
      counts.byStore[conversation.storeId] = (counts.byStore[conversation.storeId] ?? 0) + 1;
    }
    if (matchesFilters(conversation, filters, context, exceptPlatform)) {
      counts.byPlatform[conversation.platform] = (counts.byPlatform[conversation.platform] ?? 0) + 1;
    }
    if (!matchesFilters(conversation, filters, context, exceptCounted)) continue;
    counts.total++;
    if (conversation.assigneeId === context.meId) counts.mine++;
    if (conversation.assigneeId === null) counts.unassigned++;
    if (slaState(conversation, context.now) === "breached") counts.breached++;
    if (isAwaitingReply(conversation)) counts.waiting++;
  }
  return counts;
}

/** The counts query for the server: the dimensions it counts by. */
export function countsQuery(filters: ConversationFilters): Pick<ConversationQuery, "storeId" | "platform" | "status"> {
  return {
    storeId: filters.storeId ?? undefined,
    platform: filters.platform ?? undefined,
    status: filters.status ?? undefined,
  };
}

/** Every tag on the loaded conversations, for the tag filter, most used first. */
export function tagsInUse(conversations: ReadonlyMap<string, Conversation>): string[] {
  const uses = new Map<string, number>();
  for (const conversation of conversations.values()) {
    for (const tag of conversation.tags) uses.set(tag, (uses.get(tag) ?? 0) + 1);
  }
  return [...uses.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([tag]) => tag);
}

/** The row `delta` away from the current one (J/K); the first row when none is selected. Stops at the ends. */
export function neighbour(list: readonly Conversation[], currentId: string | null, delta: 1 | -1): string | null {
  if (list.length === 0) return null;
  const index = currentId ? list.findIndex((c) => c.id === currentId) : -1;
  if (index < 0) return (delta > 0 ? list[0] : list.at(-1))?.id ?? null;
  const next = Math.min(list.length - 1, Math.max(0, index + delta));
  return list[next]?.id ?? null;
}

/**
 * The next conversation to answer (N): among mine whose buyer waits for a reply, the highest
 * priority and longest wait; if none, the same from the queue (unassigned, waiting). The one
 * already open is skipped.
 */
export function nextWaiting(
  conversations: ReadonlyMap<string, Conversation>,
  meId: string,
  currentId: string | null,
): string | null {
  const mine: Conversation[] = [];
  const queue: Conversation[] = [];
  for (const conversation of conversations.values()) {
    if (conversation.id === currentId || conversation.status !== "open" || conversation.mergedIntoId) continue;
    if (conversation.assigneeId === meId && isAwaitingReply(conversation)) mine.push(conversation);
    else if (conversation.assigneeId === null && (conversation.queuedAt !== null || isAwaitingReply(conversation))) {
      queue.push(conversation);
    }
  }
  const pool = mine.length > 0 ? mine : queue;
  return sortConversations(pool, "priority")[0]?.id ?? null;
}
