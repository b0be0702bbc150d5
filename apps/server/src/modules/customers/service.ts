import { buyerIdScope, type PlatformId } from "@yunxi/contracts";
import { and, eq, inArray } from "drizzle-orm";
import type { Executor } from "../../platform/db/client.ts";
import { newId } from "../../platform/db/ids.ts";
import { customerIdentities, customers } from "./tables.ts";

export interface BuyerRef {
  orgId: string;
  platform: PlatformId;
  storeId: string;
  platformBuyerId: string;
  displayName: string;
}

export interface IdentityRef {
  identityId: string;
  customerId: string;
  displayName: string;
  platformBuyerId: string;
}

const identityKey = (buyer: BuyerRef) =>
  and(
    eq(customerIdentities.orgId, buyer.orgId),
    eq(customerIdentities.platform, buyer.platform),
    eq(customerIdentities.scope, buyerIdScope[buyer.platform] === "platform" ? "" : buyer.storeId),
    eq(customerIdentities.platformBuyerId, buyer.platformBuyerId),
  );

/** The identity of a buyer already known, without creating one (read receipts of strangers mean nothing). */
export async function findIdentity(db: Executor, buyer: Omit<BuyerRef, "displayName">): Promise<IdentityRef | null> {
  const [row] = await db
    .select()
    .from(customerIdentities)
    .where(identityKey({ ...buyer, displayName: "" }));
  return row ? toRef(row) : null;
}

/**
 * The identity of a buyer as this platform knows them, created with a new
 * customer on first contact. Safe under concurrent pushes: the unique key decides
 * and the loser reads the winner's row.
 */
export async function findOrCreateIdentity(tx: Executor, buyer: BuyerRef): Promise<IdentityRef> {
  const scope = buyerIdScope[buyer.platform] === "platform" ? "" : buyer.storeId;
  const key = identityKey(buyer);
  const existing = await tx.select().from(customerIdentities).where(key);
  if (existing[0]) return toRef(existing[0]);
  const customerId = newId();
  await tx.insert(customers).values({ id: customerId, orgId: buyer.orgId, displayName: buyer.displayName });
  const inserted = await tx
    .insert(customerIdentities)
    .values({
      id: newId(),
      orgId: buyer.orgId,
      customerId,
      platform: buyer.platform,
      scope,
      platformBuyerId: buyer.platformBuyerId,
      displayName: buyer.displayName,
    })
    .onConflictDoNothing()
    .returning();
  if (inserted[0]) return toRef(inserted[0]);
  // Lost a race with another push of the same buyer: drop our customer, use theirs.
  await tx.delete(customers).where(and(eq(customers.orgId, buyer.orgId), eq(customers.id, customerId)));
  const [winner] = await tx.select().from(customerIdentities).where(key);
  return toRef(winner!);
}

const toRef = (row: typeof customerIdentities.$inferSelect): IdentityRef => ({
  identityId: row.id,
  customerId: row.customerId,
  displayName: row.displayName,
  platformBuyerId: row.platformBuyerId,
});

export async function identitiesByIds(db: Executor, orgId: string, ids: string[]): Promise<Map<string, IdentityRef>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .select()
    .from(customerIdentities)
    .where(and(eq(customerIdentities.orgId, orgId), inArray(customerIdentities.id, unique)));
  return new Map(rows.map((r) => [r.id, toRef(r)]));
}

/** Whether a customer exists in this org (routes answer 404 otherwise). */
export async function customerExists(db: Executor, orgId: string, customerId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.orgId, orgId), eq(customers.id, customerId)));
  return row !== undefined;
}
