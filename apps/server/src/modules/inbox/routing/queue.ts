import type { AgentStatus, Classification, StoreRouting } from "@yunxi/contracts";
import { sql } from "drizzle-orm";
import type { AppContext } from "../../../platform/context.ts";
import { type Executor, queryRows, rowFromRaw } from "../../../platform/db/client.ts";
import { appendEvents, type LoggedEvent, type NewEvent } from "../../../platform/events/log.ts";
import { enqueue } from "../../../platform/jobs/queue.ts";
import { classify, isConfident } from "../../assist/index.ts";
import { customerTags } from "../../customers/index.ts";
import { getOrg, listUsers, membershipsOf } from "../../identity/index.ts";
import { notifyTriaged, type TriageReview } from "../bot.ts";
import type { ConversationRow } from "../presenter.ts";
import { presentConversations } from "../queries.ts";
import { conversations } from "../tables.ts";
import { type AgentCandidate, chooseAgent } from "./assign.ts";
import { scorePriority } from "./priority.ts";
import { groupsByUser, rulesByStore, storeRoutings } from "./settings.ts";
import { slaDueTimes } from "./sla.ts";

/**
 * The queue: triage (priority and SLA due times of conversations the buyer just
 * wrote in) and routing (queued conversations to available agents). Both run per
 * org under one transaction-scoped lock, so two workers never hand the same agent
 * more than their capacity; the UPDATE's `assignee_id IS NULL` guard keeps an
 * agent's manual claim from being overwritten.
 */
export const TRIAGE_QUEUE = "inbox-triage";

/**
 * Enqueued by ingest in its transaction, after marking the conversations
 * (`needs_triage`). One waiting job per org is enough: it takes every marked
 * conversation when it runs, so a burst of pushes costs one triage pass, not one
 * per push. (A push that commits just as a running job has read the marks is
 * picked up by the next job or, at worst, by the sweep two seconds later.)
 */
export async function enqueueTriage(tx: Executor, orgId: string): Promise<void> {
  const waiting = await queryRows(
    tx,
    sql`SELECT 1 FROM jobs WHERE queue = ${TRIAGE_QUEUE} AND org_id = ${orgId} AND status = 'queued' LIMIT 1`,
  );
  if (waiting.length > 0) return;
  await enqueue(tx, { orgId, queue: TRIAGE_QUEUE, payload: {}, orderingKey: `queue:${orgId}`, maxAttempts: 5 });
}

const lockOrgQueue = (tx: Executor, orgId: string) =>
  tx.execute(sql`SELECT pg_advisory_xact_lock(7120, hashtext(${orgId}))`);

/** Conversation rows changed in bulk, presented and logged for every screen. */
export async function conversationEvents(tx: Executor, orgId: string, rows: ConversationRow[]): Promise<NewEvent[]> {
  const shown = await presentConversations(tx, orgId, rows);
  return shown.map((conversation) => ({
    type: "conversation.updated",
    storeId: conversation.storeId,
    payload: { conversation },
  }));
}

// ── Triage ───────────────────────────────────────────────────────────────

interface Waiting {
  conversation_id: string;
  waiting_since: string | Date;
  texts: string[];
  unanswered: number;
}

/**
 * Weigh conversations again (a buyer's tags changed, time passed for wait rules): marked
 * for triage, and a triage job enqueued unless one waits already.
 */
export async function retriage(ctx: AppContext, orgId: string, where: ReturnType<typeof sql>): Promise<number> {
  const marked = await ctx.db.transaction(async (tx) => {
    const rows = await queryRows(
      tx,
      sql`UPDATE conversations SET needs_triage = true
          WHERE org_id = ${orgId} AND status <> 'resolved' AND NOT needs_triage AND (${where}) RETURNING id`,
    );
    if (rows.length > 0) await enqueueTriage(tx, orgId);
    return rows.length;
  });
  if (marked > 0) ctx.jobs.notify();
  return marked;
}

