import type { OrderChange, PlatformId } from "@yunxi/contracts";
import type { InboundContent, InboundEvent } from "@yunxi/marketplaces";
import { and, eq, isNull, lt, ne, or, sql } from "drizzle-orm";
import type { AppContext } from "../../platform/context.ts";
import type { Executor } from "../../platform/db/client.ts";
import { GroupCommit } from "../../platform/db/group-commit.ts";
import { newId } from "../../platform/db/ids.ts";
import { appendEvents, type LoggedEvent, type NewEvent } from "../../platform/events/log.ts";
import { findIdentity, findOrCreateIdentity, type IdentityRef } from "../customers/index.ts";
import {
  applyOrderEvent,
  type PhoneHasher,
  presentEvaluation,
  presentOrder,
  recordEvaluation,
} from "../orders/index.ts";
import { orderNotice } from "./order-notices.ts";
import { type ConversationRow, presentConversation, presentMessage, previewOf, type StoreRef } from "./presenter.ts";
import { conversations, messages } from "./tables.ts";

export interface IngestResult {
  /** Events that changed something (a message stored, an order moved on, a receipt applied). */
  stored: number;
  /** Repeats of events already applied, and receipts that changed nothing. */
  duplicates: number;
  events: LoggedEvent[];
}

type Store = StoreRef & { orgId: string };
type EventOf<K extends InboundEvent["kind"]> = Extract<InboundEvent, { kind: K }>;

function contentToMessage(content: InboundContent): { kind: string; body: string; attachment: unknown } {
  switch (content.type) {
    case "text":
      return { kind: "text", body: content.text, attachment: null };
    case "image":
      return { kind: "image", body: "[图片]", attachment: { type: "image", url: content.url } };
    case "product_card":
      return {
        kind: "product_card",
        body: `[商品] ${content.title}`,
        attachment: {
          type: "product_card",
          productId: content.productId,
          title: content.title,
          priceCents: null,
          imageUrl: null,
        },
      };
    case "order_card":
      return {
        kind: "order_card",
        body: `[订单] ${content.orderId}`,
        attachment: { type: "order_card", orderId: content.orderId, title: null, status: null, totalCents: null },
      };
  }
}

interface IngestItem {
  store: Store;
  inbound: InboundEvent[];
}

const committers = new WeakMap<AppContext, GroupCommit<IngestItem, IngestResult>>();

/**
 * The inbound half of the core loop, as one transaction: for each event of the
 * push, the buyer's identity, then the message (unique on store + platform id),
 * the order change (once per platform event id, with a notice in the buyer's open
 * conversation), the read receipt or the rating, and the realtime events. The
 * caller acknowledges the push only after this returns, i.e. after commit.
 *
 * Pushes of one org that arrive while its previous transaction runs are committed
 * together (group commit): the per-org event lock and the commit's flush are paid
 * once per batch instead of once per push, which is what limits a push storm.
 */
export function ingestInbound(ctx: AppContext, store: Store, inbound: InboundEvent[]): Promise<IngestResult> {
  let committer = committers.get(ctx);
  if (!committer) {
    committer = new GroupCommit((items) => ingestBatch(ctx, items));
    committers.set(ctx, committer);
  }
  return committer.submit(store.orgId, { store, inbound });
}

async function ingestBatch(ctx: AppContext, items: IngestItem[]): Promise<IngestResult[]> {
  const hashPhone: PhoneHasher = (phone) => ctx.vault.keyedHash(`phone:${phone}`);
  const orgId = items[0]!.store.orgId;
  const { perItem, logged } = await ctx.db.transaction(async (tx) => {
    const events: NewEvent[] = [];
    const perItem: { stored: number; duplicates: number; from: number; to: number }[] = [];
    for (const { store, inbound } of items) {
      const from = events.length;
      let stored = 0;
      for (const event of inbound) {
        const outcome = await ingestOne(tx, store, event, hashPhone);
        if (outcome) {
          stored++;
          events.push(...outcome);
        }
      }
      perItem.push({ stored, duplicates: inbound.length - stored, from, to: events.length });
    }
    return { perItem, logged: await appendEvents(tx, orgId, events) };
  });
  ctx.bus.publish(logged);
  return perItem.map((p) => ({ stored: p.stored, duplicates: p.duplicates, events: logged.slice(p.from, p.to) }));
}

