import { and, desc, eq, inArray, ne, type SQL } from "drizzle-orm";
import type { Executor } from "../../platform/db/client.ts";
import { type CustomerConversationRow, onIdentityMoved } from "../customers/index.ts";
import type { Actor } from "../identity/index.ts";
import { conversations } from "./tables.ts";

/** An identity moved to another customer: its conversations follow (registered at start-up). */
async function moveConversations(tx: Executor, orgId: string, identityId: string, toCustomerId: string) {
  await tx
    .update(conversations)
    .set({ customerId: toCustomerId })
    .where(
      and(
        eq(conversations.orgId, orgId),
        eq(conversations.identityId, identityId),
        ne(conversations.customerId, toCustomerId),
      ),
    );
}

/** Keep the conversations' customer ids right when the customers module links identities. */
export function followCustomerLinksInInbox(): void {
  onIdentityMoved(moveConversations);
}

/** A customer's conversations on every platform, in the stores the actor may see, newest first. */
export async function customerConversations(
  db: Executor,
  actor: Actor,
  customerId: string,
  limit = 100,
): Promise<CustomerConversationRow[]> {
  const conditions: SQL[] = [eq(conversations.orgId, actor.orgId), eq(conversations.customerId, customerId)];
  if (actor.storeIds !== null) {
    if (actor.storeIds.length === 0) return [];
    conditions.push(inArray(conversations.storeId, actor.storeIds));
  }
  return db
    .select({
      id: conversations.id,
      identityId: conversations.identityId,
      storeId: conversations.storeId,
      status: conversations.status,
      assigneeId: conversations.assigneeId,
      lastMessagePreview: conversations.lastMessagePreview,
      lastMessageAt: conversations.lastMessageAt,
      createdAt: conversations.createdAt,
      tags: conversations.tags,
    })
    .from(conversations)
    .where(and(...conditions))
    .orderBy(desc(conversations.lastMessageAt))
    .limit(limit);
}
