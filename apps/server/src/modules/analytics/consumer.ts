import type { AppContext } from "../../platform/context.ts";
import { type Executor, queryRows, sql } from "../../platform/db/client.ts";
import { enqueueRecurring } from "../../platform/jobs/recurring.ts";
import { emptySeeds, recomputeSources, type Seeds } from "./apply.ts";
import { loadOrgEnv } from "./sources.ts";

/**
 * The rollup consumer: reads each org's event log from where it stopped, recomputes
 * what the events touched, and moves its position (analytics_cursors.last_seq) in the
 * same transaction as the rollups. A crash before commit loses both, so the next run
 * starts from the same event; nothing is counted twice (and recomputing is
 * idempotent besides). Within an org, seq order is commit order (the event log's
 * per-org lock), so no event can appear behind the cursor later.
 *
 * One recurring job serves every org, like the workspace sweep: it enqueues its
 * successor when done, so it survives restarts and runs on any worker node; the
 * per-org advisory lock keeps two nodes (or a rebuild) from interleaving.
 */
export const ROLLUP_QUEUE = "analytics-rollup";
/** The dashboard promises ≤ 5 s behind: run every 2 s. */
const EVERY_MS = 2000;
/** Events per transaction; PGlite has one connection, so its batches are kept shorter. */
export const DEFAULT_BATCH = 500;
const PGLITE_BATCH = 200;

/** The lock every writer of an org's rollups holds until commit (consumer, rebuild). */
export const lockOrgRollups = (tx: Executor, orgId: string) =>
  tx.execute(sql`SELECT pg_advisory_xact_lock(7120, hashtext(${orgId}))`);

export function registerRollupConsumer(ctx: AppContext): void {
  ctx.jobs.register(ROLLUP_QUEUE, async () => {
    try {
      await consumeAll(ctx);
    } catch (err) {
      ctx.log.error({ err }, "analytics rollup failed");
    }
    await scheduleRollups(ctx, new Date(Date.now() + EVERY_MS));
  });
}

export async function scheduleRollups(ctx: AppContext, runAt = new Date()): Promise<void> {
  await enqueueRecurring(ctx.db, ROLLUP_QUEUE, runAt);
}

/** Every org with events past its cursor, caught up. */
export async function consumeAll(ctx: AppContext): Promise<number> {
  const orgs = await queryRows<{ id: string }>(
    ctx.db,
    sql`SELECT o.id FROM orgs o
        WHERE EXISTS (SELECT 1 FROM realtime_events e WHERE e.org_id = o.id
                        AND e.seq > coalesce((SELECT c.last_seq FROM analytics_cursors c WHERE c.org_id = o.id), 0))`,
  );
  let total = 0;
  for (const { id } of orgs) {
    try {
      total += await consumeOrg(ctx, id);
    } catch (err) {
      ctx.log.error({ err, orgId: id }, "analytics rollup of an org failed");
    }
  }
  return total;
}

interface RawEvent {
  seq: string | number;
  type: string;
  conversation_id: string | null;
  order_id: string | null;
  evaluation_id: string | null;
  agent_id: string | null;
  agent_status: string | null;
  status_changed_at: string | null;
  created_at: string | Date;
}

export interface ConsumeOptions {
  batchSize?: number;
  /** Stop after this many batches (tests stop half-way). */
  maxBatches?: number;
  /** Test seam: runs inside the batch's transaction after the rollups are written, before the cursor moves. */
  beforeCommit?: (batch: { firstSeq: number; lastSeq: number; events: number }) => Promise<void> | void;
}

/** What an event names: the conversation, order, rating or agent it is about. */
const eventFields = sql`seq, type, created_at,
  coalesce(payload->'conversation'->>'id', payload->'message'->>'conversationId') AS conversation_id,
  payload->'order'->>'id' AS order_id,
  payload->'evaluation'->>'id' AS evaluation_id,
  payload->'agent'->>'userId' AS agent_id,
  payload->'agent'->>'status' AS agent_status,
  payload->'agent'->>'statusChangedAt' AS status_changed_at`;

