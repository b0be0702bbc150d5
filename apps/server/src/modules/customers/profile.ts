import {
  type CustomerConversation,
  type CustomerIdentity,
  type CustomerProfile,
  type CustomerSearchHit,
  type CustomerStore,
  type LinkReason,
  type Order,
  type PlatformId,
  storeLabel,
} from "@yunxi/contracts";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { AppContext } from "../../platform/context.ts";
import { type Executor, likeContaining, queryRows } from "../../platform/db/client.ts";
import { forbidden, notFound } from "../../platform/http/errors.ts";
import { recordAudit } from "../audit/index.ts";
import { type Actor, listUsers, seesAllStores } from "../identity/index.ts";
import { listOrgStores } from "../stores/index.ts";
import { linkIdentities, unlinkIdentity } from "./links.ts";
import { customerIdentities, customers } from "./tables.ts";

/** A conversation of the customer as the inbox tells it (only what the panel shows). */
export interface CustomerConversationRow {
  id: string;
  identityId: string;
  storeId: string;
  status: string;
  assigneeId: string | null;
  lastMessagePreview: string;
  lastMessageAt: Date;
  createdAt: Date;
  tags: string[];
}

/**
 * What the profile needs from other capabilities, each limited to the stores the
 * actor may see; given by the composition root (main.ts) so that the customers
 * module does not depend on the modules that depend on it.
 */
export interface CustomerReads {
  /** The customer's conversations on every platform, newest first (inbox). */
  customerConversations: (db: Executor, actor: Actor, customerId: string) => Promise<CustomerConversationRow[]>;
  /** The customer's orders, presented, newest first (orders). */
  customerOrders: (db: Executor, actor: Actor, customerId: string) => Promise<Order[]>;
}

/** Linking and unlinking by hand, and searching every customer of the org for it: supervisors and above. */
export const canLinkCustomers = (actor: Pick<Actor, "role">): boolean => seesAllStores(actor.role);

type StoreInfo = { id: string; platform: string; name: string };

const storeOf = (store: StoreInfo): CustomerStore => {
  const platform = store.platform as PlatformId;
  return { id: store.id, platform, name: store.name, label: storeLabel(platform, store.name) };
};

/** A customer of the actor's org, whatever stores the actor serves; another org's is "not found". */
async function customerRow(db: Executor, orgId: string, customerId: string) {
  const [row] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.orgId, orgId), eq(customers.id, customerId)));
  if (!row) throw notFound("Customer");
  return row;
}

/**
 * The customer across platforms: every linked identity (with its store, the stores it
 * talked to, and why it is linked), and the conversations, orders and tags the actor
 * may see.
 */
export async function customerProfile(
  db: Executor,
  actor: Actor,
  customerId: string,
  reads: CustomerReads,
): Promise<CustomerProfile> {
  const customer = await customerRow(db, actor.orgId, customerId);
  const [identityRows, storeRows, conversationRows, orders] = await Promise.all([
    db
      .select()
      .from(customerIdentities)
      .where(and(eq(customerIdentities.orgId, actor.orgId), eq(customerIdentities.customerId, customerId)))
      .orderBy(asc(customerIdentities.createdAt), asc(customerIdentities.id)),
    listOrgStores(db, actor.orgId),
    reads.customerConversations(db, actor, customerId),
    reads.customerOrders(db, actor, customerId),
  ]);
  const stores = new Map(storeRows.map((s) => [s.id, storeOf(s)]));
  const linkers = identityRows.some((i) => i.linkedBy !== null) ? await listUsers(db, actor.orgId) : [];
  const names = new Map(linkers.map((u) => [u.id, u.name]));

  const conversations: CustomerConversation[] = [];
  const storesOfIdentity = new Map<string, Set<string>>();
  for (const c of conversationRows) {
    const store = stores.get(c.storeId);
    if (!store) continue;
    conversations.push({
      id: c.id,
      identityId: c.identityId,
      storeId: c.storeId,
      platform: store.platform,
      storeLabel: store.label,
      status: c.status as CustomerConversation["status"],
      assigneeId: c.assigneeId,
      lastMessagePreview: c.lastMessagePreview,
      lastMessageAt: c.lastMessageAt.toISOString(),
      createdAt: c.createdAt.toISOString(),
    });
    const talked = storesOfIdentity.get(c.identityId) ?? new Set<string>();
    talked.add(c.storeId);
    storesOfIdentity.set(c.identityId, talked);
  }

  const identities: CustomerIdentity[] = identityRows.map((i) => ({
    id: i.id,
    platform: i.platform as PlatformId,
    platformBuyerId: i.platformBuyerId,
    displayName: i.displayName,
    store: i.scope === "" ? null : (stores.get(i.scope) ?? null),
    stores: [...(storesOfIdentity.get(i.id) ?? [])].map((id) => stores.get(id)!),
    link: {
      reason: i.linkReason as LinkReason,
      detail: i.linkDetail,
      at: i.linkedAt.toISOString(),
      by: i.linkedBy ? { id: i.linkedBy, name: names.get(i.linkedBy) ?? "" } : null,
    },
    createdAt: i.createdAt.toISOString(),
  }));

  return {
    customer: {
      id: customer.id,
      displayName: customer.displayName,
      createdAt: customer.createdAt.toISOString(),
      tags: customer.tags,
    },
    identities,
    conversations,
    orders,
    tags: tagsOf(conversationRows),
  };
}

