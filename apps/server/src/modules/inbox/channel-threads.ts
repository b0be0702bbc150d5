import { and, asc, desc, eq, inArray, isNotNull } from "drizzle-orm";
import type { Executor } from "../../platform/db/client.ts";
import type { MessageRow } from "./presenter.ts";
import { conversations, messages } from "./tables.ts";

/**
 * Reads for Yunxi's own channels, which show a buyer their own thread (the web
 * widget's history after a reload) and keep e-mail threads by Message-ID.
 */

/** The buyer's latest messages in one store, across their conversations, oldest first. */
export async function buyerHistory(
  db: Executor,
  orgId: string,
  storeId: string,
  identityId: string,
  limit: number,
): Promise<MessageRow[]> {
  const rows = await db
    .select({ message: messages })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(
      and(
        eq(messages.orgId, orgId),
        eq(messages.storeId, storeId),
        eq(conversations.orgId, orgId),
        eq(conversations.identityId, identityId),
      ),
    )
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(limit);
  return rows.map((r) => r.message).reverse();
}

/** The conversation (and its buyer) holding any of these platform message ids, e.g. an e-mail's References. */
export async function conversationByPlatformMessageIds(
  db: Executor,
  orgId: string,
  storeId: string,
  platformMessageIds: string[],
): Promise<{ conversationId: string; identityId: string } | null> {
  if (platformMessageIds.length === 0) return null;
  const [row] = await db
    .select({ conversationId: conversations.id, identityId: conversations.identityId })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(
      and(
        eq(messages.orgId, orgId),
        eq(messages.storeId, storeId),
        inArray(messages.platformMessageId, platformMessageIds),
      ),
    )
    .orderBy(desc(messages.createdAt))
    .limit(1);
  return row ?? null;
}

/** A conversation's messages that carry a platform id, oldest first (an e-mail thread's References). */
export async function conversationThread(
  db: Executor,
  orgId: string,
  conversationId: string,
): Promise<Pick<MessageRow, "id" | "direction" | "body" | "platformMessageId" | "createdAt">[]> {
  return db
    .select({
      id: messages.id,
      direction: messages.direction,
      body: messages.body,
      platformMessageId: messages.platformMessageId,
      createdAt: messages.createdAt,
    })
    .from(messages)
    .where(
      and(
        eq(messages.orgId, orgId),
        eq(messages.conversationId, conversationId),
        isNotNull(messages.platformMessageId),
      ),
    )
    .orderBy(asc(messages.createdAt), asc(messages.id));
}