export const retriageCustomer = (ctx: AppContext, orgId: string, customerId: string) =>
  retriage(ctx, orgId, sql`customer_id = ${customerId}::uuid`);

/** One pass takes at most this many marked conversations; a bigger backlog takes several passes. */
const TRIAGE_BATCH = 2000;

/**
 * Priority, SLA due times and the queue for conversations whose buyer wrote (marked
 * by ingest): a conversation nobody holds is queued from the buyer's first
 * unanswered message; a snoozed one that the buyer woke is no longer snoozed. Then
 * the routing pass, in the same transaction, so a burst costs one lock and one
 * round of events.
 */
export async function triageAndRoute(ctx: AppContext, orgId: string): Promise<LoggedEvent[]> {
  const events = await ctx.db.transaction(async (tx) => {
    await lockOrgQueue(tx, orgId);
    const out = await triageLocked(ctx, tx, orgId);
    out.push(...(await routeLocked(ctx, tx, orgId)));
    return appendEvents(tx, orgId, mergeConversationEvents(out));
  });
  ctx.bus.publish(events);
  return events;
}

/** A conversation triaged and then assigned in one pass is sent once, as it ends up. */
function mergeConversationEvents(events: NewEvent[]): NewEvent[] {
  const last = new Map<string, number>();
  events.forEach((e, i) => {
    if (e.type === "conversation.updated") last.set((e.payload.conversation as { id: string }).id, i);
  });
  return events.filter(
    (e, i) => e.type !== "conversation.updated" || last.get((e.payload.conversation as { id: string }).id) === i,
  );
}

async function triageLocked(ctx: AppContext, tx: Executor, orgId: string): Promise<NewEvent[]> {
  const rows = (
    await queryRows<Record<string, unknown>>(
      tx,
      sql`SELECT * FROM conversations WHERE org_id = ${orgId} AND needs_triage
          ORDER BY last_inbound_at LIMIT ${TRIAGE_BATCH} FOR UPDATE`,
    )
  ).map((r) => rowFromRaw(conversations, r));
  if (rows.length === 0) return [];
  const waiting = await unansweredMessages(
    tx,
    orgId,
    rows.map((r) => r.id),
  );
  const [org, routings, rulesFor, platforms, buyerTags] = await Promise.all([
    getOrg(tx, orgId),
    storeRoutings(tx, orgId, [...new Set(rows.map((r) => r.storeId))]),
    rulesByStore(tx, orgId),
    storePlatforms(tx, orgId),
    customerTags(
      tx,
      orgId,
      rows.map((r) => r.customerId),
    ),
  ]);
  const now = ctx.now();
  const reviews = new Map<string, TriageReview>();
  const changed = rows.map((original): ConversationRow => {
    const w = waiting.get(original.id);
    // AI pre-review: the buyer's unanswered messages, read together, give the conversation its intent tag.
    const review = reviewOf(w?.texts ?? []);
    if (review && w) reviews.set(original.id, { classification: review, unanswered: w.unanswered });
    const row = { ...original, tags: tagsAfterReview(original.tags, review) };
    const next = triaged(row, routings.get(row.storeId)!, {
      waitingSince: w ? new Date(w.waiting_since) : null,
      texts: w?.texts ?? [],
      platform: platforms.get(row.storeId) ?? "",
      buyerTags: buyerTags.get(row.customerId) ?? [],
      rules: rulesFor(row.storeId),
      timeZone: org.timezone,
      now,
    });
    return { ...row, ...next, needsTriage: false };
  });
  await writeTriage(tx, changed);
  // What follows triage elsewhere (the assist module's auto-reply and LLM jobs), committed with it.
  await notifyTriaged(tx, orgId, changed, reviews);
  // Screens hear of what they show; a re-weighing that changed nothing stays silent.
  const before = new Map(rows.map((r) => [r.id, visibleTriage(r)]));
  return conversationEvents(
    tx,
    orgId,
    changed.filter((c) => before.get(c.id) !== visibleTriage(c)),
  );
}