/** The conversations' tags, most frequent first. */
function tagsOf(rows: { tags: string[] }[]): string[] {
  const counts = new Map<string, number>();
  for (const row of rows) for (const tag of row.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([tag]) => tag);
}

/** Customers of the org whose name, or one of whose identities' name or buyer id, contains `q`. */
export async function searchCustomers(
  db: Executor,
  actor: Actor,
  q: string,
  limit: number,
): Promise<CustomerSearchHit[]> {
  if (!canLinkCustomers(actor)) throw forbidden("Only supervisors can search and link customers");
  const pattern = likeContaining(q);
  const hits = await queryRows<{ id: string; display_name: string }>(
    db,
    sql`SELECT c.id, c.display_name FROM customers c
        WHERE c.org_id = ${actor.orgId}
          AND (c.display_name ILIKE ${pattern}
               OR EXISTS (SELECT 1 FROM customer_identities i
                          WHERE i.org_id = c.org_id AND i.customer_id = c.id
                            AND (i.display_name ILIKE ${pattern} OR i.platform_buyer_id ILIKE ${pattern})))
        ORDER BY c.created_at DESC, c.id
        LIMIT ${limit}`,
  );
  if (hits.length === 0) return [];
  const [identityRows, storeRows] = await Promise.all([
    db
      .select()
      .from(customerIdentities)
      .where(
        and(
          eq(customerIdentities.orgId, actor.orgId),
          inArray(
            customerIdentities.customerId,
            hits.map((h) => h.id),
          ),
        ),
      )
      .orderBy(asc(customerIdentities.createdAt)),
    listOrgStores(db, actor.orgId),
  ]);
  const stores = new Map(storeRows.map((s) => [s.id, storeOf(s)]));
  return hits.map((h) => ({
    id: h.id,
    displayName: h.display_name,
    identities: identityRows
      .filter((i) => i.customerId === h.id)
      .map((i) => ({
        id: i.id,
        platform: i.platform as PlatformId,
        platformBuyerId: i.platformBuyerId,
        displayName: i.displayName,
        storeLabel: i.scope === "" ? null : (stores.get(i.scope)?.label ?? null),
        linkReason: i.linkReason as LinkReason,
      })),
  }));
}

/** A supervisor moves an identity (with its conversations and orders) to this customer; audited. */
export async function linkByHand(
  ctx: AppContext,
  actor: Actor,
  customerId: string,
  identityId: string,
  note: string | null,
  ip: string | null,
): Promise<void> {
  if (!canLinkCustomers(actor)) throw forbidden("Only supervisors can link customers");
  await ctx.db.transaction(async (tx) => {
    await customerRow(tx, actor.orgId, customerId);
    const result = await linkIdentities(tx, actor.orgId, customerId, identityId, "manual", actor.userId, note);
    if (!result.moved) return;
    await recordAudit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: "customer.identity_linked",
      targetType: "customer",
      targetId: customerId,
      details: { identityId, fromCustomerId: result.fromCustomerId, fromDeleted: result.fromDeleted, note },
      ip,
    });
  });
}

/** A supervisor takes an identity out of this customer into a customer of its own; audited. */
export async function unlinkByHand(
  ctx: AppContext,
  actor: Actor,
  customerId: string,
  identityId: string,
  ip: string | null,
): Promise<{ newCustomerId: string }> {
  if (!canLinkCustomers(actor)) throw forbidden("Only supervisors can unlink customers");
  return ctx.db.transaction(async (tx) => {
    const result = await unlinkIdentity(tx, actor.orgId, customerId, identityId, actor.userId);
    await recordAudit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: "customer.identity_unlinked",
      targetType: "customer",
      targetId: customerId,
      details: { identityId, newCustomerId: result.newCustomerId },
      ip,
    });
    return result;
  });
}

/** Replace the buyer's tags (VIP …); audited. Who may is the route's check. */
export async function setCustomerTags(
  ctx: AppContext,
  actor: Actor,
  customerId: string,
  tags: string[],
  ip: string | null,
): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const before = await customerRow(tx, actor.orgId, customerId);
    const next = [...new Set(tags)];
    await tx
      .update(customers)
      .set({ tags: next })
      .where(and(eq(customers.orgId, actor.orgId), eq(customers.id, customerId)));
    await recordAudit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: "customer.tags_changed",
      targetType: "customer",
      targetId: customerId,
      details: { from: before.tags, to: next },
      ip,
    });
  });
}
