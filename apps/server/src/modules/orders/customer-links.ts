import { and, asc, eq, ne } from "drizzle-orm";
import type { Executor } from "../../platform/db/client.ts";
import { linkByReceiverPhone, lockLinkKey, onIdentityMoved } from "../customers/index.ts";
import type { OrderRow } from "./presenter.ts";
import { evaluations, orders } from "./tables.ts";

/** The lock key of a receiver phone hash (see customers lockLinkKey). */
const phoneKey = (phoneHash: string) => `phone:${phoneHash}`;

/** Hold the org's link lock for this phone hash until commit; taken before the order row is written. */
export const lockReceiverPhone = (tx: Executor, orgId: string, phoneHash: string) =>
  lockLinkKey(tx, orgId, phoneKey(phoneHash));

/**
 * After an order with a receiver phone hash is written (the caller holds
 * lockReceiverPhone): the buyers of earlier orders of the org with the same hash but
 * another customer are the same person, so the customers are linked (reason
 * phone_match). Returns the order as it is now: its customer may have changed.
 */
export async function linkSamePhone(tx: Executor, row: OrderRow): Promise<OrderRow> {
  const phoneHash = row.receiverPhoneHash;
  if (!phoneHash) return row;
  const earlier = await tx
    .select({ identityId: orders.identityId, customerId: orders.customerId, platformOrderId: orders.platformOrderId })
    .from(orders)
    .where(
      and(eq(orders.orgId, row.orgId), eq(orders.receiverPhoneHash, phoneHash), ne(orders.customerId, row.customerId)),
    )
    .orderBy(asc(orders.createdAt), asc(orders.id))
    .limit(20);
  if (earlier.length === 0) return row;
  const seen = new Set<string>();
  let linked = false;
  for (const other of earlier) {
    if (seen.has(other.customerId)) continue;
    seen.add(other.customerId);
    const result = await linkByReceiverPhone(tx, row.orgId, row, other);
    linked ||= result !== null;
  }
  if (!linked) return row;
  const [fresh] = await tx
    .select()
    .from(orders)
    .where(and(eq(orders.orgId, row.orgId), eq(orders.id, row.id)));
  return fresh ?? row;
}

/** An identity moved to another customer: its orders and ratings follow (registered at start-up). */
async function moveOrders(tx: Executor, orgId: string, identityId: string, toCustomerId: string): Promise<void> {
  await tx
    .update(orders)
    .set({ customerId: toCustomerId })
    .where(and(eq(orders.orgId, orgId), eq(orders.identityId, identityId), ne(orders.customerId, toCustomerId)));
  await tx
    .update(evaluations)
    .set({ customerId: toCustomerId })
    .where(
      and(
        eq(evaluations.orgId, orgId),
        eq(evaluations.identityId, identityId),
        ne(evaluations.customerId, toCustomerId),
      ),
    );
}

/** Keep the orders' customer ids right when the customers module links identities. */
export function followCustomerLinksInOrders(): void {
  onIdentityMoved(moveOrders);
}