function ingestOne(tx: Executor, store: Store, event: InboundEvent, hashPhone: PhoneHasher) {
  switch (event.kind) {
    case "message":
      return ingestMessage(tx, store, event);
    case "order":
      return ingestOrder(tx, store, event, hashPhone);
    case "read":
      return ingestRead(tx, store, event);
    case "evaluation":
      return ingestEvaluation(tx, store, event);
  }
}

const buyerOf = (store: Store, buyer: { platformBuyerId: string; displayName: string }) => ({
  orgId: store.orgId,
  platform: store.platform as PlatformId,
  storeId: store.id,
  platformBuyerId: buyer.platformBuyerId,
  displayName: buyer.displayName,
});

async function ingestMessage(tx: Executor, store: Store, event: EventOf<"message">): Promise<NewEvent[] | null> {
  const identity = await findOrCreateIdentity(tx, buyerOf(store, event.buyer));
  const { kind, body, attachment } = contentToMessage(event.content);
  const { conversation, created } = await openConversation(tx, store, identity, event.sentAt);
  const [message] = await tx
    .insert(messages)
    .values({
      id: newId(),
      orgId: store.orgId,
      conversationId: conversation.id,
      storeId: store.id,
      direction: "inbound",
      senderType: "buyer",
      kind,
      body,
      attachment,
      platformMessageId: event.platformMessageId,
      createdAt: event.sentAt,
    })
    .onConflictDoNothing()
    .returning();
  if (!message) return null;
  const [updated] = await tx
    .update(conversations)
    .set({
      status: "open",
      unreadCount: sql`${conversations.unreadCount} + 1`,
      lastMessagePreview: previewOf(body),
      lastMessageAt: sql`greatest(${conversations.lastMessageAt}, ${event.sentAt.toISOString()}::timestamptz)`,
      firstInboundAt: sql`coalesce(${conversations.firstInboundAt}, ${event.sentAt.toISOString()}::timestamptz)`,
      lastInboundAt: event.sentAt,
      updatedAt: new Date(),
    })
    .where(eq(conversations.id, conversation.id))
    .returning();
  const shown = presentConversation(updated!, store, identity);
  const events: NewEvent[] = [];
  if (created) events.push({ type: "conversation.created", storeId: store.id, payload: { conversation: shown } });
  events.push({
    type: "message.created",
    storeId: store.id,
    payload: { message: presentMessage(message), conversation: shown },
  });
  return events;
}

/**
 * An order change: the order upserted once per platform event id, `order.changed`
 * for every capability that reacts to orders (from the event log), and a system
 * notice in the buyer's open conversation in this store, if there is one; an order
 * alone does not open a conversation.
 */
