import type {
  Conversation,
  MessageAttachment,
  OutboundAttachment,
  PlatformId,
  SendMessageRequest,
} from "@yunxi/contracts";
import type { OutboundContent } from "@yunxi/marketplaces";
import { and, eq, sql } from "drizzle-orm";
import type { AppContext } from "../../platform/context.ts";
import type { Executor } from "../../platform/db/client.ts";
import { isUniqueViolation } from "../../platform/db/errors.ts";
import { newId } from "../../platform/db/ids.ts";
import { appendEvents, type NewEvent } from "../../platform/events/log.ts";
import { AppError, conflict } from "../../platform/http/errors.ts";
import { recordAudit } from "../audit/index.ts";
import type { Actor } from "../identity/index.ts";
import { findStoreOrder } from "../orders/index.ts";
import { enqueueDelivery } from "./outbound.ts";
import { type ConversationRow, type MessageRow, presentMessage, previewOf } from "./presenter.ts";
import { getConversationRow, getMessageRow, presentConversations } from "./queries.ts";
import { inviteToSurvey, lapseUndeliveredSurvey } from "./survey/survey.ts";
import { conversations, messages } from "./tables.ts";

export { DELIVERY_MAX_ATTEMPTS, DELIVERY_QUEUE } from "./outbound.ts";

/** What the inbox asks of other capabilities before it accepts a reply. */
export interface ReplyChecks {
  /** The conversation's store: whether it is active and on which platform. */
  storeOf: (db: Executor, orgId: string, storeId: string) => Promise<{ active: boolean; platform: PlatformId } | null>;
  /** Why the platform would refuse this content (length, links …), or null. */
  outboundRefusal: (platform: PlatformId, content: OutboundContent) => string | null;
}

interface OutboundDraft {
  kind: "text" | "image" | "product_card" | "order_card";
  body: string;
  attachment: MessageAttachment | null;
  content: OutboundContent;
}

/** The attachment as it is stored and shown: an order card carries what we know of the order. */
async function draftAttachment(
  db: Executor,
  orgId: string,
  storeId: string,
  attachment: OutboundAttachment,
): Promise<OutboundDraft> {
  switch (attachment.type) {
    case "image":
      return {
        kind: "image",
        body: "[图片]",
        attachment: { type: "image", url: attachment.url },
        content: { type: "image", url: attachment.url },
      };
    case "product_card":
      return {
        kind: "product_card",
        body: `[商品] ${attachment.productId}`,
        attachment: {
          type: "product_card",
          productId: attachment.productId,
          title: `商品 ${attachment.productId}`,
          priceCents: null,
          imageUrl: null,
        },
        content: { type: "product_card", productId: attachment.productId },
      };
    case "order_card": {
      // The agent may name our order id or the platform's number; the platform gets its number.
      const order = await findStoreOrder(db, orgId, storeId, attachment.orderId);
      const orderId = order?.platformOrderId ?? attachment.orderId;
      const items = (order?.items ?? []) as { title: string }[];
      return {
        kind: "order_card",
        body: `[订单] ${orderId}`,
        attachment: {
          type: "order_card",
          orderId,
          title: items[0]?.title ?? null,
          status: order?.status ?? null,
          totalCents: order?.totalCents ?? null,
        },
        content: { type: "order_card", orderId },
      };
    }
  }
}

/**
 * The outbound half of the core loop: the reply and its delivery job in one
 * transaction. The same idempotency key from the same agent returns the first
 * message instead of sending again. Content the platform forbids is refused with
 * 422 `platform_limit` before anything is written. An attachment with text goes
 * as two messages, the attachment first, as the platforms' chat windows show them.
 */
