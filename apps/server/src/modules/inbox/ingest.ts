import type { OrderChange } from "@yunxi/contracts";
import type { InboundEvent } from "@yunxi/marketplaces";
import { and, eq, isNull, lt, ne, or, sql } from "drizzle-orm";
import type { AppContext } from "../../platform/context.ts";
import type { Executor } from "../../platform/db/client.ts";
import { GroupCommit } from "../../platform/db/group-commit.ts";
import { newId } from "../../platform/db/ids.ts";
import { appendEvents, type LoggedEvent, type NewEvent } from "../../platform/events/log.ts";
import { findIdentity, findOrCreateIdentity, identityKeyOf } from "../customers/index.ts";
import {
  applyOrderEvent,
  type PhoneHasher,
  presentEvaluation,
  presentOrder,
  recordEvaluation,
} from "../orders/index.ts";
import { buyerOf, type IngestStore, ingestMessages } from "./ingest-messages.ts";
import { orderNotice } from "./order-notices.ts";
import { type ConversationRow, presentConversation, presentMessage, previewOf } from "./presenter.ts";
import { enqueueTriage } from "./routing/queue.ts";
import { conversations, messages } from "./tables.ts";

export interface IngestResult {
  /** Events that changed something (a message stored, an order moved on, a receipt applied). */
  stored: number;
  /** Repeats of events already applied, and receipts that changed nothing. */
  duplicates: number;
  events: LoggedEvent[];
}

type Store = IngestStore;
type EventOf<K extends InboundEvent["kind"]> = Extract<InboundEvent, { kind: K }>;

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
 * once per batch instead of once per push, which is what limits a push storm; and
 * the batch's buyer messages are written with a few multi-row statements
 * (ingestMessages), so a batch costs about as many round trips as a single push.
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
  const flat = items.flatMap(({ store, inbound }) => inbound.map((event) => ({ store, event })));
  const { outcomes, logged } = await ctx.db.transaction(async (tx) => {
    const outcomes = await ingestInOrder(tx, flat, hashPhone);
    // Triage and routing follow as a job committed with the messages: a buyer who wrote is never left unrouted.
    if (buyerWrote(outcomes.flatMap((o) => o ?? []))) await enqueueTriage(tx, orgId);
    return {
      outcomes,
      logged: await appendEvents(
        tx,
        orgId,
        outcomes.flatMap((o) => o ?? []),
      ),
    };
  });
  ctx.bus.publish(logged);
  ctx.jobs.notify();
  // The events come back in the order they were given, so each push's are one slice.
  const results: IngestResult[] = [];
  let at = 0;
  let seq = 0;
  for (const { inbound } of items) {
    const mine = outcomes.slice(at, at + inbound.length);
    at += inbound.length;
    const count = mine.reduce((n, o) => n + (o?.length ?? 0), 0);
    const stored = mine.filter((o) => o !== null).length;
    results.push({ stored, duplicates: inbound.length - stored, events: logged.slice(seq, seq + count) });
    seq += count;
  }
  return results;
}

/** Whether a buyer message was stored (its conversation is then marked for triage). */
function buyerWrote(events: NewEvent[]): boolean {
  return events.some(
    (e) => e.type === "message.created" && (e.payload.message as { direction?: string }).direction === "inbound",
  );
}

/**
 * Every event's outcome (its realtime events, or null if it changed nothing), as if
 * applied one by one in push order. Buyer messages, the bulk of the traffic, are
 * collected and applied together by ingestMessages in a few set-based statements.
 * Orders, receipts and ratings are applied one by one where they stand; only one
 * that concerns a buyer with messages still collected flushes those first, since
 * it may depend on them (an order notice goes into the conversation a message
 * opened, a receipt needs the conversation). Events of different buyers touch
 * different rows, so applying them in another order gives the same result.
 */
async function ingestInOrder(
  tx: Executor,
  flat: { store: Store; event: InboundEvent }[],
  hashPhone: PhoneHasher,
): Promise<(NewEvent[] | null)[]> {
  const outcomes: (NewEvent[] | null)[] = flat.map(() => null);
  let collected: number[] = [];
  const collectedBuyers = new Set<string>();
  const flush = async () => {
    if (collected.length === 0) return;
    const batch = collected;
    collected = [];
    collectedBuyers.clear();
    const results = await ingestMessages(
      tx,
      batch.map((i) => flat[i] as { store: Store; event: EventOf<"message"> }),
    );
    for (const [k, i] of batch.entries()) outcomes[i] = results[k]!;
  };
  for (const [i, { store, event }] of flat.entries()) {
    const buyer = identityKeyOf(buyerOf(store, event.kind === "order" ? event.order.buyer : event.buyer));
    if (event.kind === "message") {
      collected.push(i);
      collectedBuyers.add(buyer);
      continue;
    }
    if (collectedBuyers.has(buyer)) await flush();
    outcomes[i] = await ingestOne(tx, store, event, hashPhone);
  }
  await flush();
  return outcomes;
}

function ingestOne(
  tx: Executor,
  store: Store,
  event: Exclude<InboundEvent, { kind: "message" }>,
  hashPhone: PhoneHasher,
): Promise<NewEvent[] | null> {
  switch (event.kind) {
    case "order":
      return ingestOrder(tx, store, event, hashPhone);
    case "read":
      return ingestRead(tx, store, event);
    case "evaluation":
      return ingestEvaluation(tx, store, event);
  }
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