const visibleTriage = (c: ConversationRow) =>
  JSON.stringify([
    c.priority,
    c.priorityReasons,
    c.tags,
    c.firstResponseDueAt,
    c.nextResponseDueAt,
    c.resolutionDueAt,
    c.queuedAt,
    c.snoozedUntil,
    c.status,
  ]);

function triaged(
  row: ConversationRow,
  routing: StoreRouting,
  facts: {
    waitingSince: Date | null;
    texts: string[];
    platform: string;
    buyerTags: string[];
    rules: ReturnType<Awaited<ReturnType<typeof rulesByStore>>>;
    timeZone: string;
    now: Date;
  },
): Partial<ConversationRow> {
  const waitedSeconds = facts.waitingSince ? (facts.now.getTime() - facts.waitingSince.getTime()) / 1000 : 0;
  const scored = scorePriority(facts.rules, {
    texts: facts.texts,
    tags: row.tags,
    buyerTags: facts.buyerTags,
    platform: facts.platform,
    waitedSeconds,
  });
  const escalated = row.slaBreaches.length > 0 ? routing.sla.escalation.raisePriority : 0;
  const due = slaDueTimes(
    {
      status: row.status,
      createdAt: row.createdAt,
      firstInboundAt: row.firstInboundAt,
      firstResponseAt: row.firstResponseAt,
      waitingSince: facts.waitingSince,
      firstResponseDueAt: row.firstResponseDueAt,
      nextResponseDueAt: row.nextResponseDueAt,
      resolutionDueAt: row.resolutionDueAt,
    },
    routing.sla,
    routing.businessHours,
    facts.timeZone,
  );
  const open = row.status === "open";
  return {
    priority: scored.priority + escalated,
    priorityReasons: escalated > 0 ? [...scored.reasons, "SLA"] : scored.reasons,
    ...due,
    queuedAt:
      open && row.assigneeId === null && facts.waitingSince !== null
        ? (row.queuedAt ?? facts.waitingSince)
        : row.queuedAt,
    snoozedUntil: open ? null : row.snoozedUntil,
  };
}

/** Per conversation: the first buyer message after the last reply, the (last five) texts since, and how many. */
async function unansweredMessages(tx: Executor, orgId: string, ids: string[]): Promise<Map<string, Waiting>> {
  const rows = await queryRows<Waiting>(
    tx,
    sql`SELECT m.conversation_id, min(m.created_at) AS waiting_since,
               (array_agg(m.body ORDER BY m.created_at DESC))[1:5] AS texts, count(*)::int AS unanswered
        FROM messages m JOIN conversations c ON c.id = m.conversation_id
        WHERE m.org_id = ${orgId} AND m.conversation_id = ANY(${sql.param(ids)}::uuid[])
          AND m.direction = 'inbound'
          AND m.created_at > coalesce(c.last_outbound_at, '-infinity'::timestamptz)
        GROUP BY m.conversation_id`,
  );
  return new Map(rows.map((r) => [r.conversation_id, r]));
}

async function storePlatforms(tx: Executor, orgId: string): Promise<Map<string, string>> {
  const rows = await queryRows<{ id: string; platform: string }>(
    tx,
    sql`SELECT id, platform FROM stores WHERE org_id = ${orgId}`,
  );
  return new Map(rows.map((r) => [r.id, r.platform]));
}

