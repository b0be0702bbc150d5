import type { Order } from "@yunxi/contracts";
import type { PlatformOrder } from "@yunxi/marketplaces";
import { and, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Executor } from "../../platform/db/client.ts";
import { newId } from "../../platform/db/ids.ts";
import { notFound } from "../../platform/http/errors.ts";
import { type Actor, canSeeStore } from "../identity/index.ts";
import { listOrgStores } from "../stores/index.ts";
import { linkSamePhone, lockReceiverPhone } from "./customer-links.ts";
import { type EvaluationRow, type OrderRow, presentOrder } from "./presenter.ts";
import { evaluations, orderEvents, orders } from "./tables.ts";

/** Whose order it is: the store and the buyer as Yunxi knows them. */
export interface OrderOwner {
  orgId: string;
  storeId: string;
  customerId: string;
  identityId: string;
}

/** Keyed hash of the receiver's phone (ctx.vault.keyedHash): the number itself is never stored. */
export type PhoneHasher = (phone: string) => string;

const normalizePhone = (phone: string): string => phone.replace(/[^\d+]/g, "").replace(/^\+?86(?=1\d{10}$)/, "");

function orderValues(owner: OrderOwner, order: PlatformOrder, at: Date, hashPhone: PhoneHasher) {
  return {
    orgId: owner.orgId,
    storeId: owner.storeId,
    customerId: owner.customerId,
    identityId: owner.identityId,
    platformOrderId: order.orderId,
    status: order.status,
    platformStatus: order.platformStatus,
    items: order.items.map((i) => ({
      productId: i.productId,
      title: i.title,
      sku: i.sku ?? null,
      quantity: i.quantity,
      priceCents: i.priceCents,
    })),
    totalCents: order.totalCents,
    createdAt: order.createdAt,
    paidAt: order.paidAt ?? null,
    promisedShipAt: order.promisedShipAt ?? null,
    shippedAt: order.shippedAt ?? null,
    carrier: order.logistics?.carrier ?? null,
    trackingNo: order.logistics?.trackingNo ?? null,
    receiverPhoneHash: order.receiverPhone ? hashPhone(normalizePhone(order.receiverPhone)) : null,
    statusAt: at,
  };
}

/** Take the newer side for status-like fields: a late push of an older change does not move the order back. */
const newer = (column: string) =>
  sql.raw(`CASE WHEN excluded.status_at >= orders.status_at THEN excluded.${column} ELSE orders.${column} END`);
const keep = (column: string) => sql.raw(`coalesce(excluded.${column}, orders.${column})`);

/**
 * Insert or update an order by its platform number, as of `at` (the platform's time
 * of the change, or now for an on-demand sync). Timestamps once known are kept. An
 * order with a receiver phone links its buyer to the customer of earlier orders with
 * the same phone (customers, reason phone_match), so the row returned carries the
 * customer it belongs to after that.
 */
export async function upsertOrder(
  tx: Executor,
  owner: OrderOwner,
  order: PlatformOrder,
  at: Date,
  hashPhone: PhoneHasher,
): Promise<OrderRow> {
  const values = orderValues(owner, order, at, hashPhone);
  // Before the row is written: a concurrent order with the same phone waits here, then sees this one.
  if (values.receiverPhoneHash) await lockReceiverPhone(tx, owner.orgId, values.receiverPhoneHash);
  const [row] = await tx
    .insert(orders)
    .values({ id: newId(), ...values })
    .onConflictDoUpdate({
      target: [orders.orgId, orders.storeId, orders.platformOrderId],
      set: {
        status: newer("status"),
        platformStatus: newer("platform_status"),
        items: newer("items"),
        totalCents: newer("total_cents"),
        paidAt: keep("paid_at"),
        promisedShipAt: keep("promised_ship_at"),
        shippedAt: keep("shipped_at"),
        carrier: keep("carrier"),
        trackingNo: keep("tracking_no"),
        receiverPhoneHash: keep("receiver_phone_hash"),
        statusAt: sql`greatest(excluded.status_at, orders.status_at)`,
        updatedAt: sql`now()`,
      },
    })
    .returning();
  return linkSamePhone(tx, row!);
}

/** The store's orders with these platform numbers, by number (what a sync is about to overwrite). */
export async function storeOrdersByNumber(
  tx: Executor,
  owner: Pick<OrderOwner, "orgId" | "storeId">,
  platformOrderIds: string[],
): Promise<Map<string, OrderRow>> {
  if (platformOrderIds.length === 0) return new Map();
  const rows = await tx
    .select()
    .from(orders)
    .where(
      and(
        eq(orders.orgId, owner.orgId),
        eq(orders.storeId, owner.storeId),
        inArray(orders.platformOrderId, platformOrderIds),
      ),
    );
  return new Map(rows.map((row) => [row.platformOrderId, row]));
}

/**
 * Whether an upsert changed what agents see of an order. When it was last confirmed
 * (status_at, updated_at) is not a change: a sync that finds nothing new bumps them.
 */
