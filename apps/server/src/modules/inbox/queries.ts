import type { ConversationCounts, ListConversationsQuery } from "@yunxi/contracts";
import { and, asc, desc, eq, gte, inArray, isNull, lt, type SQL, sql } from "drizzle-orm";
import type { AppContext } from "../../platform/context.ts";
import { type Executor, likeContaining, likeEscape, queryRows } from "../../platform/db/client.ts";
import { isId } from "../../platform/db/ids.ts";
import { notFound } from "../../platform/http/errors.ts";
import { identitiesByIds, identityIdsMatching } from "../customers/index.ts";
import { type Actor, canSeeStore } from "../identity/index.ts";
import { listOrgStores } from "../stores/index.ts";
import { type ConversationRow, type MessageRow, presentConversation, type StoreRef } from "./presenter.ts";
import { conversations, messages } from "./tables.ts";

/** A conversation the actor may see: another org's or another store's is "not found". */
export async function getConversationRow(db: Executor, actor: Actor, id: string): Promise<ConversationRow> {
  const [row] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.orgId, actor.orgId), eq(conversations.id, id)));
  if (!row || !canSeeStore(actor, row.storeId)) throw notFound("Conversation");
  return row;
}

/** Whose conversation it is, for capabilities that look the buyer up on the platform (orders). */
export async function conversationBuyer(db: Executor, actor: Actor, conversationId: string) {
  const row = await getConversationRow(db, actor, conversationId);
  const identity = (await identitiesByIds(db, actor.orgId, [row.identityId])).get(row.identityId);
  if (!identity) throw notFound("Conversation");
  return {
    orgId: row.orgId,
    storeId: row.storeId,
    customerId: row.customerId,
    identityId: row.identityId,
    buyer: { platformBuyerId: identity.platformBuyerId, displayName: identity.displayName },
  };
}

/** Present many conversations with two look-ups (stores, identities), not one per row. */
export async function presentConversations(db: Executor, orgId: string, rows: ConversationRow[]) {
  if (rows.length === 0) return [];
  const [storeRows, identities] = await Promise.all([
    listOrgStores(db, orgId),
    identitiesByIds(
      db,
      orgId,
      rows.map((r) => r.identityId),
    ),
  ]);
  const storesById = new Map<string, StoreRef>(storeRows.map((s) => [s.id, s]));
  return rows.map((r) => presentConversation(r, storesById.get(r.storeId)!, identities.get(r.identityId)!));
}

/** The conditions of a conversation list filter; null when the actor can see nothing that matches. */
async function listConditions(
  ctx: AppContext,
  actor: Actor,
  query: Omit<ListConversationsQuery, "sort" | "limit" | "before">,
): Promise<SQL[] | null> {
  const conditions: SQL[] = [eq(conversations.orgId, actor.orgId)];
  let storeIds = actor.storeIds;
  if (query.platform) {
    const ofPlatform = (await listOrgStores(ctx.db, actor.orgId)).filter((s) => s.platform === query.platform);
    storeIds = ofPlatform.map((s) => s.id).filter((id) => storeIds === null || storeIds.includes(id));
  }
  if (query.storeId) {
    if (!canSeeStore(actor, query.storeId) || (storeIds !== null && !storeIds.includes(query.storeId))) return null;
    conditions.push(eq(conversations.storeId, query.storeId));
  } else if (storeIds !== null) {
    if (storeIds.length === 0) return null;
    conditions.push(inArray(conversations.storeId, storeIds));
  }
  if (query.status) conditions.push(eq(conversations.status, query.status));
  if (query.assignee === "me") conditions.push(eq(conversations.assigneeId, actor.userId));
  else if (query.assignee === "unassigned") conditions.push(isNull(conversations.assigneeId));
  else if (query.assignee) {
    if (!isId(query.assignee)) return null;
    conditions.push(eq(conversations.assigneeId, query.assignee));
  }
  if (query.groupId) {
    if (!isId(query.groupId)) return null;
    conditions.push(eq(conversations.groupId, query.groupId));
  }
  if (query.minPriority !== undefined) conditions.push(gte(conversations.priority, query.minPriority));
  if (query.tag) {
    conditions.push(
      sql`EXISTS (SELECT 1 FROM jsonb_array_elements_text(${conversations.tags}) AS t WHERE t LIKE ${`${likeEscape(query.tag)}%`})`,
    );
  }
  if (query.sla) conditions.push(slaCondition(query.sla, ctx.now()));
  if (query.q) conditions.push(await searchCondition(ctx.db, actor.orgId, query.q));
  return conditions;
}

/** Due within this long counts as "due soon" in list filters (the stores' own warning windows drive alerts). */
const DUE_SOON_SECONDS = 60;

function slaCondition(state: "breached" | "due_soon" | "ok", now: Date): SQL {
  const breached = sql`jsonb_array_length(${conversations.slaBreaches}) > 0`;
  const soon = new Date(now.getTime() + DUE_SOON_SECONDS * 1000).toISOString();
  const dueSoon = sql`((${conversations.firstResponseAt} IS NULL AND ${conversations.firstResponseDueAt} <= ${soon}::timestamptz)
    OR ${conversations.nextResponseDueAt} <= ${soon}::timestamptz OR ${conversations.resolutionDueAt} <= ${soon}::timestamptz)`;
  if (state === "breached") return breached;
  if (state === "due_soon") return sql`NOT ${breached} AND ${dueSoon}`;
  return sql`NOT ${breached} AND NOT coalesce(${dueSoon}, false)`;
}

