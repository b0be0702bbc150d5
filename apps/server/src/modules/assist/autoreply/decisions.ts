import {
  type AutoReplyDecision,
  type AutoReplyDecisionQuery,
  type AutoReplyMetrics,
  type AutoReplyMetricsQuery,
  type AutoReplyOutcome,
  type AutoReplyReason,
  type AutoReplyStoreMetrics,
  type Intent,
  REASK_WINDOW_MINUTES,
} from "@yunxi/contracts";
import { and, desc, eq, inArray, lt, type SQL } from "drizzle-orm";
import { type Executor, queryRows, sql } from "../../../platform/db/client.ts";
import { isId } from "../../../platform/db/ids.ts";
import { badRequest, notFound } from "../../../platform/http/errors.ts";
import { type Actor, canSeeStore } from "../../identity/index.ts";
import { listOrgStores } from "../../stores/index.ts";
import { assertCanSeeMetrics } from "./policy.ts";
import { autoReplyDecisions } from "./tables.ts";

type DecisionRow = typeof autoReplyDecisions.$inferSelect;

/** The one shape of a decision the API answers (`candidates`, `reply_message_id` stay inside). */
export function presentDecision(row: DecisionRow): AutoReplyDecision {
  return {
    id: row.id,
    storeId: row.storeId,
    conversationId: row.conversationId,
    messageId: row.messageId,
    outcome: row.outcome as AutoReplyOutcome,
    reason: row.reason as AutoReplyReason,
    intent: row.intent as Intent,
    confidence: row.confidence,
    inScope: row.inScope,
    dryRun: row.dryRun,
    orderId: row.orderId,
    text: row.text,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The bot's decisions, newest first, in the stores the actor can see. */
export async function listDecisions(
  db: Executor,
  actor: Actor,
  query: AutoReplyDecisionQuery,
): Promise<AutoReplyDecision[]> {
  const conditions: SQL[] = [eq(autoReplyDecisions.orgId, actor.orgId)];
  if (query.storeId !== undefined) {
    if (!isId(query.storeId) || !canSeeStore(actor, query.storeId)) return [];
    conditions.push(eq(autoReplyDecisions.storeId, query.storeId));
  } else if (actor.storeIds !== null) {
    if (actor.storeIds.length === 0) return [];
    conditions.push(inArray(autoReplyDecisions.storeId, actor.storeIds));
  }
  if (query.conversationId !== undefined) {
    if (!isId(query.conversationId)) return [];
    conditions.push(eq(autoReplyDecisions.conversationId, query.conversationId));
  }
  if (query.outcome) conditions.push(eq(autoReplyDecisions.outcome, query.outcome));
  if (query.before) conditions.push(lt(autoReplyDecisions.createdAt, new Date(query.before)));
  const rows = await db
    .select()
    .from(autoReplyDecisions)
    .where(and(...conditions))
    .orderBy(desc(autoReplyDecisions.createdAt))
    .limit(query.limit);
  return rows.map(presentDecision);
}

interface CountRow {
  store_id: string;
  inquiries: number;
  answered: number;
  dry_run: number;
  asked: number;
  handed_over: number;
  skipped: number;
  re_asks: number;
}

const ratio = (n: number, d: number): number | null => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);

function figures(storeId: string | null, c: Omit<CountRow, "store_id">): AutoReplyStoreMetrics {
  const acted = c.answered + c.asked + c.handed_over;
  return {
    storeId,
    inquiries: c.inquiries,
    answered: c.answered,
    dryRun: c.dry_run,
    asked: c.asked,
    handedOver: c.handed_over,
    skipped: c.skipped,
    answeredShare: ratio(c.answered, c.inquiries),
    handOverRate: ratio(c.handed_over, acted),
    reAsks: c.re_asks,
    reAskRate: ratio(c.re_asks, c.answered + c.dry_run),
  };
}

/**
 * The bot's figures over [from, to), per store and in total:
 * - share of inquiries answered: questions within the rules (intent in scope, confident
 *   enough) that the bot answered from an order;
 * - hand-over rate: of the questions the bot acted on live (answered, asked which order,
 *   handed over), the share handed to a human; dry-run decisions are counted apart;
 * - re-asks: answers (live or dry-run) after which the buyer asked the same intent again
 *   within 10 minutes — a sign the answer did not help.
 */
export async function autoReplyMetrics(
  db: Executor,
  actor: Actor,
  query: AutoReplyMetricsQuery,
): Promise<AutoReplyMetrics> {
  assertCanSeeMetrics(actor);
  const from = new Date(query.from);
  const to = new Date(query.to);
  if (!(from < to)) throw badRequest("`from` must be before `to`");
  if (to.getTime() - from.getTime() > 366 * 86_400_000) throw badRequest("At most one year at a time");
  const stores = (await listOrgStores(db, actor.orgId)).filter((s) => canSeeStore(actor, s.id));
  let storeIds = stores.map((s) => s.id);
  if (query.storeId !== undefined) {
    if (!storeIds.includes(query.storeId)) throw notFound("Store");
    storeIds = [query.storeId];
  }
  const rows =
    storeIds.length === 0
      ? []
      : await queryRows<CountRow>(
          db,
          sql`SELECT d.store_id,
                count(*) FILTER (WHERE d.in_scope)::int AS inquiries,
                count(*) FILTER (WHERE d.outcome = 'answered')::int AS answered,
                count(*) FILTER (WHERE d.outcome = 'dry_run')::int AS dry_run,
                count(*) FILTER (WHERE d.outcome = 'asked')::int AS asked,
                count(*) FILTER (WHERE d.outcome = 'handed_over' AND NOT d.dry_run)::int AS handed_over,
                count(*) FILTER (WHERE d.outcome = 'skipped')::int AS skipped,
                count(*) FILTER (WHERE d.outcome IN ('answered', 'dry_run') AND d.reason = 'order_status'
                  AND EXISTS (
                    SELECT 1 FROM auto_reply_decisions n
                    WHERE n.org_id = d.org_id AND n.conversation_id = d.conversation_id
                      AND n.intent = d.intent AND n.created_at > d.created_at
                      AND n.created_at <= d.created_at + make_interval(mins => ${REASK_WINDOW_MINUTES})))::int AS re_asks
              FROM auto_reply_decisions d
              WHERE d.org_id = ${actor.orgId}
                AND d.store_id = ANY(${sql.param(storeIds)}::uuid[])
                AND d.created_at >= ${from.toISOString()}::timestamptz
                AND d.created_at < ${to.toISOString()}::timestamptz
              GROUP BY d.store_id`,
        );
  const byStore = new Map(rows.map((r) => [r.store_id, r]));
  const zero = { inquiries: 0, answered: 0, dry_run: 0, asked: 0, handed_over: 0, skipped: 0, re_asks: 0 };
  const total = { ...zero };
  const perStore = storeIds.map((id) => {
    const c = byStore.get(id) ?? zero;
    for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += Number(c[key]);
    return figures(id, {
      inquiries: Number(c.inquiries),
      answered: Number(c.answered),
      dry_run: Number(c.dry_run),
      asked: Number(c.asked),
      handed_over: Number(c.handed_over),
      skipped: Number(c.skipped),
      re_asks: Number(c.re_asks),
    });
  });
  return { from: from.toISOString(), to: to.toISOString(), total: figures(null, total), stores: perStore };
}