export async function sendReply(
  ctx: AppContext,
  actor: Actor,
  conversationId: string,
  input: SendMessageRequest,
  checks: ReplyChecks,
): Promise<{ message: MessageRow; created: boolean }> {
  const result = await ctx.db.transaction(async (tx) => {
    const conversation = await getConversationRow(tx, actor, conversationId);
    const [earlier] = await tx
      .select()
      .from(messages)
      .where(
        and(
          eq(messages.orgId, actor.orgId),
          eq(messages.senderId, actor.userId),
          eq(messages.clientKey, input.idempotencyKey),
        ),
      );
    if (earlier) {
      if (earlier.conversationId !== conversation.id)
        throw conflict("This idempotency key was used for another message");
      return { message: earlier, created: false, events: [] };
    }
    const store = await checks.storeOf(tx, actor.orgId, conversation.storeId);
    if (!store?.active) {
      throw new AppError(409, "store_disabled", "This store is disabled; replies cannot be sent");
    }
    const drafts: OutboundDraft[] = [];
    if (input.attachment) drafts.push(await draftAttachment(tx, actor.orgId, conversation.storeId, input.attachment));
    if (input.body) {
      drafts.push({ kind: "text", body: input.body, attachment: null, content: { type: "text", text: input.body } });
    }
    for (const draft of drafts) {
      const refusal = checks.outboundRefusal(store.platform, draft.content);
      if (refusal) throw new AppError(422, "platform_limit", refusal);
    }
    const now = ctx.now();
    const inserted: MessageRow[] = [];
    for (const [i, draft] of drafts.entries()) {
      const [message] = await tx
        .insert(messages)
        .values({
          id: newId(),
          orgId: actor.orgId,
          conversationId: conversation.id,
          storeId: conversation.storeId,
          direction: "outbound",
          senderType: "agent",
          senderId: actor.userId,
          kind: draft.kind,
          body: draft.body,
          attachment: draft.attachment,
          // The first message answers to the client's key; a second one (the text) derives its own.
          clientKey: i === 0 ? input.idempotencyKey : `${input.idempotencyKey}#${i}`,
          deliveryStatus: "pending",
          createdAt: new Date(now.getTime() + i),
        })
        .returning();
      await enqueueDelivery(tx, message!);
      inserted.push(message!);
    }
    const last = inserted[inserted.length - 1]!;
    const [updated] = await tx
      .update(conversations)
      .set({
        lastMessagePreview: previewOf(last.body),
        lastMessageAt: last.createdAt,
        unreadCount: 0,
        // Answering a buyer takes the conversation if nobody had it.
        assigneeId: sql`coalesce(${conversations.assigneeId}, ${actor.userId}::uuid)`,
        assignedAt: sql`coalesce(${conversations.assignedAt}, ${now.toISOString()}::timestamptz)`,
        queuedAt: null,
        updatedAt: now,
      })
      .where(eq(conversations.id, conversation.id))
      .returning();
    const [shown] = await presentConversations(tx, actor.orgId, [updated!]);
    const events = await appendEvents(
      tx,
      actor.orgId,
      inserted.map((message) => ({
        type: "message.created",
        storeId: conversation.storeId,
        payload: { message: presentMessage(message), conversation: shown },
      })),
    );
    return { message: inserted[0]!, created: true, events };
  });
  if (result.created) ctx.jobs.notify();
  ctx.bus.publish(result.events);
  return { message: result.message, created: result.created };
}

/** A failed reply, sent again on the agent's request. */
export async function retryDelivery(ctx: AppContext, actor: Actor, messageId: string): Promise<MessageRow> {
  const result = await ctx.db.transaction(async (tx) => {
    const message = await getMessageRow(tx, actor, messageId);
    if (message.deliveryStatus !== "failed") throw conflict("Only a failed message can be retried");
    const [updated] = await tx
      .update(messages)
      .set({ deliveryStatus: "pending", deliveryError: null })
      .where(eq(messages.id, message.id))
      .returning();
    await enqueueDelivery(tx, updated!);
    await recordAudit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: "message.retried",
      targetType: "message",
      targetId: message.id,
    });
    const events = await appendEvents(tx, actor.orgId, [
      { type: "message.updated", storeId: message.storeId, payload: { message: presentMessage(updated!) } },
    ]);
    return { message: updated!, events };
  });
  ctx.jobs.notify();
  ctx.bus.publish(result.events);
  return result.message;
}

/** What the delivery worker needs: the message, still pending, and whom it goes to. */
export async function pendingDelivery(
  db: Executor,
  orgId: string,
  messageId: string,
): Promise<{ message: MessageRow; identityId: string } | null> {
  const [row] = await db
    .select({ message: messages, identityId: conversations.identityId })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(and(eq(messages.orgId, orgId), eq(messages.id, messageId)));
  if (row?.message.deliveryStatus !== "pending") return null;
  return row;
}

export type DeliveryOutcome =
  | { status: "sent"; platformMessageId: string }
  | { status: "retrying"; error: string }
  | { status: "failed"; error: string };

