import type { PlatformId } from "@yunxi/contracts";
import type { InboundContent, InboundEvent } from "@yunxi/marketplaces";
import { and, eq, ne, sql } from "drizzle-orm";
import type { AppContext } from "../../platform/context.ts";
import type { Executor } from "../../platform/db/client.ts";
import { newId } from "../../platform/db/ids.ts";
import { appendEvents, type LoggedEvent, type NewEvent } from "../../platform/events/log.ts";
import { findOrCreateIdentity, type IdentityRef } from "../customers/index.ts";
import { type ConversationRow, presentConversation, presentMessage, previewOf, type StoreRef } from "./presenter.ts";
import { conversations, messages } from "./tables.ts";

export interface IngestResult {
  stored: number;
  duplicates: number;
  events: LoggedEvent[];
}

function contentToMessage(content: InboundContent): { kind: string; body: string } {
  switch (content.type) {
    case "text":
      return { kind: "text", body: content.text };
    case "image":
      return { kind: "image", body: content.url };
    case "product_card":
      return { kind: "product_card", body: content.title };
    case "order_card":
      return { kind: "order_card", body: content.orderId };
  }
}

/**
 * The inbound half of the core loop, as one transaction: identity, open
 * conversation, message (unique on store + platform id, so a repeated push is a
 * no-op), realtime events. The caller acknowledges the push only after this
 * returns, i.e. after commit.
 */
export async function ingestInbound(
  ctx: AppContext,
  store: StoreRef & { orgId: string },
  inbound: InboundEvent[],
): Promise<IngestResult> {
  const result = await ctx.db.transaction(async (tx) => {
    const events: NewEvent[] = [];
    let stored = 0;
    for (const event of inbound) {
      const outcome = await ingestMessage(tx, store, event);
      if (outcome) {
        stored++;
        events.push(...outcome);
      }
    }
    const logged = await appendEvents(tx, store.orgId, events);
    return { stored, duplicates: inbound.length - stored, events: logged };
  });
  ctx.bus.publish(result.events);
  return result;
}

async function ingestMessage(
  tx: Executor,
  store: StoreRef & { orgId: string },
  event: InboundEvent,
): Promise<NewEvent[] | null> {
  const identity = await findOrCreateIdentity(tx, {
    orgId: store.orgId,
    platform: store.platform as PlatformId,
    storeId: store.id,
    platformBuyerId: event.buyer.platformBuyerId,
    displayName: event.buyer.displayName,
  });
  const { kind, body } = contentToMessage(event.content);
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
      lastMessagePreview: previewOf(kind === "text" ? body : `[${kind}]`),
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

/** The buyer's unresolved conversation in this store, or a new one (the partial unique index arbitrates races). */
async function openConversation(
  tx: Executor,
  store: StoreRef & { orgId: string },
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