async function writeTriage(tx: Executor, rows: ConversationRow[]): Promise<void> {
  const col = <T>(f: (r: ConversationRow) => T) => sql.param(rows.map(f));
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  await tx.execute(
    sql`UPDATE conversations c SET priority = v.priority, priority_reasons = v.reasons::jsonb,
          first_response_due_at = v.first_due, next_response_due_at = v.next_due, resolution_due_at = v.resolution_due,
          queued_at = v.queued_at, snoozed_until = v.snoozed_until, needs_triage = false, tags = v.tags::jsonb
        FROM unnest(${col((r) => r.id)}::uuid[], ${col((r) => r.priority)}::int[],
                    ${col((r) => JSON.stringify(r.priorityReasons))}::text[],
                    ${col((r) => iso(r.firstResponseDueAt))}::timestamptz[], ${col((r) => iso(r.nextResponseDueAt))}::timestamptz[],
                    ${col((r) => iso(r.resolutionDueAt))}::timestamptz[], ${col((r) => iso(r.queuedAt))}::timestamptz[],
                    ${col((r) => iso(r.snoozedUntil))}::timestamptz[], ${col((r) => JSON.stringify(r.tags))}::text[])
             AS v(id, priority, reasons, first_due, next_due, resolution_due, queued_at, snoozed_until, tags)
        WHERE c.id = v.id`,
  );
}

/** The tag an angry or upset buyer's conversation carries (a priority rule can raise it). */
export const NEGATIVE_TAG = "情绪-负面";
const intentPrefixes = ["售前-", "售后-", "物流-", "投诉", "其他", NEGATIVE_TAG];
const isReviewTag = (tag: string) => intentPrefixes.some((p) => tag.startsWith(p));

/** The local classifier on what the buyer wrote since the last answer (newest first, read oldest first); null: nothing. */
export function reviewOf(newestFirst: string[]): Classification | null {
  return newestFirst.length === 0 ? null : classify([...newestFirst].reverse().join("\n"));
}

/**
 * The conversation's tags after the review of what the buyer wrote since the last answer:
 * the intent tag (`售后-退换货-鞋子类目`) when the model is confident, the
 * negative-sentiment tag, and every other tag kept as it was. A message the model is
 * unsure of leaves the previous intent in place rather than guessing (the assist module
 * may ask the LLM afterwards, outside this transaction).
 */
export function tagsAfterReview(tags: string[], result: Classification | null): string[] {
  if (result === null) return tags;
  const kept = tags.filter((t) => !isReviewTag(t));
  const intent = isConfident(result) ? result.tag : tags.find((t) => isReviewTag(t) && t !== NEGATIVE_TAG);
  return [...(intent ? [intent] : []), ...(result.sentiment.negative ? [NEGATIVE_TAG] : []), ...kept];
}

// ── Routing ──────────────────────────────────────────────────────────────

export interface AgentInfo extends AgentCandidate {
  name: string;
  role: string;
  disabled: boolean;
  lastActiveAt: Date | null;
  statusChangedAt: Date | null;
  waiting: number;
}

/** Every user of the org with their availability, stores, groups and current load. */
export async function agentInfos(db: Executor, orgId: string): Promise<AgentInfo[]> {
  const users = await listUsers(db, orgId);
  const [memberships, groups, states, loads] = await Promise.all([
    membershipsOf(
      db,
      orgId,
      users.map((u) => u.id),
    ),
    groupsByUser(db, orgId),
    queryRows<{
      user_id: string;
      status: string;
      capacity: number;
      last_active_at: string | null;
      status_changed_at: string | null;
      last_assigned_at: string | null;
    }>(db, sql`SELECT * FROM agent_states WHERE org_id = ${orgId}`),
    queryRows<{ assignee_id: string; load: number; waiting: number }>(
      db,
      sql`SELECT assignee_id, count(*)::int AS load,
                 count(*) FILTER (WHERE last_inbound_at > coalesce(last_outbound_at, '-infinity'::timestamptz))::int AS waiting
          FROM conversations WHERE org_id = ${orgId} AND assignee_id IS NOT NULL AND status = 'open'
          GROUP BY assignee_id`,
    ),
  ]);
  const stateOf = new Map(states.map((s) => [s.user_id, s]));
  const loadOf = new Map(loads.map((l) => [l.assignee_id, l]));
  const date = (v: string | null) => (v === null ? null : new Date(v));
  return users.map((u) => {
    const s = stateOf.get(u.id);
    const sees = u.role !== "agent";
    return {
      userId: u.id,
      name: u.name,
      role: u.role,
      disabled: u.disabled,
      status: u.disabled ? "offline" : ((s?.status ?? "offline") as AgentStatus),
      capacity: s?.capacity ?? DEFAULT_CAPACITY,
      load: loadOf.get(u.id)?.load ?? 0,
      waiting: loadOf.get(u.id)?.waiting ?? 0,
      lastAssignedAt: date(s?.last_assigned_at ?? null),
      lastActiveAt: date(s?.last_active_at ?? null),
      statusChangedAt: date(s?.status_changed_at ?? null),
      storeIds: sees ? null : new Set(memberships.get(u.id) ?? []),
      groupIds: groups.get(u.id) ?? new Set(),
    };
  });
}

