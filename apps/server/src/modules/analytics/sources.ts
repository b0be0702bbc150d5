import type { BusinessHours, QualityRule } from "@yunxi/contracts";
import { type Executor, queryRows, sql } from "../../platform/db/client.ts";
import { getOrg } from "../identity/index.ts";
import { listOrgStores } from "../stores/index.ts";
import {
  type ConversationRecord,
  type EvaluationInput,
  type FactEnv,
  type PaidOrderInput,
  type SurveyInput,
  sortTimeline,
  type TimelineMessage,
} from "./facts.ts";
import { effectiveRules } from "./quality.ts";
import { analyticsSettings } from "./tables.ts";

/**
 * Reading the raw rows facts are computed from. Analytics is a read model over
 * other capabilities' tables: it reads conversations, messages, SLA breaches,
 * orders and ratings (never writes them), always scoped by org.
 */

/** An instant as whole epoch milliseconds (exact: extract gives numeric), the same on both drivers. */
const epochMs = (column: ReturnType<typeof sql.raw>) => sql`floor(extract(epoch FROM ${column}) * 1000)::int8`;
const uuids = (ids: string[]) => sql`${sql.param(ids)}::uuid[]`;

export interface StoreInfo {
  id: string;
  platform: string;
  name: string;
}

export interface OrgEnv {
  env: FactEnv;
  stores: Map<string, StoreInfo>;
  conversionWindowHours: number;
  qualityRules: QualityRule[];
}

const alwaysOpen: BusinessHours = { alwaysOpen: true, windows: [] };

/** The org's time zone, stores with their business hours, the conversion window and the quality rules. */
export async function loadOrgEnv(db: Executor, orgId: string): Promise<OrgEnv> {
  const org = await getOrg(db, orgId);
  const stores = new Map(
    (await listOrgStores(db, orgId)).map((s) => [s.id, { id: s.id, platform: s.platform, name: s.name }]),
  );
  const hours = new Map<string, BusinessHours>();
  for (const row of await queryRows<{ store_id: string; business_hours: unknown }>(
    db,
    sql`SELECT store_id, business_hours FROM store_routing WHERE org_id = ${orgId}`,
  )) {
    const value = typeof row.business_hours === "string" ? JSON.parse(row.business_hours) : row.business_hours;
    hours.set(row.store_id, value as BusinessHours);
  }
  const [settings] = await db.select().from(analyticsSettings).where(sql`${analyticsSettings.orgId} = ${orgId}`);
  const conversionWindowHours = settings?.conversionWindowHours ?? 24;
  const qualityRules = effectiveRules(settings?.qualityRules as QualityRule[] | null | undefined);
  return {
    stores,
    conversionWindowHours,
    qualityRules,
    env: {
      timeZone: org.timezone,
      businessHours: (storeId) => hours.get(storeId) ?? alwaysOpen,
      conversionWindowMs: conversionWindowHours * 3_600_000,
      qualityRules,
    },
  };
}

interface RawConversation {
  id: string;
  store_id: string;
  customer_id: string;
  identity_id: string;
  status: string;
  assignee_id: string | null;
  resolved_ms: number | null;
  tags: unknown;
  merged_into_id: string | null;
}

interface RawLine {
  id: string;
  conversation_id: string;
  direction: string;
  sender_type: string;
  sender_id: string | null;
  body: string;
  at_ms: number;
}

const parseJson = <T>(v: unknown): T => (typeof v === "string" ? JSON.parse(v) : v) as T;