export function orderDiffers(before: OrderRow, after: OrderRow): boolean {
  const shown = (row: OrderRow) =>
    JSON.stringify([
      row.customerId,
      row.status,
      row.platformStatus,
      row.items,
      row.totalCents,
      row.createdAt,
      row.paidAt,
      row.promisedShipAt,
      row.shippedAt,
      row.carrier,
      row.trackingNo,
    ]);
  return shown(before) !== shown(after);
}

export interface OrderEventInput {
  eventId: string;
  change: string;
  order: PlatformOrder;
  at: Date;
}

/**
 * Apply one order push, once: a repeated event id is a no-op (null). Two copies of
 * one push racing each other both upsert the same values; the event id's primary key
 * lets only one of them report the change.
 */
export async function applyOrderEvent(
  tx: Executor,
  owner: OrderOwner,
  event: OrderEventInput,
  hashPhone: PhoneHasher,
): Promise<OrderRow | null> {
  const [seen] = await tx
    .select({ eventId: orderEvents.eventId })
    .from(orderEvents)
    .where(and(eq(orderEvents.storeId, owner.storeId), eq(orderEvents.eventId, event.eventId)));
  if (seen) return null;
  const row = await upsertOrder(tx, owner, event.order, event.at, hashPhone);
  const [recorded] = await tx
    .insert(orderEvents)
    .values({
      orgId: owner.orgId,
      storeId: owner.storeId,
      eventId: event.eventId,
      orderId: row.id,
      change: event.change,
    })
    .onConflictDoNothing()
    .returning();
  return recorded ? row : null;
}

export interface EvaluationInput {
  eventId: string;
  orderId?: string | undefined;
  score: number;
  comment: string;
  at: Date;
}

/** Store a buyer's rating once per platform event id; null when already stored. */
export async function recordEvaluation(
  tx: Executor,
  owner: OrderOwner,
  input: EvaluationInput,
): Promise<EvaluationRow | null> {
  const [row] = await tx
    .insert(evaluations)
    .values({
      id: newId(),
      orgId: owner.orgId,
      storeId: owner.storeId,
      customerId: owner.customerId,
      identityId: owner.identityId,
      eventId: input.eventId,
      platformOrderId: input.orderId ?? null,
      score: Math.min(5, Math.max(1, Math.round(input.score))),
      comment: input.comment.slice(0, 2000),
      createdAt: input.at,
    })
    .onConflictDoNothing()
    .returning();
  return row ?? null;
}

/** A buyer's orders in one store, newest first. */
export async function buyerOrders(
  db: Executor,
  owner: Pick<OrderOwner, "orgId" | "storeId" | "identityId">,
  limit = 50,
): Promise<OrderRow[]> {
  return db
    .select()
    .from(orders)
    .where(
      and(eq(orders.orgId, owner.orgId), eq(orders.storeId, owner.storeId), eq(orders.identityId, owner.identityId)),
    )
    .orderBy(desc(orders.createdAt))
    .limit(limit);
}

/** A customer's orders in every store the actor may see, newest first. */
export async function customerOrders(db: Executor, actor: Actor, customerId: string, limit = 100) {
  const conditions: SQL[] = [eq(orders.orgId, actor.orgId), eq(orders.customerId, customerId)];
  if (actor.storeIds !== null) {
    if (actor.storeIds.length === 0) return [];
    conditions.push(inArray(orders.storeId, actor.storeIds));
  }
  return db
    .select()
    .from(orders)
    .where(and(...conditions))
    .orderBy(desc(orders.createdAt))
    .limit(limit);
}

/** A customer's orders in the stores the actor may see, presented (the customer profile). */
export async function presentedCustomerOrders(db: Executor, actor: Actor, customerId: string): Promise<Order[]> {
  const [rows, stores] = await Promise.all([customerOrders(db, actor, customerId), listOrgStores(db, actor.orgId)]);
  const storesById = new Map(stores.map((s) => [s.id, s]));
  return rows.flatMap((row) => {
    const store = storesById.get(row.storeId);
    return store ? [presentOrder(row, store)] : [];
  });
}

/** An order by our id, if the actor may see its store; otherwise "not found". */
export async function getOrderRow(db: Executor, actor: Actor, id: string): Promise<OrderRow> {
  const [row] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.orgId, actor.orgId), eq(orders.id, id)));
  if (!row || !canSeeStore(actor, row.storeId)) throw notFound("Order");
  return row;
}

/** An order of one store by our id or the platform's number (an agent's order card may name either). */
export async function findStoreOrder(
  db: Executor,
  orgId: string,
  storeId: string,
  ref: string,
): Promise<OrderRow | undefined> {
  const byPlatformId = eq(orders.platformOrderId, ref);
  const match = /^[0-9a-f-]{36}$/i.test(ref) ? sql`(${byPlatformId} OR ${orders.id} = ${ref}::uuid)` : byPlatformId;
  const [row] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.orgId, orgId), eq(orders.storeId, storeId), match));
  return row;
}
