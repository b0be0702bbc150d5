import type { Classification } from "@yunxi/contracts";
import { and, eq, sql } from "drizzle-orm";
import type { AppContext } from "../../platform/context.ts";
import type { Executor } from "../../platform/db/client.ts";
import { newId } from "../../platform/db/ids.ts";
import { appendEvents, type NewEvent } from "../../platform/events/log.ts";
import { enqueue } from "../../platform/jobs/queue.ts";
import type { ConversationRow, MessageRow } from "./presenter.ts";
import { presentMessage, previewOf } from "./presenter.ts";
import { presentConversations } from "./queries.ts";
import { DELIVERY_MAX_ATTEMPTS, DELIVERY_QUEUE } from "./replies.ts";
import { conversations, messages } from "./tables.ts";

/**
 * What the inbox offers a bot (the assist module's order-aware auto-reply): a look at
 * the conversation, a reply sent through the platform like an agent's but marked as
 * the bot's, and the hand-over to a human. The inbox decides nothing here; the bot's
 * rules live in the assist module.
 */

/** The local classifier's review of a conversation's unanswered buyer messages, as triage made it. */
export interface TriageReview {
  classification: Classification;
  /**
   * How many buyer messages were unanswered. With the conversation's `last_inbound_at` this
   * names the run of messages reviewed: platforms stamp to the second, so a new message may
   * leave the time as it was, never the count.
   */
  unanswered: number;
}

/**
 * Called inside the triage transaction with the conversations just triaged (their tags set)
 * and, by conversation id, the review of the buyer's unanswered messages (absent when there
 * were none). A listener only enqueues work: it must not wait on anything outside the
 * database, the org's queue lock is held.
 */
export type TriageListener = (
  tx: Executor,
  orgId: string,
  triaged: ConversationRow[],
  reviews: ReadonlyMap<string, TriageReview>,
) => Promise<void>;
const triageListeners = new Set<TriageListener>();

/** Register (once per process; a Set ignores repeats) what should follow triage, e.g. the auto-reply job. */
export function onTriaged(listener: TriageListener): void {
  triageListeners.add(listener);
}

export async function notifyTriaged(
  tx: Executor,
  orgId: string,
  triaged: ConversationRow[],
  reviews: ReadonlyMap<string, TriageReview>,
): Promise<void> {
  for (const listener of triageListeners) await listener(tx, orgId, triaged, reviews);
}

/** The conversation as the bot sees it (no actor: the bot acts for the org). */
export async function conversationForBot(db: Executor, orgId: string, id: string): Promise<ConversationRow | null> {
  const [row] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.orgId, orgId), eq(conversations.id, id)));
  return row ?? null;
}

/** The conversation's recent messages, newest last (what the bot said before, re-asks). */
export async function recentMessagesForBot(db: Executor, orgId: string, id: string, limit = 20): Promise<MessageRow[]> {
  const rows = await db
    .select()
    .from(messages)
    .where(and(eq(messages.orgId, orgId), eq(messages.conversationId, id)))
    .orderBy(sql`${messages.createdAt} DESC`)
    .limit(limit);
  return rows.reverse();
}

async function publish(ctx: AppContext, orgId: string, work: (tx: Executor) => Promise<NewEvent[]>) {
  const events = await ctx.db.transaction(async (tx) => appendEvents(tx, orgId, await work(tx)));
  ctx.bus.publish(events);
  ctx.jobs.notify();
}

/**
 * Send the bot's answer through the conversation's platform (the same delivery job as an
 * agent's reply, `sender_type = bot`). A conversation nobody holds, now answered, waits
 * for the buyer (pending, out of the queue); the buyer's next message reopens it.
 * `idempotencyKey` makes a retried job send once.
 */