/** Conversations with their lines (see TimelineMessage) and SLA breaches. */
export async function loadConversations(
  db: Executor,
  orgId: string,
  ids: string[],
  stores: Map<string, StoreInfo>,
): Promise<Map<string, ConversationRecord>> {
  const out = new Map<string, ConversationRecord>();
  if (ids.length === 0) return out;
  const rows = await queryRows<RawConversation>(
    db,
    sql`SELECT id, store_id, customer_id, identity_id, status, assignee_id, tags, merged_into_id,
               ${epochMs(sql.raw("resolved_at"))} AS resolved_ms
        FROM conversations WHERE org_id = ${orgId} AND id = ANY(${uuids(ids)})`,
  );
  for (const r of rows) {
    out.set(r.id, {
      id: r.id,
      orgId,
      storeId: r.store_id,
      platform: stores.get(r.store_id)?.platform ?? "api",
      customerId: r.customer_id,
      identityId: r.identity_id,
      status: r.status,
      assigneeId: r.assignee_id,
      resolvedAt: r.resolved_ms === null ? null : Number(r.resolved_ms),
      tags: parseJson<string[]>(r.tags) ?? [],
      mergedIntoId: r.merged_into_id,
      timeline: [],
      breaches: [],
    });
  }
  if (out.size === 0) return out;
  const found = [...out.keys()];
  // A reply counts once it reached the buyer: sent (delivered to the platform), or with no
  // delivery state at all (lines that did not go through Yunxi's delivery). The survey's
  // messages are no lines: its invitation and thanks are sent by the system, not an agent
  // or the bot, and a buyer's answer carries a system attachment (survey.answered).
  const lines = await queryRows<RawLine>(
    db,
    sql`SELECT id, conversation_id, direction, sender_type, sender_id, body,
               ${epochMs(sql.raw("CASE WHEN direction = 'outbound' THEN coalesce(sent_at, created_at) ELSE created_at END"))} AS at_ms
        FROM messages
        WHERE org_id = ${orgId} AND conversation_id = ANY(${uuids(found)})
          AND ((direction = 'inbound' AND sender_type = 'buyer' AND coalesce(attachment->>'type', '') <> 'system')
               OR (direction = 'outbound' AND sender_type IN ('agent', 'bot')
                   AND coalesce(delivery_status, 'sent') = 'sent'))`,
  );
  for (const l of lines) {
    const kind = l.direction === "inbound" ? "buyer" : l.sender_type === "bot" ? "bot" : "human";
    out.get(l.conversation_id)?.timeline.push({
      id: l.id,
      at: Number(l.at_ms),
      kind,
      senderId: l.sender_id,
      text: l.body,
    } satisfies TimelineMessage);
  }
  for (const c of out.values()) sortTimeline(c.timeline);
  const breaches = await queryRows<{ conversation_id: string; breached_ms: number; assignee_id: string | null }>(
    db,
    sql`SELECT conversation_id, assignee_id, ${epochMs(sql.raw("breached_at"))} AS breached_ms
        FROM sla_breaches WHERE org_id = ${orgId} AND conversation_id = ANY(${uuids(found)})
        ORDER BY breached_at, id`,
  );
  for (const b of breaches) {
    out.get(b.conversation_id)?.breaches.push({ breachedAt: Number(b.breached_ms), assigneeId: b.assignee_id });
  }
  return out;
}

export interface BuyerPair {
  storeId: string;
  identityId: string;
  customerId: string;
  /** The span of instants whose buyer-days are wanted. */
  fromMs: number;
  toMs: number;
}

/** The conversations of each buyer in each store that may have lines in the pair's span. */
export async function conversationsOfPairs(db: Executor, orgId: string, pairs: BuyerPair[]): Promise<string[]> {
  if (pairs.length === 0) return [];
  const rows = await queryRows<{ id: string }>(
    db,
    sql`SELECT DISTINCT c.id FROM conversations c
        JOIN unnest(${uuids(pairs.map((p) => p.storeId))}, ${uuids(pairs.map((p) => p.identityId))},
                    ${uuids(pairs.map((p) => p.customerId))},
                    ${sql.param(pairs.map((p) => new Date(p.fromMs).toISOString()))}::timestamptz[],
                    ${sql.param(pairs.map((p) => new Date(p.toMs).toISOString()))}::timestamptz[])
             AS p(store_id, identity_id, customer_id, from_at, to_at)
          ON c.org_id = ${orgId} AND c.customer_id = p.customer_id AND c.store_id = p.store_id
             AND c.identity_id = p.identity_id
        WHERE c.merged_into_id IS NULL AND c.first_inbound_at IS NOT NULL
          AND c.first_inbound_at < p.to_at + interval '1 day' AND c.last_message_at >= p.from_at`,
  );
  return rows.map((r) => r.id);
}

