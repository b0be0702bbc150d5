import type { AppContext } from "../../platform/context.ts";
import { type Executor, queryRows, sql } from "../../platform/db/client.ts";
import { badRequest } from "../../platform/http/errors.ts";
import {
  dropSources,
  emptySeeds,
  recomputeSources,
  resumDailyRange,
  resumRollupRange,
  type Seeds,
  sourcesWithFactsIn,
} from "./apply.ts";
import { lockOrgRollups, type PresenceChange, recordPresence } from "./consumer.ts";
import { loadOrgEnv } from "./sources.ts";
import { addDays, localDay } from "./time.ts";

/** A rebuild may cover ten years; queries are held to one (MAX_RANGE_DAYS). */
const MAX_REBUILD_DAYS = 3660;
const DAY_MS = 86_400_000;

export interface RebuildOptions {
  /** Sources recomputed per transaction (the consumer may run between two). */
  chunkSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface RebuildResult {
  conversations: number;
  orders: number;
  evaluations: number;
  surveys: number;
  /** Sources whose facts changed: 0 when the rollups were already right. */
  changed: number;
  /** Sources with facts in the range that no longer exist (their facts were dropped). */
  dropped: number;
  presenceChanges: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Recompute [from, to) from raw rows: every conversation with activity in the range
 * (and its buyer-days and ratings), every order paid and rating given in it, and every
 * source that had facts there; then the range's rollups are summed again from the
 * facts, and agents' status history is replayed from the event log. The same code as
 * the live consumer computes the same rows, so a rebuild of a range the consumer kept
 * changes nothing (tested).
 */
export async function rebuildRollups(
  ctx: AppContext,
  orgId: string,
  from: Date,
  to: Date,
  options: RebuildOptions = {},
): Promise<RebuildResult> {
  const fromMs = from.getTime();
  const toMs = to.getTime();
  if (!(fromMs < toMs)) throw badRequest("The range ends before it starts");
  if (toMs - fromMs > MAX_REBUILD_DAYS * DAY_MS) throw badRequest(`A rebuild covers at most ${MAX_REBUILD_DAYS} days`);
  const chunkSize = options.chunkSize ?? 500;
  const db = ctx.db;
  const conversations = await queryRows<{ id: string }>(
    db,
    sql`SELECT id FROM conversations
        WHERE org_id = ${orgId} AND least(created_at, coalesce(first_inbound_at, created_at)) < ${iso(toMs)}::timestamptz
          AND greatest(last_message_at, updated_at, coalesce(resolved_at, last_message_at)) >= ${iso(fromMs)}::timestamptz
        UNION
        SELECT conversation_id FROM sla_breaches
        WHERE org_id = ${orgId} AND breached_at >= ${iso(fromMs)}::timestamptz AND breached_at < ${iso(toMs)}::timestamptz`,
  );
  const orders = await queryRows<{ id: string }>(
    db,
    sql`SELECT id FROM orders WHERE org_id = ${orgId}
          AND paid_at >= ${iso(fromMs)}::timestamptz AND paid_at < ${iso(toMs)}::timestamptz`,
  );
  const evaluations = await queryRows<{ id: string }>(
    db,
    sql`SELECT id FROM evaluations WHERE org_id = ${orgId}
          AND created_at >= ${iso(fromMs)}::timestamptz AND created_at < ${iso(toMs)}::timestamptz`,
  );
  const surveys = await queryRows<{ id: string }>(
    db,
    sql`SELECT id FROM satisfaction_surveys WHERE org_id = ${orgId}
          AND ((sent_at >= ${iso(fromMs)}::timestamptz AND sent_at < ${iso(toMs)}::timestamptz)
            OR (answered_at >= ${iso(fromMs)}::timestamptz AND answered_at < ${iso(toMs)}::timestamptz))`,
  );
  const conversationIds = new Set(conversations.map((r) => r.id));
  const orderIds = new Set(orders.map((r) => r.id));
  const evaluationIds = new Set(evaluations.map((r) => r.id));
  const surveyIds = new Set(surveys.map((r) => r.id));
  // Sources that counted in the range before: recomputed too, so what vanished is cleared.
  const before = await sourcesWithFactsIn(db, orgId, fromMs, toMs);
  for (const s of before) {
    if (s.sourceKind === "conversation") conversationIds.add(s.sourceId);
    else if (s.sourceKind === "order") orderIds.add(s.sourceId);
    else if (s.sourceKind === "evaluation") evaluationIds.add(s.sourceId);
    else if (s.sourceKind === "survey") surveyIds.add(s.sourceId);
  }

  const work: Seeds[] = [];
  const push = (kind: keyof Seeds, ids: Set<string>) => {
    const list = [...ids].sort();
    for (let i = 0; i < list.length; i += chunkSize) {
      const seeds = emptySeeds();
      for (const id of list.slice(i, i + chunkSize)) seeds[kind].add(id);
      work.push(seeds);
    }
  };
  push("conversations", conversationIds);
  push("orders", orderIds);
  push("evaluations", evaluationIds);
  push("surveys", surveyIds);

  const recomputed = new Set<string>();
  let changed = 0;
  const total = conversationIds.size + orderIds.size + evaluationIds.size + surveyIds.size;
  let done = 0;
  for (const seeds of work) {
    const result = await db.transaction(async (tx) => {
      await lockOrgRollups(tx, orgId);
      return recomputeSources(tx, orgId, seeds, await loadOrgEnv(tx, orgId));
    });
    for (const id of result.sources) recomputed.add(id);
    changed += result.changed;
    done += seeds.conversations.size + seeds.orders.size + seeds.evaluations.size + seeds.surveys.size;
    options.onProgress?.(done, total);
  }

  const { dropped, presenceChanges } = await db.transaction(async (tx) => {
    await lockOrgRollups(tx, orgId);
    const { timeZone } = (await loadOrgEnv(tx, orgId)).env;
    const gone = before.filter((s) => !recomputed.has(s.sourceId)).map((s) => s.sourceId);
    const dropped = await dropSources(tx, orgId, gone, timeZone);
    for (let day = fromMs; day < toMs; day += DAY_MS) {
      await resumRollupRange(tx, orgId, day, Math.min(toMs, day + DAY_MS));
    }
    // Every local day the range touches, whole (minute rows outside the range are unchanged).
    for (let day = localDay(fromMs, timeZone); day <= localDay(toMs - 1, timeZone); day = addDays(day, 1)) {
      await resumDailyRange(tx, orgId, day, timeZone);
    }
    return { dropped, presenceChanges: await replayPresence(tx, orgId, fromMs) };
  });
  return {
    conversations: conversationIds.size,
    orders: orderIds.size,
    evaluations: evaluationIds.size,
    surveys: surveyIds.size,
    changed,
    dropped,
    presenceChanges,
  };
}

/**
 * Agents' status history again from the event log (agent_states keeps only the present,
 * so the log is the raw record): every interval from the range's start on is replayed,
 * beginning with the status each agent had when the range began.
 */
async function replayPresence(tx: Executor, orgId: string, fromMs: number): Promise<number> {
  const events = await queryRows<{ agent_id: string; status: string; at: string | null; created_at: string | Date }>(
    tx,
    sql`SELECT payload->'agent'->>'userId' AS agent_id, payload->'agent'->>'status' AS status,
               payload->'agent'->>'statusChangedAt' AS at, created_at
        FROM realtime_events
        WHERE org_id = ${orgId} AND type = 'agent.updated'
          AND coalesce((payload->'agent'->>'statusChangedAt')::timestamptz, created_at) >= ${iso(fromMs)}::timestamptz
        ORDER BY seq`,
  );
  await tx.execute(
    sql`DELETE FROM analytics_presence WHERE org_id = ${orgId} AND started_at >= ${iso(fromMs)}::timestamptz`,
  );
  // The interval that was open at the range's start runs on until the first change in it.
  await tx.execute(
    sql`UPDATE analytics_presence SET ended_at = NULL
        WHERE org_id = ${orgId} AND started_at < ${iso(fromMs)}::timestamptz AND ended_at >= ${iso(fromMs)}::timestamptz
          AND NOT EXISTS (SELECT 1 FROM analytics_presence p2 WHERE p2.org_id = analytics_presence.org_id
                            AND p2.user_id = analytics_presence.user_id AND p2.started_at > analytics_presence.started_at)`,
  );
  const changes: PresenceChange[] = events
    .filter((e) => e.agent_id && e.status)
    .map((e) => ({
      userId: e.agent_id,
      status: e.status,
      at: Date.parse(e.at ?? new Date(e.created_at).toISOString()),
    }));
  await recordPresence(tx, orgId, changes);
  return changes.length;
}