/** Buyer name or id (through the customers module), or the text of the conversation's messages. */
async function searchCondition(db: Executor, orgId: string, q: string): Promise<SQL> {
  const pattern = likeContaining(q);
  const identities = await identityIdsMatching(db, orgId, q);
  const byBuyer = identities.length > 0 ? inArray(conversations.identityId, identities) : sql`false`;
  return sql`(${byBuyer} OR ${conversations.lastMessagePreview} ILIKE ${pattern}
    OR EXISTS (SELECT 1 FROM messages m WHERE m.org_id = ${orgId} AND m.conversation_id = ${conversations.id}
               AND m.body ILIKE ${pattern}))`;
}

export async function listConversations(ctx: AppContext, actor: Actor, query: ListConversationsQuery) {
  const conditions = await listConditions(ctx, actor, query);
  if (conditions === null) return [];
  if (query.before && query.sort === "recent") {
    const before = new Date(query.before);
    if (!Number.isNaN(before.getTime())) conditions.push(lt(conversations.lastMessageAt, before));
  }
  const order =
    query.sort === "priority"
      ? [
          desc(conversations.priority),
          asc(sql`coalesce(${conversations.queuedAt}, ${conversations.lastInboundAt}, ${conversations.lastMessageAt})`),
        ]
      : [desc(conversations.lastMessageAt)];
  const rows = await ctx.db
    .select()
    .from(conversations)
    .where(and(...conditions))
    .orderBy(...order)
    .limit(query.limit);
  return presentConversations(ctx.db, actor.orgId, rows);
}

/** Open conversations per filter value: the list's badges. */
export async function countConversations(
  ctx: AppContext,
  actor: Actor,
  query: Omit<ListConversationsQuery, "sort" | "limit" | "before">,
): Promise<ConversationCounts> {
  const counts: ConversationCounts = {
    total: 0,
    mine: 0,
    unassigned: 0,
    breached: 0,
    waiting: 0,
    byStore: {},
    byPlatform: {},
  };
  // Counts per store and platform ignore those filters, so every badge shows; the totals honour them.
  const conditions = await listConditions(ctx, actor, {
    ...query,
    storeId: undefined,
    platform: undefined,
    status: query.status ?? "open",
  });
  if (conditions === null) return counts;
  const rows = await queryRows<{
    store_id: string;
    total: number;
    mine: number;
    unassigned: number;
    breached: number;
    waiting: number;
  }>(
    ctx.db,
    sql`SELECT store_id, count(*)::int AS total,
               count(*) FILTER (WHERE assignee_id = ${actor.userId}::uuid)::int AS mine,
               count(*) FILTER (WHERE assignee_id IS NULL)::int AS unassigned,
               count(*) FILTER (WHERE jsonb_array_length(sla_breaches) > 0)::int AS breached,
               count(*) FILTER (WHERE last_inbound_at > coalesce(last_outbound_at, '-infinity'::timestamptz))::int AS waiting
        FROM conversations WHERE ${and(...conditions)} GROUP BY store_id`,
  );
  const platformOf = new Map((await listOrgStores(ctx.db, actor.orgId)).map((s) => [s.id, s.platform]));
  for (const r of rows) {
    counts.byStore[r.store_id] = r.total;
    const platform = platformOf.get(r.store_id) ?? "";
    counts.byPlatform[platform] = (counts.byPlatform[platform] ?? 0) + r.total;
    if (query.storeId && r.store_id !== query.storeId) continue;
    if (query.platform && platform !== query.platform) continue;
    counts.total += r.total;
    counts.mine += r.mine;
    counts.unassigned += r.unassigned;
    counts.breached += r.breached;
    counts.waiting += r.waiting;
  }
  return counts;
}

export async function listMessages(db: Executor, actor: Actor, conversationId: string, limit: number) {
  const conversation = await getConversationRow(db, actor, conversationId);
  // The newest `limit` messages, returned oldest first for the thread.
  const rows: MessageRow[] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.orgId, actor.orgId), eq(messages.conversationId, conversation.id)))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(limit);
  return rows.reverse();
}

export async function getMessageRow(db: Executor, actor: Actor, id: string): Promise<MessageRow> {
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.orgId, actor.orgId), eq(messages.id, id)));
  if (!row || !canSeeStore(actor, row.storeId)) throw notFound("Message");
  return row;
}

/** When each store of the org last saw a message, for the store list. */
export async function lastMessageTimes(db: Executor, orgId: string): Promise<Map<string, Date>> {
  const rows = await queryRows<{ store_id: string; at: string | Date }>(
    db,
    sql`SELECT store_id, max(last_message_at) AS at FROM conversations WHERE org_id = ${orgId} GROUP BY store_id`,
  );
  return new Map(rows.map((r) => [r.store_id, new Date(r.at)]));
}
