import { sql } from "drizzle-orm";
import type { AppContext } from "../../../platform/context.ts";
import { type Executor, queryRows, rowFromRaw } from "../../../platform/db/client.ts";
import { newId } from "../../../platform/db/ids.ts";
import { appendEvents, type NewEvent } from "../../../platform/events/log.ts";
import { enqueueRecurring } from "../../../platform/jobs/recurring.ts";
import type { ConversationRow } from "../presenter.ts";
import { presentConversations } from "../queries.ts";
import { conversations, slaBreaches } from "../tables.ts";
import { setAgentStatus } from "./agents.ts";
import { agentEvents, agentInfos, conversationEvents, requeue, retriage, triageAndRoute } from "./queue.ts";
import { storeRoutings } from "./settings.ts";
import { type SlaAlert, type SlaFacts, slaAlerts } from "./sla.ts";

/**
 * The workspace's clock: what happens because time passed rather than because
 * someone acted — snoozes end, idle agents turn away and then offline, SLA targets
 * warn and breach, conversations waiting past the overflow time reach the overflow
 * group, and conversations held by someone who lost the store go back to the queue.
 */
export const WORKSPACE_SWEEP_QUEUE = "inbox-sweep";
const SWEEP_EVERY_MS = 2000;
/** Idle this long: away (no new conversations). Away this long: offline (unanswered ones re-queued). */
export const AWAY_AFTER_SECONDS = 5 * 60;
export const OFFLINE_AFTER_AWAY_SECONDS = 30 * 60;

export function registerWorkspaceSweep(ctx: AppContext): void {
  ctx.jobs.register(WORKSPACE_SWEEP_QUEUE, async () => {
    try {
      const orgs = await queryRows<{ id: string }>(ctx.db, sql`SELECT id FROM orgs`);
      for (const { id } of orgs) await sweepOrg(ctx, id);
    } catch (err) {
      ctx.log.error({ err }, "workspace sweep failed");
    }
    await scheduleWorkspaceSweep(ctx, new Date(Date.now() + SWEEP_EVERY_MS));
  });
}

export async function scheduleWorkspaceSweep(ctx: AppContext, runAt = new Date()): Promise<void> {
  await enqueueRecurring(ctx.db, WORKSPACE_SWEEP_QUEUE, runAt);
}

export async function sweepOrg(ctx: AppContext, orgId: string): Promise<void> {
  await wakeSnoozed(ctx, orgId);
  await sweepPresence(ctx, orgId);
  await requeueLostAccess(ctx, orgId);
  await sweepSla(ctx, orgId);
  await reweighWaiting(ctx, orgId);
  // Also catches a buyer message whose triage job ran just before it committed.
  await triageAndRoute(ctx, orgId);
}

async function inTransaction(ctx: AppContext, orgId: string, work: (tx: Executor) => Promise<NewEvent[]>) {
  const events = await ctx.db.transaction(async (tx) => appendEvents(tx, orgId, await work(tx)));
  ctx.bus.publish(events);
  return events;
}

/** Wait rules raise a queued conversation's priority as it waits: weighed again this often. */
export const REWEIGH_EVERY_MS = 30_000;
const lastReweigh = new Map<string, number>();

/**
 * Conversations waiting in the queue are weighed again every half minute when the org has a
 * wait rule (per N seconds waited, + weight), so a long wait overtakes a newer higher priority.
 * The time is kept per process: two nodes may both do it, which costs a pass, not a mistake.
 */
export async function reweighWaiting(ctx: AppContext, orgId: string): Promise<void> {
  const now = ctx.now().getTime();
  if (now - (lastReweigh.get(orgId) ?? 0) < REWEIGH_EVERY_MS) return;
  lastReweigh.set(orgId, now);
  const rules = await queryRows(
    ctx.db,
    sql`SELECT 1 FROM priority_rules WHERE org_id = ${orgId} AND kind = 'wait' LIMIT 1`,
  );
  if (rules.length === 0) return;
  await retriage(ctx, orgId, sql`queued_at IS NOT NULL AND assignee_id IS NULL AND status = 'open'`);
}