async function ingestOrder(
  tx: Executor,
  store: Store,
  event: EventOf<"order">,
  hashPhone: PhoneHasher,
): Promise<NewEvent[] | null> {
  const identity = await findOrCreateIdentity(tx, buyerOf(store, event.order.buyer));
  const owner = {
    orgId: store.orgId,
    storeId: store.id,
    customerId: identity.customerId,
    identityId: identity.identityId,
  };
  const row = await applyOrderEvent(tx, owner, event, hashPhone);
  if (!row) return null;
  const change = event.change as OrderChange;
  const order = presentOrder(row, store);
  const events: NewEvent[] = [{ type: "order.changed", storeId: store.id, payload: { change, order } }];
  const conversation = await findOpen(tx, store, identity.identityId);
  if (!conversation) return events;
  const notice = orderNotice(change, order);
  const [message] = await tx
    .insert(messages)
    .values({
      id: newId(),
      orgId: store.orgId,
      conversationId: conversation.id,
      storeId: store.id,
      direction: "inbound",
      senderType: "system",
      kind: "system",
      body: notice.body,
      attachment: { type: "system", event: notice.event, orderId: order.orderId },
      // Unique with the store: the notice of one platform event exists once.
      platformMessageId: `order-event:${event.eventId}`,
      createdAt: event.at,
    })
    .onConflictDoNothing()
    .returning();
  if (!message) return events;
  // A notice moves the conversation up but is not something the agent must read.
  const [updated] = await tx
    .update(conversations)
    .set({
      lastMessagePreview: previewOf(notice.body),
      lastMessageAt: sql`greatest(${conversations.lastMessageAt}, ${event.at.toISOString()}::timestamptz)`,
      updatedAt: new Date(),
    })
    .where(eq(conversations.id, conversation.id))
    .returning();
  events.push({
    type: "message.created",
    storeId: store.id,
    payload: { message: presentMessage(message), conversation: presentConversation(updated!, store, identity) },
  });
  return events;
}

/** The buyer read the store's messages up to `readAt`: only a later receipt changes anything. */
async function ingestRead(tx: Executor, store: Store, event: EventOf<"read">): Promise<NewEvent[] | null> {
  const identity = await findIdentity(tx, buyerOf(store, event.buyer));
  if (!identity) return null;
  const conversation = await findOpen(tx, store, identity.identityId);
  if (!conversation) return null;
  const [updated] = await tx
    .update(conversations)
    .set({ buyerReadAt: event.readAt, updatedAt: new Date() })
    .where(
      and(
        eq(conversations.id, conversation.id),
        or(isNull(conversations.buyerReadAt), lt(conversations.buyerReadAt, event.readAt)),
      ),
    )
    .returning();
  if (!updated) return null;
  return [
    {
      type: "conversation.updated",
      storeId: store.id,
      payload: { conversation: presentConversation(updated, store, identity) },
    },
  ];
}

async function ingestEvaluation(tx: Executor, store: Store, event: EventOf<"evaluation">): Promise<NewEvent[] | null> {
  const identity = await findOrCreateIdentity(tx, buyerOf(store, event.buyer));
  const owner = {
    orgId: store.orgId,
    storeId: store.id,
    customerId: identity.customerId,
    identityId: identity.identityId,
  };
  const row = await recordEvaluation(tx, owner, event);
  if (!row) return null;
  return [{ type: "evaluation.created", storeId: store.id, payload: { evaluation: presentEvaluation(row) } }];
}

/** The buyer's unresolved conversation in this store, or a new one (the partial unique index arbitrates races). */
async function openConversation(
  tx: Executor,
  store: Store,
  identity: IdentityRef,
  at: Date,
): Promise<{ conversation: ConversationRow; created: boolean }> {
  const existing = await findOpen(tx, store, identity.identityId);
  if (existing) return { conversation: existing, created: false };
  const [inserted] = await tx
    .insert(conversations)
    .values({
      id: newId(),
      orgId: store.orgId,
      storeId: store.id,
      customerId: identity.customerId,
      identityId: identity.identityId,
      lastMessageAt: at,
    })
    .onConflictDoNothing()
    .returning();
  if (inserted) return { conversation: inserted, created: true };
  return { conversation: (await findOpen(tx, store, identity.identityId))!, created: false };
}

async function findOpen(
  tx: Executor,
  store: { id: string; orgId: string },
  identityId: string,
): Promise<ConversationRow | undefined> {
  const [row] = await tx
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.orgId, store.orgId),
        eq(conversations.storeId, store.id),
        eq(conversations.identityId, identityId),
        ne(conversations.status, "resolved"),
      ),
    );
  return row;
}