export async function sendBotReply(
  ctx: AppContext,
  orgId: string,
  conversationId: string,
  text: string,
  idempotencyKey: string,
): Promise<MessageRow | null> {
  let sent: MessageRow | null = null;
  await publish(ctx, orgId, async (tx) => {
    const [earlier] = await tx
      .select()
      .from(messages)
      .where(and(eq(messages.orgId, orgId), eq(messages.senderType, "bot"), eq(messages.clientKey, idempotencyKey)));
    if (earlier) return [];
    await tx.execute(sql`SELECT 1 FROM conversations WHERE id = ${conversationId} FOR UPDATE`);
    const conversation = await conversationForBot(tx, orgId, conversationId);
    if (!conversation || conversation.status === "resolved") return [];
    const now = ctx.now();
    const [message] = await tx
      .insert(messages)
      .values({
        id: newId(),
        orgId,
        conversationId,
        storeId: conversation.storeId,
        direction: "outbound",
        senderType: "bot",
        senderId: null,
        kind: "text",
        body: text,
        clientKey: idempotencyKey,
        deliveryStatus: "pending",
        createdAt: now,
      })
      .returning();
    await enqueue(tx, {
      orgId,
      queue: DELIVERY_QUEUE,
      payload: { messageId: message!.id },
      orderingKey: `conversation:${conversationId}`,
      maxAttempts: DELIVERY_MAX_ATTEMPTS,
    });
    const unheld = conversation.assigneeId === null;
    const [updated] = await tx
      .update(conversations)
      .set({
        lastMessagePreview: previewOf(text),
        lastMessageAt: now,
        updatedAt: now,
        ...(unheld && { status: "pending", queuedAt: null }),
      })
      .where(eq(conversations.id, conversationId))
      .returning();
    sent = message!;
    const [shown] = await presentConversations(tx, orgId, [updated!]);
    return [
      {
        type: "message.created",
        storeId: conversation.storeId,
        payload: { message: presentMessage(message!), conversation: shown },
      },
    ];
  });
  return sent;
}

/**
 * Hand the conversation to a human: an internal note saying why (and what the bot said,
 * which the thread shows anyway), the 转人工 tag, and back in the queue if nobody holds it.
 */
export async function handOverToHuman(
  ctx: AppContext,
  orgId: string,
  conversationId: string,
  reason: string,
): Promise<void> {
  await publish(ctx, orgId, async (tx) => {
    await tx.execute(sql`SELECT 1 FROM conversations WHERE id = ${conversationId} FOR UPDATE`);
    const conversation = await conversationForBot(tx, orgId, conversationId);
    if (!conversation || conversation.status === "resolved") return [];
    const now = ctx.now();
    const [note] = await tx
      .insert(messages)
      .values({
        id: newId(),
        orgId,
        conversationId,
        storeId: conversation.storeId,
        direction: "internal",
        senderType: "bot",
        senderId: null,
        kind: "note",
        body: reason,
        createdAt: now,
      })
      .returning();
    const tags = conversation.tags.includes(HANDOVER_TAG) ? conversation.tags : [...conversation.tags, HANDOVER_TAG];
    const [updated] = await tx
      .update(conversations)
      .set({
        tags,
        status: "open",
        updatedAt: now,
        ...(conversation.assigneeId === null && {
          queuedAt: conversation.queuedAt ?? conversation.lastInboundAt ?? now,
        }),
        needsTriage: true,
      })
      .where(eq(conversations.id, conversationId))
      .returning();
    const [shown] = await presentConversations(tx, orgId, [updated!]);
    // Re-triage: priority rules may weigh the hand-over; routing then finds a human.
    await enqueue(tx, { orgId, queue: "inbox-triage", payload: {}, orderingKey: `queue:${orgId}`, maxAttempts: 5 });
    return [
      { type: "conversation.updated", storeId: conversation.storeId, payload: { conversation: shown } },
      {
        type: "message.created",
        storeId: conversation.storeId,
        payload: { message: presentMessage(note!), conversation: shown },
      },
    ];
  });
}

/** The tag a conversation handed over by the bot carries. */
export const HANDOVER_TAG = "转人工";
