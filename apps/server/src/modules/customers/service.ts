import { buyerIdScope, type PlatformId } from "@yunxi/contracts";
import { and, eq, ilike, inArray, or, sql } from "drizzle-orm";
import { type Executor, likeContaining, queryRows } from "../../platform/db/client.ts";
import { newId } from "../../platform/db/ids.ts";
import { isIdentifiedVisitor, linkIdentifiedVisitor } from "./links.ts";
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

const scopeOf = (buyer: Pick<BuyerRef, "platform" | "storeId">): string =>
  buyerIdScope[buyer.platform] === "platform" ? "" : buyer.storeId;

/** Which buyers are one identity: same platform, same scope (see buyerIdScope), same platform id. */
export const identityKeyOf = (buyer: Pick<BuyerRef, "platform" | "storeId" | "platformBuyerId">): string =>
  `${buyer.platform}\u0000${scopeOf(buyer)}\u0000${buyer.platformBuyerId}`;

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
  if (inserted[0]) return linkIfIdentified(tx, buyer.orgId, toRef(inserted[0]), buyer.platform);
  // Lost a race with another push of the same buyer: drop our customer, use theirs.
  await tx.delete(customers).where(and(eq(customers.orgId, buyer.orgId), eq(customers.id, customerId)));
  const [winner] = await tx.select().from(customerIdentities).where(key);
  return toRef(winner!);
}

interface IdentityRow {
  id: string;
  customer_id: string;
  platform: string;
  scope: string;
  platform_buyer_id: string;
  display_name: string;
  created: boolean;
}

/**
 * The identities of many buyers of one org at once (the batch form of
 * findOrCreateIdentity), keyed by identityKeyOf: one statement finds the known
 * ones and creates the others, each with a new customer. Under concurrent
 * transactions the unique key decides: a buyer whose insert lost the race is not
 * returned by that statement, and the same statement run again finds the winner.
 * The display name of a new identity is the first one given for that buyer.
 */
export async function resolveIdentities(
  tx: Executor,
  orgId: string,
  buyers: BuyerRef[],
): Promise<Map<string, IdentityRef>> {
  const wanted = new Map<string, BuyerRef>();
  for (const b of buyers) if (!wanted.has(identityKeyOf(b))) wanted.set(identityKeyOf(b), b);
  const found = new Map<string, IdentityRef>();
  for (let attempt = 0; attempt < 3 && found.size < wanted.size; attempt++) {
    const missing = [...wanted].filter(([key]) => !found.has(key)).map(([, b]) => b);
    for (const row of await findOrCreateIdentities(tx, orgId, missing)) {
      const ref = {
        identityId: row.id,
        customerId: row.customer_id,
        displayName: row.display_name,
        platformBuyerId: row.platform_buyer_id,
      };
      found.set(
        `${row.platform}\u0000${row.scope}\u0000${row.platform_buyer_id}`,
        row.created ? await linkIfIdentified(tx, orgId, ref, row.platform) : ref,
      );
    }
  }
  if (found.size < wanted.size) throw new Error("Buyer identities could not be resolved");
  return found;
}

// The data-modifying CTEs run once each whatever the outer query reads: customers are
// created exactly for the identities this statement inserted. Inserting in key order
// means two transactions with overlapping buyers wait on each other, never deadlock.
const findOrCreateIdentities = (tx: Executor, orgId: string, buyers: BuyerRef[]) =>
  queryRows<IdentityRow>(
    tx,
    sql`WITH wanted AS (
          SELECT * FROM unnest(${sql.param(buyers.map((b) => b.platform))}::text[],
                               ${sql.param(buyers.map(scopeOf))}::text[],
                               ${sql.param(buyers.map((b) => b.platformBuyerId))}::text[],
                               ${sql.param(buyers.map((b) => b.displayName))}::text[])
                 AS w(platform, scope, platform_buyer_id, display_name)),
        found AS (
          SELECT i.id, i.customer_id, i.platform, i.scope, i.platform_buyer_id, i.display_name
          FROM customer_identities i JOIN wanted w
            ON i.org_id = ${orgId}::uuid AND i.platform = w.platform AND i.scope = w.scope
           AND i.platform_buyer_id = w.platform_buyer_id),
        created AS (
          INSERT INTO customer_identities (id, org_id, customer_id, platform, scope, platform_buyer_id, display_name)
          SELECT gen_random_uuid(), ${orgId}::uuid, gen_random_uuid(), w.platform, w.scope, w.platform_buyer_id, w.display_name
          FROM wanted w
          WHERE NOT EXISTS (SELECT 1 FROM found f WHERE f.platform = w.platform AND f.scope = w.scope
                              AND f.platform_buyer_id = w.platform_buyer_id)
          ORDER BY w.platform, w.scope, w.platform_buyer_id
          ON CONFLICT DO NOTHING
          RETURNING id, customer_id, platform, scope, platform_buyer_id, display_name),
        new_customers AS (
          INSERT INTO customers (id, org_id, display_name) SELECT customer_id, ${orgId}::uuid, display_name FROM created)
        SELECT *, false AS created FROM found UNION ALL SELECT *, true AS created FROM created`,
  );

/**
 * A new identity of a visitor the merchant's page identified (web widget) joins the
 * customer that visitor already is in another web-chat store of the org, if any.
 */
async function linkIfIdentified(tx: Executor, orgId: string, ref: IdentityRef, platform: string): Promise<IdentityRef> {
  if (!isIdentifiedVisitor(platform, ref.platformBuyerId)) return ref;
  const linked = await linkIdentifiedVisitor(tx, orgId, ref);
  return linked ? { ...ref, customerId: linked.customerId } : ref;
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

/** Identities whose name or platform buyer id contains the text, for conversation search. */
export async function identityIdsMatching(db: Executor, orgId: string, text: string, limit = 500): Promise<string[]> {
  const pattern = likeContaining(text);
  const rows = await db
    .select({ id: customerIdentities.id })
    .from(customerIdentities)
    .where(
      and(
        eq(customerIdentities.orgId, orgId),
        or(ilike(customerIdentities.displayName, pattern), ilike(customerIdentities.platformBuyerId, pattern)),
      ),
    )
    .limit(limit);
  return rows.map((r) => r.id);
}

/** The buyers' own tags (VIP …), for priority rules. */
export async function customerTags(db: Executor, orgId: string, customerIds: string[]): Promise<Map<string, string[]>> {
  if (customerIds.length === 0) return new Map();
  const rows = await db
    .select({ id: customers.id, tags: customers.tags })
    .from(customers)
    .where(and(eq(customers.orgId, orgId), inArray(customers.id, [...new Set(customerIds)])));
  return new Map(rows.map((r) => [r.id, r.tags]));
}