export const DEFAULT_CAPACITY = 10;
/** One routing pass takes at most this many queued conversations, best first. */
const ROUTE_BATCH = 1000;

/**
 * Give queued conversations to available agents, by priority then wait. Returns
 * the agents who received conversations, for their `agent.updated` events.
 */
export async function routeOrg(ctx: AppContext, orgId: string): Promise<LoggedEvent[]> {
  const events = await ctx.db.transaction(async (tx) => {
    await lockOrgQueue(tx, orgId);
    return appendEvents(tx, orgId, await routeLocked(ctx, tx, orgId));
  });
  ctx.bus.publish(events);
  return events;
}

async function routeLocked(ctx: AppContext, tx: Executor, orgId: string): Promise<NewEvent[]> {
  const now = ctx.now();
  const queued = (
    await queryRows<Record<string, unknown>>(
      tx,
      sql`SELECT * FROM conversations
          WHERE org_id = ${orgId} AND queued_at IS NOT NULL AND assignee_id IS NULL AND status = 'open'
          ORDER BY priority DESC, queued_at ASC LIMIT ${ROUTE_BATCH}`,
    )
  ).map((r) => rowFromRaw(conversations, r));
  if (queued.length === 0) return [];
  const agents = (await agentInfos(tx, orgId)).filter((a) => a.status === "online" && !a.disabled);
  if (agents.length === 0) return [];
  const routings = await storeRoutings(tx, orgId, [...new Set(queued.map((c) => c.storeId))]);
  const previous = await previousAgents(tx, orgId, queued, routings);
  const assignments: { id: string; agentId: string }[] = [];
  for (const c of queued) {
    const routing = routings.get(c.storeId)!;
    if (!routing.autoAssign) continue;
    const chosen = chooseAgent(
      {
        storeId: c.storeId,
        strategy: routing.strategy,
        groupId: c.groupId ?? routing.groupId,
        overflowGroupId: routing.overflowGroupId,
        overflowAfterSeconds: routing.overflowAfterSeconds,
        queuedSeconds: (now.getTime() - c.queuedAt!.getTime()) / 1000,
        previousAgentId: previous.get(c.customerId) ?? null,
      },
      agents,
    );
    if (!chosen) continue;
    chosen.load++;
    chosen.waiting++;
    chosen.lastAssignedAt = now;
    assignments.push({ id: c.id, agentId: chosen.userId });
  }
  if (assignments.length === 0) return [];
  const assigned = await assignMany(tx, orgId, assignments, now);
  const agentIds = new Set(assigned.map((r) => r.assigneeId!));
  await tx.execute(
    sql`UPDATE agent_states SET last_assigned_at = ${now.toISOString()}::timestamptz
        WHERE org_id = ${orgId} AND user_id = ANY(${sql.param([...agentIds])}::uuid[])`,
  );
  const events = await conversationEvents(tx, orgId, assigned);
  // The agents' new load, as counted while assigning (no second look-up).
  for (const agent of agents) {
    if (agentIds.has(agent.userId)) {
      events.push({ type: "agent.updated", storeId: null, payload: { agent: presentAgent(agent) } });
    }
  }
  return events;
}