/** Consume one org's events up to the end of its log, a batch per transaction. Returns the events consumed. */
export async function consumeOrg(ctx: AppContext, orgId: string, options: ConsumeOptions = {}): Promise<number> {
  const batchSize = options.batchSize ?? (ctx.dbKind === "pglite" ? PGLITE_BATCH : DEFAULT_BATCH);
  let consumed = 0;
  for (let batch = 0; options.maxBatches === undefined || batch < options.maxBatches; batch++) {
    const n = await ctx.db.transaction(async (tx) => {
      await lockOrgRollups(tx, orgId);
      const [cursor] = await queryRows<{ last_seq: string | number }>(
        tx,
        sql`SELECT last_seq FROM analytics_cursors WHERE org_id = ${orgId}`,
      );
      const after = Number(cursor?.last_seq ?? 0);
      const events = await queryRows<RawEvent>(
        tx,
        sql`SELECT ${eventFields} FROM realtime_events WHERE org_id = ${orgId} AND seq > ${after} ORDER BY seq LIMIT ${batchSize}`,
      );
      if (events.length === 0) return 0;
      const seeds: Seeds = emptySeeds();
      const presence: PresenceChange[] = [];
      for (const e of events) {
        if (e.conversation_id) seeds.conversations.add(e.conversation_id);
        if (e.type === "order.changed" && e.order_id) seeds.orders.add(e.order_id);
        if (e.type === "evaluation.created" && e.evaluation_id) seeds.evaluations.add(e.evaluation_id);
        if (e.type === "agent.updated" && e.agent_id && e.agent_status) {
          presence.push({
            userId: e.agent_id,
            status: e.agent_status,
            at: Date.parse(e.status_changed_at ?? new Date(e.created_at).toISOString()),
          });
        }
      }
      const org = await loadOrgEnv(tx, orgId);
      await recordPresence(tx, orgId, presence);
      await recomputeSources(tx, orgId, seeds, org);
      const first = Number(events[0]!.seq);
      const last = Number(events.at(-1)!.seq);
      await options.beforeCommit?.({ firstSeq: first, lastSeq: last, events: events.length });
      const lastAt = new Date(events.at(-1)!.created_at).toISOString();
      await tx.execute(
        sql`INSERT INTO analytics_cursors (org_id, last_seq, last_event_at, updated_at)
            VALUES (${orgId}, ${last}, ${lastAt}::timestamptz, now())
            ON CONFLICT (org_id) DO UPDATE SET last_seq = excluded.last_seq,
              last_event_at = excluded.last_event_at, updated_at = now()`,
      );
      return events.length;
    });
    consumed += n;
    if (n < batchSize) break;
  }
  return consumed;
}

export interface PresenceChange {
  userId: string;
  status: string;
  at: number;
}

/**
 * Agents' status history: a change closes the open interval and opens the next one.
 * agent.updated also reports load and capacity changes; an unchanged status is no change.
 */
export async function recordPresence(tx: Executor, orgId: string, changes: PresenceChange[]): Promise<void> {
  if (changes.length === 0) return;
  const users = [...new Set(changes.map((c) => c.userId))];
  const open = new Map<string, { status: string; startedAt: number }>();
  for (const r of await queryRows<{ user_id: string; status: string; started_ms: string | number }>(
    tx,
    sql`SELECT user_id, status, floor(extract(epoch FROM started_at) * 1000)::int8 AS started_ms
        FROM analytics_presence
        WHERE org_id = ${orgId} AND ended_at IS NULL AND user_id = ANY(${sql.param(users)}::uuid[])`,
  )) {
    open.set(r.user_id, { status: r.status, startedAt: Number(r.started_ms) });
  }
  for (const change of changes) {
    const current = open.get(change.userId);
    if (current?.status === change.status) continue;
    const at = Math.max(change.at, current?.startedAt ?? change.at);
    const iso = new Date(at).toISOString();
    if (current) {
      await tx.execute(
        sql`UPDATE analytics_presence SET ended_at = ${iso}::timestamptz
            WHERE org_id = ${orgId} AND user_id = ${change.userId} AND started_at = ${new Date(current.startedAt).toISOString()}::timestamptz`,
      );
    }
    await tx.execute(
      sql`INSERT INTO analytics_presence (org_id, user_id, status, started_at)
          VALUES (${orgId}, ${change.userId}, ${change.status}, ${iso}::timestamptz)
          ON CONFLICT (org_id, user_id, started_at) DO UPDATE SET status = excluded.status, ended_at = NULL`,
    );
    open.set(change.userId, { status: change.status, startedAt: at });
  }
}