/** Record what the platform said; `sent` also stamps the response times KPIs are built on. */
export async function recordDelivery(ctx: AppContext, orgId: string, messageId: string, outcome: DeliveryOutcome) {
  const events = await ctx.db.transaction(async (tx) => {
    const now = ctx.now();
    const [message] = await tx
      .update(messages)
      .set(
        outcome.status === "sent"
          ? {
              deliveryStatus: "sent",
              deliveryError: null,
              platformMessageId: outcome.platformMessageId,
              sentAt: now,
              deliveryAttempts: sql`${messages.deliveryAttempts} + 1`,
            }
          : {
              deliveryStatus: outcome.status === "failed" ? "failed" : "pending",
              deliveryError: outcome.error.slice(0, 1000),
              deliveryAttempts: sql`${messages.deliveryAttempts} + 1`,
            },
      )
      .where(and(eq(messages.orgId, orgId), eq(messages.id, messageId), eq(messages.deliveryStatus, "pending")))
      .returning();
    if (!message) return [];
    const events: NewEvent[] = [
      { type: "message.updated", storeId: message.storeId, payload: { message: presentMessage(message) } },
    ];
    // A survey invitation that never arrived asks nothing: its survey lapses.
    if (outcome.status === "failed" && message.senderType === "system") {
      await lapseUndeliveredSurvey(tx, orgId, message.id);
    }
    // Only a reply answers the buyer; a system message (the survey's) leaves the response times alone.
    if (outcome.status === "sent" && message.senderType !== "system") {
      const [conversation] = await tx
        .update(conversations)
        .set({
          firstResponseAt: sql`coalesce(${conversations.firstResponseAt}, ${now.toISOString()}::timestamptz)`,
          lastOutboundAt: now,
          // The buyer was answered: response targets are met; the resolution target runs on.
          nextResponseDueAt: null,
          slaWarned: onlyResolution(conversations.slaWarned),
          slaBreaches: onlyResolution(conversations.slaBreaches),
          updatedAt: now,
        })
        .where(eq(conversations.id, message.conversationId))
        .returning();
      const [shown] = await presentConversations(tx, orgId, [conversation!]);
      events.push({ type: "conversation.updated", storeId: message.storeId, payload: { conversation: shown } });
    }
    return appendEvents(tx, orgId, events);
  });
  ctx.bus.publish(events);
}

type ConversationChange = Partial<typeof conversations.$inferInsert>;

/**
 * Change one conversation the actor may see and tell every screen: the shared
 * shape of the agent's conversation commands (read, status). `change` returns
 * null when there is nothing to change, so no event is logged.
 */
async function updateConversation(
  ctx: AppContext,
  actor: Actor,
  conversationId: string,
  change: (row: ConversationRow, now: Date) => ConversationChange | null,
  after?: (
    tx: Executor,
    before: ConversationRow,
    updated: ConversationRow,
    shown: Conversation,
    now: Date,
  ) => Promise<NewEvent[]>,
) {
  const result = await ctx.db.transaction(async (tx) => {
    const row = await getConversationRow(tx, actor, conversationId);
    const now = ctx.now();
    const set = change(row, now);
    if (!set) {
      const [shown] = await presentConversations(tx, actor.orgId, [row]);
      return { conversation: shown!, events: [] };
    }
    const [updated] = await tx
      .update(conversations)
      .set({ ...set, updatedAt: now })
      .where(eq(conversations.id, row.id))
      .returning()
      .catch((err: unknown) => {
        // Reopening while the buyer already has a newer open conversation in this store.
        if (isUniqueViolation(err, "conversations_one_open")) {
          throw conflict("The buyer already has an open conversation");
        }
        throw err;
      });
    const [shown] = await presentConversations(tx, actor.orgId, [updated!]);
    const events = await appendEvents(tx, actor.orgId, [
      { type: "conversation.updated", storeId: row.storeId, payload: { conversation: shown } },
      ...((await after?.(tx, row, updated!, shown!, now)) ?? []),
    ]);
    return { conversation: shown!, events };
  });
  ctx.bus.publish(result.events);
  return result.conversation;
}

export const markRead = (ctx: AppContext, actor: Actor, conversationId: string) =>
  updateConversation(ctx, actor, conversationId, (row) => (row.unreadCount === 0 ? null : { unreadCount: 0 }));

/** SLA markers of the response targets dropped, the resolution target's kept. */
const onlyResolution = (column: typeof conversations.slaWarned | typeof conversations.slaBreaches) =>
  sql`(SELECT coalesce(jsonb_agg(k), '[]'::jsonb) FROM jsonb_array_elements_text(${column}) AS k WHERE k = 'resolution')`;

/**
 * Resolve, reopen or set pending. Resolved conversations leave the queue and their
 * SLA targets end; a reopened one nobody holds goes back to the queue. Resolving
 * invites the buyer to Yunxi's satisfaction survey, in the same transaction, when the
 * org has it on (survey/survey.ts).
 */
export const setStatus = (
  ctx: AppContext,
  actor: Actor,
  conversationId: string,
  status: "open" | "pending" | "resolved",
  checks: ReplyChecks,
) =>
  updateConversation(
    ctx,
    actor,
    conversationId,
    (row, now) => ({
      status,
      resolvedAt: status === "resolved" ? now : null,
      snoozedUntil: null,
      queuedAt: status === "open" && row.assigneeId === null ? (row.queuedAt ?? now) : null,
      ...(status === "resolved" && {
        nextResponseDueAt: null,
        resolutionDueAt: null,
        slaWarned: [],
        slaBreaches: [],
      }),
    }),
    async (tx, before, updated, shown, now) =>
      status === "resolved" && before.status !== "resolved" ? inviteToSurvey(tx, updated, shown, checks, now) : [],
  );