/** Sticky routing: who last served each of these buyers (in any store of the org). */
async function previousAgents(
  tx: Executor,
  orgId: string,
  queued: ConversationRow[],
  routings: Map<string, StoreRouting>,
): Promise<Map<string, string>> {
  const customers = [
    ...new Set(queued.filter((c) => routings.get(c.storeId)?.strategy === "sticky").map((c) => c.customerId)),
  ];
  if (customers.length === 0) return new Map();
  const rows = await queryRows<{ customer_id: string; assignee_id: string }>(
    tx,
    sql`SELECT DISTINCT ON (customer_id) customer_id, assignee_id FROM conversations
        WHERE org_id = ${orgId} AND customer_id = ANY(${sql.param(customers)}::uuid[]) AND assignee_id IS NOT NULL
        ORDER BY customer_id, last_message_at DESC`,
  );
  return new Map(rows.map((r) => [r.customer_id, r.assignee_id]));
}

/** Assign in one statement; a conversation someone claimed meanwhile is left alone. */
async function assignMany(
  tx: Executor,
  orgId: string,
  assignments: { id: string; agentId: string }[],
  now: Date,
): Promise<ConversationRow[]> {
  const rows = await queryRows<Record<string, unknown>>(
    tx,
    sql`UPDATE conversations c SET assignee_id = v.agent_id, assigned_at = ${now.toISOString()}::timestamptz,
          queued_at = NULL, updated_at = ${now.toISOString()}::timestamptz
        FROM unnest(${sql.param(assignments.map((a) => a.id))}::uuid[], ${sql.param(assignments.map((a) => a.agentId))}::uuid[])
             AS v(id, agent_id)
        WHERE c.org_id = ${orgId} AND c.id = v.id AND c.assignee_id IS NULL
        RETURNING c.*`,
  );
  return rows.map((r) => rowFromRaw(conversations, r));
}

/** `agent.updated` events for agents whose load or status changed. */
export async function agentEvents(tx: Executor, orgId: string, userIds: string[]): Promise<NewEvent[]> {
  if (userIds.length === 0) return [];
  const infos = (await agentInfos(tx, orgId)).filter((a) => userIds.includes(a.userId));
  return infos.map((a) => ({ type: "agent.updated", storeId: null, payload: { agent: presentAgent(a) } }));
}

export function presentAgent(a: AgentInfo) {
  return {
    userId: a.userId,
    name: a.name,
    role: a.role as "agent",
    status: a.status,
    capacity: a.capacity,
    load: a.load,
    waiting: a.waiting,
    storeIds: a.storeIds === null ? [] : [...a.storeIds],
    groupIds: [...a.groupIds],
    lastActiveAt: a.lastActiveAt?.toISOString() ?? null,
    statusChangedAt: a.statusChangedAt?.toISOString() ?? null,
  };
}

/**
 * Put conversations back in the queue (an agent went offline or lost the store, a
 * supervisor unassigned them, an SLA breach reassigns). The buyer keeps their place:
 * the wait counts from their first unanswered message.
 */
export async function requeue(
  tx: Executor,
  orgId: string,
  where: ReturnType<typeof sql>,
  now: Date,
): Promise<ConversationRow[]> {
  const rows = await queryRows<Record<string, unknown>>(
    tx,
    sql`UPDATE conversations SET assignee_id = NULL, assigned_at = NULL,
          queued_at = CASE WHEN status = 'open' THEN coalesce(last_inbound_at, ${now.toISOString()}::timestamptz) END,
          updated_at = ${now.toISOString()}::timestamptz
        WHERE org_id = ${orgId} AND status <> 'resolved' AND (${where})
        RETURNING *`,
  );
  return rows.map((r) => rowFromRaw(conversations, r));
}