/** Paid orders of each pair, paid from the span's start to its end plus the conversion window. */
export async function paidOrdersOfPairs(
  db: Executor,
  orgId: string,
  pairs: BuyerPair[],
  windowMs: number,
): Promise<Map<string, { paidAt: number; totalCents: number }[]>> {
  const out = new Map<string, { paidAt: number; totalCents: number }[]>();
  if (pairs.length === 0) return out;
  const rows = await queryRows<{ store_id: string; identity_id: string; paid_ms: number; total_cents: number }>(
    db,
    sql`SELECT DISTINCT o.id, o.store_id, o.identity_id, o.total_cents, ${epochMs(sql.raw("o.paid_at"))} AS paid_ms
        FROM orders o
        JOIN unnest(${uuids(pairs.map((p) => p.storeId))}, ${uuids(pairs.map((p) => p.identityId))},
                    ${sql.param(pairs.map((p) => new Date(p.fromMs).toISOString()))}::timestamptz[],
                    ${sql.param(pairs.map((p) => new Date(p.toMs + windowMs).toISOString()))}::timestamptz[])
             AS p(store_id, identity_id, from_at, to_at)
          ON o.org_id = ${orgId} AND o.store_id = p.store_id AND o.identity_id = p.identity_id
        WHERE o.paid_at >= p.from_at - interval '1 day' AND o.paid_at < p.to_at + interval '1 day'`,
  );
  for (const r of rows) {
    const key = pairKey(r.store_id, r.identity_id);
    const list = out.get(key) ?? [];
    list.push({ paidAt: Number(r.paid_ms), totalCents: Number(r.total_cents) });
    out.set(key, list);
  }
  return out;
}

export const pairKey = (storeId: string, identityId: string): string => `${storeId}|${identityId}`;

export interface EvaluationRecord extends EvaluationInput {
  identityId: string;
  customerId: string;
  /** The buyer's latest conversation in the store that started before the rating. */
  conversationId: string | null;
}

const evaluationColumns = sql`e.id, e.store_id, e.identity_id, e.customer_id, e.score,
  ${epochMs(sql.raw("e.created_at"))} AS created_ms,
  (SELECT c.id FROM conversations c
   WHERE c.org_id = e.org_id AND c.customer_id = e.customer_id AND c.store_id = e.store_id
     AND c.identity_id = e.identity_id AND c.merged_into_id IS NULL AND c.first_inbound_at <= e.created_at
   ORDER BY c.first_inbound_at DESC, c.id DESC LIMIT 1) AS conversation_id`;

interface RawEvaluation {
  id: string;
  store_id: string;
  identity_id: string;
  customer_id: string;
  score: number;
  created_ms: number;
  conversation_id: string | null;
}

const toEvaluation = (r: RawEvaluation): EvaluationRecord => ({
  id: r.id,
  storeId: r.store_id,
  identityId: r.identity_id,
  customerId: r.customer_id,
  score: Number(r.score),
  createdAt: Number(r.created_ms),
  conversationId: r.conversation_id,
});

export async function loadEvaluations(db: Executor, orgId: string, ids: string[]): Promise<EvaluationRecord[]> {
  if (ids.length === 0) return [];
  const rows = await queryRows<RawEvaluation>(
    db,
    sql`SELECT ${evaluationColumns} FROM evaluations e WHERE e.org_id = ${orgId} AND e.id = ANY(${uuids(ids)})`,
  );
  return rows.map(toEvaluation);
}