/** Snoozed conversations whose time came: open again, with their agent (or back in the queue). */
export const wakeSnoozed = (ctx: AppContext, orgId: string) =>
  inTransaction(ctx, orgId, async (tx) => {
    const now = ctx.now().toISOString();
    const rows = await queryRows<Record<string, unknown>>(
      tx,
      sql`UPDATE conversations SET status = 'open', snoozed_until = NULL, updated_at = ${now}::timestamptz,
            queued_at = CASE WHEN assignee_id IS NULL THEN ${now}::timestamptz END
          WHERE org_id = ${orgId} AND status = 'pending' AND snoozed_until <= ${now}::timestamptz
          RETURNING *`,
    );
    return conversationEvents(
      tx,
      orgId,
      rows.map((r) => rowFromRaw(conversations, r)),
    );
  });

/** Idle agents turn away (no new conversations), and after a long absence offline. */
export async function sweepPresence(ctx: AppContext, orgId: string): Promise<void> {
  const now = ctx.now().getTime();
  for (const agent of await agentInfos(ctx.db, orgId)) {
    const idle = agent.lastActiveAt ? (now - agent.lastActiveAt.getTime()) / 1000 : Number.POSITIVE_INFINITY;
    const since = agent.statusChangedAt ? (now - agent.statusChangedAt.getTime()) / 1000 : Number.POSITIVE_INFINITY;
    if (agent.status === "online" && idle >= AWAY_AFTER_SECONDS) {
      await setAgentStatus(ctx, orgId, agent.userId, "away", { actorId: null, reason: "inactive" });
    } else if (agent.status === "away" && since >= OFFLINE_AFTER_AWAY_SECONDS) {
      await setAgentStatus(ctx, orgId, agent.userId, "offline", { actorId: null, reason: "inactive" });
    }
  }
}

/**
 * An agent who no longer serves a store (membership removed, disabled) must not
 * keep its conversations: they go back to the queue at once.
 */
export const requeueLostAccess = (ctx: AppContext, orgId: string) =>
  inTransaction(ctx, orgId, async (tx) => {
    const held = await queryRows<{ assignee_id: string; store_id: string }>(
      tx,
      sql`SELECT DISTINCT assignee_id, store_id FROM conversations
          WHERE org_id = ${orgId} AND assignee_id IS NOT NULL AND status <> 'resolved'`,
    );
    if (held.length === 0) return [];
    const agents = new Map((await agentInfos(tx, orgId)).map((a) => [a.userId, a]));
    const lost = held.filter((h) => {
      const a = agents.get(h.assignee_id);
      return !a || a.disabled || (a.storeIds !== null && !a.storeIds.has(h.store_id));
    });
    if (lost.length === 0) return [];
    const rows = await requeue(
      tx,
      orgId,
      sql`(assignee_id, store_id) IN (${sql.join(
        lost.map((l) => sql`(${l.assignee_id}::uuid, ${l.store_id}::uuid)`),
        sql`, `,
      )})`,
      ctx.now(),
    );
    const events = await conversationEvents(tx, orgId, rows);
    events.push(
      ...(await agentEvents(
        tx,
        orgId,
        lost.map((l) => l.assignee_id).filter((id) => agents.has(id)),
      )),
    );
    return events;
  });

