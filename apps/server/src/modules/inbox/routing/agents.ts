import type { AgentState, AgentStatus, UpdateAgentRequest } from "@yunxi/contracts";
import { sql } from "drizzle-orm";
import type { AppContext } from "../../../platform/context.ts";
import type { Executor } from "../../../platform/db/client.ts";
import { isId } from "../../../platform/db/ids.ts";
import { appendEvents, type NewEvent } from "../../../platform/events/log.ts";
import { notFound } from "../../../platform/http/errors.ts";
import { recordAudit } from "../../audit/index.ts";
import type { Actor } from "../../identity/index.ts";
import { agentStates } from "../tables.ts";
import { agentEvents, agentInfos, conversationEvents, presentAgent, requeue, routeOrg } from "./queue.ts";
import { assertSupervisor } from "./settings.ts";

export async function listAgents(db: Executor, actor: Actor): Promise<AgentState[]> {
  const infos = await agentInfos(db, actor.orgId);
  return infos.filter((a) => !a.disabled).map(presentAgent);
}

export async function getAgent(db: Executor, orgId: string, userId: string): Promise<AgentState> {
  const info = isId(userId) ? (await agentInfos(db, orgId)).find((a) => a.userId === userId) : undefined;
  if (!info) throw notFound("Agent");
  return presentAgent(info);
}

async function upsertState(
  tx: Executor,
  orgId: string,
  userId: string,
  set: Partial<typeof agentStates.$inferInsert>,
): Promise<void> {
  await tx
    .insert(agentStates)
    .values({ orgId, userId, ...set })
    .onConflictDoUpdate({ target: agentStates.userId, set });
}

/**
 * Change an agent's status. Going offline hands their unanswered conversations back
 * to the queue (someone else answers them); going online may bring queued ones.
 */
export async function setAgentStatus(
  ctx: AppContext,
  orgId: string,
  userId: string,
  status: AgentStatus,
  by: { actorId: string | null; reason: string },
): Promise<AgentState> {
  const events = await ctx.db.transaction(async (tx) => {
    const before = await getAgent(tx, orgId, userId);
    if (before.status === status) return [];
    const now = ctx.now();
    await upsertState(tx, orgId, userId, {
      status,
      statusChangedAt: now,
      ...(status === "online" && { lastActiveAt: now }),
    });
    const out: NewEvent[] = [];
    if (status === "offline") {
      const requeued = await requeue(
        tx,
        orgId,
        sql`assignee_id = ${userId}::uuid AND status = 'open'
            AND last_inbound_at > coalesce(last_outbound_at, '-infinity'::timestamptz)`,
        now,
      );
      out.push(...(await conversationEvents(tx, orgId, requeued)));
    }
    out.push(...(await agentEvents(tx, orgId, [userId])));
    await recordAudit(tx, {
      orgId,
      actorId: by.actorId,
      action: "agent.status_changed",
      targetType: "user",
      targetId: userId,
      details: { from: before.status, to: status, reason: by.reason },
    });
    return appendEvents(tx, orgId, out);
  });
  ctx.bus.publish(events);
  if (status === "online" || status === "offline") await routeOrg(ctx, orgId);
  return getAgent(ctx.db, orgId, userId);
}

export const setMyStatus = (ctx: AppContext, actor: Actor, status: AgentStatus) =>
  setAgentStatus(ctx, actor.orgId, actor.userId, status, { actorId: actor.userId, reason: "self" });

/**
 * The agent is at the keyboard (the web app reports activity at most once a
 * minute): remember it, and bring back an agent the server had marked away.
 */
export async function recordActivity(ctx: AppContext, actor: Actor): Promise<void> {
  const now = ctx.now();
  const [state] = await ctx.db
    .update(agentStates)
    .set({ lastActiveAt: now })
    .where(sql`user_id = ${actor.userId}::uuid AND org_id = ${actor.orgId}::uuid`)
    .returning();
  if (state?.status === "away")
    await setAgentStatus(ctx, actor.orgId, actor.userId, "online", {
      actorId: actor.userId,
      reason: "activity",
    });
}

export async function updateAgent(
  ctx: AppContext,
  actor: Actor,
  userId: string,
  input: UpdateAgentRequest,
): Promise<AgentState> {
  assertSupervisor(actor);
  await getAgent(ctx.db, actor.orgId, userId);
  if (input.capacity !== undefined) {
    const events = await ctx.db.transaction(async (tx) => {
      await upsertState(tx, actor.orgId, userId, { capacity: input.capacity });
      await recordAudit(tx, {
        orgId: actor.orgId,
        actorId: actor.userId,
        action: "agent.capacity_changed",
        targetType: "user",
        targetId: userId,
        details: { capacity: input.capacity },
      });
      return appendEvents(tx, actor.orgId, await agentEvents(tx, actor.orgId, [userId]));
    });
    ctx.bus.publish(events);
  }
  if (input.status !== undefined) {
    await setAgentStatus(ctx, actor.orgId, userId, input.status, { actorId: actor.userId, reason: "supervisor" });
  } else {
    await routeOrg(ctx, actor.orgId);
  }
  return getAgent(ctx.db, actor.orgId, userId);
}