/** Ratings a conversation may be credited with: its buyer's in its store from its start on (30 days). */
export async function evaluationsAfter(
  db: Executor,
  orgId: string,
  conversations: { storeId: string; identityId: string; customerId: string; fromMs: number }[],
): Promise<string[]> {
  if (conversations.length === 0) return [];
  const rows = await queryRows<{ id: string }>(
    db,
    sql`SELECT DISTINCT e.id FROM evaluations e
        JOIN unnest(${uuids(conversations.map((c) => c.storeId))}, ${uuids(conversations.map((c) => c.identityId))},
                    ${sql.param(conversations.map((c) => new Date(c.fromMs).toISOString()))}::timestamptz[])
             AS p(store_id, identity_id, from_at)
          ON e.org_id = ${orgId} AND e.store_id = p.store_id AND e.identity_id = p.identity_id
        WHERE e.created_at >= p.from_at AND e.created_at < p.from_at + interval '30 days'`,
  );
  return rows.map((r) => r.id);
}

export interface OrderRecord extends PaidOrderInput {
  identityId: string;
  customerId: string;
}

export async function loadOrders(db: Executor, orgId: string, ids: string[]): Promise<OrderRecord[]> {
  if (ids.length === 0) return [];
  const rows = await queryRows<{
    id: string;
    store_id: string;
    identity_id: string;
    customer_id: string;
    total_cents: number;
    paid_ms: number | null;
    repeat: boolean;
  }>(
    db,
    sql`SELECT o.id, o.store_id, o.identity_id, o.customer_id, o.total_cents,
               ${epochMs(sql.raw("o.paid_at"))} AS paid_ms,
               o.paid_at IS NOT NULL AND EXISTS (
                 SELECT 1 FROM orders p WHERE p.org_id = o.org_id AND p.customer_id = o.customer_id
                   AND p.paid_at IS NOT NULL AND (p.paid_at, p.id) < (o.paid_at, o.id)) AS repeat
        FROM orders o WHERE o.org_id = ${orgId} AND o.id = ANY(${uuids(ids)})`,
  );
  return rows.map((r) => ({
    id: r.id,
    storeId: r.store_id,
    identityId: r.identity_id,
    customerId: r.customer_id,
    totalCents: Number(r.total_cents),
    paidAt: r.paid_ms === null ? null : Number(r.paid_ms),
    repeat: r.repeat === true || String(r.repeat) === "t",
  }));
}

const surveyColumns = sql`s.id, s.store_id, s.conversation_id, s.agent_id, s.score,
  ${epochMs(sql.raw("s.sent_at"))} AS sent_ms, ${epochMs(sql.raw("s.answered_at"))} AS answered_ms,
  EXISTS (SELECT 1 FROM messages m WHERE m.org_id = s.org_id AND m.id = s.invitation_message_id
          AND m.delivery_status = 'sent') AS delivered`;

/** Yunxi's own surveys: by id, and those of some conversations. */
export async function loadSurveys(
  db: Executor,
  orgId: string,
  ids: string[],
  conversationIds: string[] = [],
): Promise<SurveyInput[]> {
  if (ids.length === 0 && conversationIds.length === 0) return [];
  const rows = await queryRows<{
    id: string;
    store_id: string;
    conversation_id: string;
    agent_id: string | null;
    score: number | null;
    sent_ms: string | number;
    answered_ms: string | number | null;
    delivered: boolean | string;
  }>(
    db,
    sql`SELECT ${surveyColumns} FROM satisfaction_surveys s
        WHERE s.org_id = ${orgId} AND (s.id = ANY(${uuids(ids)}) OR s.conversation_id = ANY(${uuids(conversationIds)}))`,
  );
  return rows.map((r) => ({
    id: r.id,
    storeId: r.store_id,
    conversationId: r.conversation_id,
    agentId: r.agent_id,
    sentAt: Number(r.sent_ms),
    answeredAt: r.answered_ms === null ? null : Number(r.answered_ms),
    score: r.score === null ? null : Number(r.score),
    delivered: r.delivered === true || r.delivered === "t",
  }));
}
