import type { ListConversationsQuery } from "@yunxi/contracts";
import { and, desc, eq, inArray, lt, type SQL, sql } from "drizzle-orm";
import type { AppContext } from "../../platform/context.ts";
import { type Executor, queryRows } from "../../platform/db/client.ts";
import { notFound } from "../../platform/http/errors.ts";
import { identitiesByIds } from "../customers/index.ts";
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

export async function listConversations(ctx: AppContext, actor: Actor, query: ListConversationsQuery) {
  const conditions: SQL[] = [eq(conversations.orgId, actor.orgId)];
  if (query.storeId) {
    if (!canSeeStore(actor, query.storeId)) return [];
    conditions.push(eq(conversations.storeId, query.storeId));
  } else if (actor.storeIds !== null) {
    if (actor.storeIds.length === 0) return [];
    conditions.push(inArray(conversations.storeId, actor.storeIds));
  }
  if (query.status) conditions.push(eq(conversations.status, query.status));
  if (query.before) {
    const before = new Date(query.before);
    if (!Number.isNaN(before.getTime())) conditions.push(lt(conversations.lastMessageAt, before));
  }
  const rows = await ctx.db
    .select()
    .from(conversations)
    .where(and(...conditions))
    .orderBy(desc(conversations.lastMessageAt))
    .limit(query.limit);
  return presentConversations(ctx.db, actor.orgId, rows);
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