/** Warn before, record and escalate at each SLA target's due time. */
export const sweepSla = (ctx: AppContext, orgId: string) =>
  inTransaction(ctx, orgId, async (tx) => {
    const now = ctx.now();
    // Targets within the longest warning window; the store's own window is applied below.
    const horizon = new Date(now.getTime() + 3600_000).toISOString();
    const candidates = (
      await queryRows<Record<string, unknown>>(
        tx,
        sql`SELECT * FROM conversations WHERE org_id = ${orgId} AND status <> 'resolved' AND (
              (first_response_at IS NULL AND first_response_due_at <= ${horizon}::timestamptz)
              OR next_response_due_at <= ${horizon}::timestamptz
              OR resolution_due_at <= ${horizon}::timestamptz)
            FOR UPDATE SKIP LOCKED`,
      )
    ).map((r) => rowFromRaw(conversations, r));
    if (candidates.length === 0) return [];
    const routings = await storeRoutings(tx, orgId, [...new Set(candidates.map((c) => c.storeId))]);
    const raised: { conversationId: string; storeId: string; alert: SlaAlert }[] = [];
    const changed: ConversationRow[] = [];
    const reassign: string[] = [];
    for (const c of candidates) {
      const policy = routings.get(c.storeId)!.sla;
      const alerts = slaAlerts(slaFactsOf(c), now, policy.warnBeforeSeconds, c.slaWarned, c.slaBreaches);
      if (alerts.length === 0) continue;
      const next = { ...c, slaWarned: [...c.slaWarned], slaBreaches: [...c.slaBreaches] };
      for (const alert of alerts) {
        raised.push({ conversationId: c.id, storeId: c.storeId, alert });
        if (!next.slaWarned.includes(alert.kind)) next.slaWarned.push(alert.kind);
        if (alert.level === "warning") continue;
        next.slaBreaches.push(alert.kind);
        await tx
          .insert(slaBreaches)
          .values({
            id: newId(),
            orgId,
            storeId: c.storeId,
            conversationId: c.id,
            kind: alert.kind,
            dueAt: alert.dueAt,
            breachedAt: now,
            assigneeId: c.assigneeId,
          })
          .onConflictDoNothing();
        // Escalation: the first breach raises the priority once; a missed first response may go to someone else.
        if (
          c.slaBreaches.length === 0 &&
          policy.escalation.raisePriority > 0 &&
          !next.priorityReasons.includes("SLA")
        ) {
          next.priority += policy.escalation.raisePriority;
          next.priorityReasons = [...next.priorityReasons, "SLA"];
        }
        if (alert.kind === "first_response" && policy.escalation.reassign && c.assigneeId) reassign.push(c.id);
      }
      changed.push(next);
    }
    await writeSla(tx, changed);
    const requeued =
      reassign.length > 0 ? await requeue(tx, orgId, sql`id = ANY(${sql.param(reassign)}::uuid[])`, now) : [];
    const rows = changed.map((c) => requeued.find((r) => r.id === c.id) ?? c);
    const shown = new Map((await presentConversations(tx, orgId, rows)).map((s) => [s.id, s]));
    const events: NewEvent[] = raised.map(({ conversationId, storeId, alert }) => ({
      type: "sla.alert",
      storeId,
      payload: { level: alert.level, kind: alert.kind, conversation: shown.get(conversationId) },
    }));
    for (const conversation of shown.values()) {
      events.push({ type: "conversation.updated", storeId: conversation.storeId, payload: { conversation } });
    }
    return events;
  });

export function slaFactsOf(c: ConversationRow): SlaFacts {
  const waiting = c.lastInboundAt !== null && (c.lastOutboundAt === null || c.lastInboundAt > c.lastOutboundAt);
  return {
    status: c.status,
    createdAt: c.createdAt,
    firstInboundAt: c.firstInboundAt,
    firstResponseAt: c.firstResponseAt,
    waitingSince: waiting ? c.lastInboundAt : null,
    firstResponseDueAt: c.firstResponseDueAt,
    nextResponseDueAt: c.nextResponseDueAt,
    resolutionDueAt: c.resolutionDueAt,
  };
}

async function writeSla(tx: Executor, rows: ConversationRow[]): Promise<void> {
  if (rows.length === 0) return;
  const col = <T>(f: (r: ConversationRow) => T) => sql.param(rows.map(f));
  await tx.execute(
    sql`UPDATE conversations c SET sla_warned = v.warned::jsonb, sla_breaches = v.breaches::jsonb,
          priority = v.priority, priority_reasons = v.reasons::jsonb
        FROM unnest(${col((r) => r.id)}::uuid[], ${col((r) => JSON.stringify(r.slaWarned))}::text[],
                    ${col((r) => JSON.stringify(r.slaBreaches))}::text[], ${col((r) => r.priority)}::int[],
                    ${col((r) => JSON.stringify(r.priorityReasons))}::text[])
             AS v(id, warned, breaches, priority, reasons)
        WHERE c.id = v.id`,
  );
}
