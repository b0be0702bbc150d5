import type { LinkReason } from "@yunxi/contracts";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { type Executor, queryRows } from "../../platform/db/client.ts";
import { newId } from "../../platform/db/ids.ts";
import { conflict, notFound } from "../../platform/http/errors.ts";
import { customerIdentities, customers } from "./tables.ts";

/**
 * Other capabilities keep a denormalised customer id beside the identity id
 * (conversations, orders). When an identity moves to another customer each of them
 * updates its own rows, in the same transaction: the customers module never writes
 * their tables. Listeners are registered once at start-up (see main.ts createContext).
 */
export type IdentityMovedListener = (
  tx: Executor,
  orgId: string,
  identityId: string,
  toCustomerId: string,
) => Promise<void>;

const movedListeners = new Set<IdentityMovedListener>();

/** Register a listener; registering the same function again is a no-op. */
export function onIdentityMoved(listener: IdentityMovedListener): void {
  movedListeners.add(listener);
}

/** Advisory lock space of automatic links (7110 migrations, 7111 events, 7112 audit, 7113 recurring jobs, 7120 the workspace queue). */
const LINK_LOCK = 7114;

/**
 * Serialise automatic links on one key of one org until commit: orders sharing a
 * receiver phone hash, or web-chat visitors with the same merchant user id. Taken
 * before the work that may reveal a match, so that of two transactions bringing the
 * same key at once the second waits, then sees the first one's committed rows and
 * links to them: never two customers left for one phone.
 */
export async function lockLinkKey(tx: Executor, orgId: string, key: string): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${LINK_LOCK}, hashtext(${`${orgId}:${key}`}))`);
}

export interface LinkMark {
  reason: LinkReason;
  detail: string | null;
  by: string | null;
}

type IdentityRow = typeof customerIdentities.$inferSelect;

/**
 * Lock the customers' rows, in id order (so two links over the same customers queue
 * instead of deadlocking); returns those that still exist.
 */
async function lockCustomers(tx: Executor, orgId: string, ids: string[]): Promise<Set<string>> {
  const rows = await tx
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.orgId, orgId), inArray(customers.id, [...new Set(ids)])))
    .orderBy(asc(customers.id))
    .for("update");
  return new Set(rows.map((r) => r.id));
}

async function identityRow(tx: Executor, orgId: string, id: string, forUpdate = false): Promise<IdentityRow | null> {
  const query = tx
    .select()
    .from(customerIdentities)
    .where(and(eq(customerIdentities.orgId, orgId), eq(customerIdentities.id, id)));
  const [row] = forUpdate ? await query.for("update") : await query;
  return row ?? null;
}

/** Move one identity (its customer id locked by the caller) and tell the listeners. */
async function moveIdentity(
  tx: Executor,
  orgId: string,
  identityId: string,
  toCustomerId: string,
  mark: LinkMark | null,
): Promise<void> {
  await tx
    .update(customerIdentities)
    .set({
      customerId: toCustomerId,
      ...(mark && { linkReason: mark.reason, linkDetail: mark.detail, linkedBy: mark.by, linkedAt: sql`now()` }),
    })
    .where(and(eq(customerIdentities.orgId, orgId), eq(customerIdentities.id, identityId)));
  for (const listener of movedListeners) await listener(tx, orgId, identityId, toCustomerId);
}

/** A customer left without identities is deleted; true if it was. */
async function deleteIfEmpty(tx: Executor, orgId: string, customerId: string): Promise<boolean> {
  const deleted = await queryRows<{ id: string }>(
    tx,
    sql`DELETE FROM customers c WHERE c.org_id = ${orgId} AND c.id = ${customerId}
          AND NOT EXISTS (SELECT 1 FROM customer_identities i WHERE i.org_id = c.org_id AND i.customer_id = c.id)
        RETURNING c.id`,
  );
  return deleted.length > 0;
}

export interface LinkResult {
  /** False when the identity already belonged to that customer. */
  moved: boolean;
  fromCustomerId: string;
  /** The former customer had no identity left and was deleted. */
  fromDeleted: boolean;
}

/**
 * Move one identity, and with it its conversations and orders (through the
 * listeners), to another customer of the org, inside the caller's transaction. The
 * customer it leaves is deleted if it has no identity left. An identity that is
 * moved by someone else meanwhile is looked at again, so the move always starts from
 * where the identity is when its row is locked.
 */
export async function linkIdentities(
  tx: Executor,
  orgId: string,
  survivingCustomerId: string,
  identityId: string,
  reason: LinkReason,
  by: string | null = null,
  detail: string | null = null,
): Promise<LinkResult> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const seen = await identityRow(tx, orgId, identityId);
    if (!seen) throw notFound("Identity");
    if (seen.customerId === survivingCustomerId) {
      return { moved: false, fromCustomerId: survivingCustomerId, fromDeleted: false };
    }
    const locked = await lockCustomers(tx, orgId, [seen.customerId, survivingCustomerId]);
    if (!locked.has(survivingCustomerId)) throw notFound("Customer");
    const current = await identityRow(tx, orgId, identityId, true);
    if (!current) throw notFound("Identity");
    if (current.customerId !== seen.customerId) continue;
    await moveIdentity(tx, orgId, identityId, survivingCustomerId, { reason, detail, by });
    const fromDeleted = await deleteIfEmpty(tx, orgId, seen.customerId);
    return { moved: true, fromCustomerId: seen.customerId, fromDeleted };
  }
  throw conflict("The identity is being linked elsewhere at the same time, try again");
}

/**
 * Take an identity out of its customer into a new customer of its own (a
 * supervisor's decision, reason manual). The last identity of a customer cannot be
 * taken out: that would only rename the customer.
 */
export async function unlinkIdentity(
  tx: Executor,
  orgId: string,
  customerId: string,
  identityId: string,
  by: string | null,
): Promise<{ newCustomerId: string }> {
  const locked = await lockCustomers(tx, orgId, [customerId]);
  if (!locked.has(customerId)) throw notFound("Customer");
  const members = await tx
    .select()
    .from(customerIdentities)
    .where(and(eq(customerIdentities.orgId, orgId), eq(customerIdentities.customerId, customerId)))
    .orderBy(asc(customerIdentities.id))
    .for("update");
  const identity = members.find((m) => m.id === identityId);
  if (!identity) throw notFound("Identity");
  if (members.length === 1) throw conflict("This is the customer's only identity: there is nothing to unlink it from");
  const newCustomerId = newId();
  await tx.insert(customers).values({ id: newCustomerId, orgId, displayName: identity.displayName });
  await moveIdentity(tx, orgId, identityId, newCustomerId, { reason: "manual", detail: null, by });
  return { newCustomerId };
}

/** Customers holding an identity a supervisor linked or unlinked: automatic links leave them alone. */
async function handLinked(tx: Executor, orgId: string, customerIds: string[]): Promise<boolean> {
  const rows = await tx
    .select({ id: customerIdentities.id })
    .from(customerIdentities)
    .where(
      and(
        eq(customerIdentities.orgId, orgId),
        inArray(customerIdentities.customerId, customerIds),
        eq(customerIdentities.linkReason, "manual"),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

export interface AutoLinkResult {
  customerId: string;
  /** The identities that moved into it. */
  movedIdentityIds: string[];
}

/**
 * An automatic link: `identityId` turned out to be the same buyer as `knownIdentityId`
 * (an order with the same receiver phone, the same identified web visitor). Its whole
 * customer joins the known identity's customer: `identityId` gets the link's reason
 * and detail, its customer's other identities come along and keep their own (they
 * were linked to it for their own reasons). The customer left empty is deleted.
 *
 * A hand decision is not overridden: when either customer holds an identity a
 * supervisor linked or unlinked, nothing is linked (null). Null as well when both
 * already are one customer.
 */
export async function autoLink(
  tx: Executor,
  orgId: string,
  identityId: string,
  knownIdentityId: string,
  reason: Exclude<LinkReason, "manual" | "first_contact">,
  detail: string,
): Promise<AutoLinkResult | null> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const pair = await tx
      .select({ id: customerIdentities.id, customerId: customerIdentities.customerId })
      .from(customerIdentities)
      .where(and(eq(customerIdentities.orgId, orgId), inArray(customerIdentities.id, [identityId, knownIdentityId])));
    const from = pair.find((p) => p.id === identityId)?.customerId;
    const to = pair.find((p) => p.id === knownIdentityId)?.customerId;
    if (!from || !to || from === to) return null;
    const locked = await lockCustomers(tx, orgId, [from, to]);
    if (locked.size < 2) continue; // one was merged away meanwhile: look again
    const members = await tx
      .select()
      .from(customerIdentities)
      .where(and(eq(customerIdentities.orgId, orgId), eq(customerIdentities.customerId, from)))
      .orderBy(asc(customerIdentities.id))
      .for("update");
    const known = await identityRow(tx, orgId, knownIdentityId);
    if (!members.some((m) => m.id === identityId) || known?.customerId !== to) continue;
    if (await handLinked(tx, orgId, [from, to])) return null;
    for (const member of members) {
      const mark = member.id === identityId ? { reason, detail, by: null } : null;
      await moveIdentity(tx, orgId, member.id, to, mark);
    }
    await deleteIfEmpty(tx, orgId, from);
    return { customerId: to, movedIdentityIds: members.map((m) => m.id) };
  }
  return null;
}

/**
 * Two orders, on any platforms of the org, shared a receiver phone (compared by its
 * keyed hash; the caller holds lockLinkKey for that hash): the buyer of the order
 * just applied joins the customer of the earlier order. The link's detail names both
 * platform order numbers, never the phone.
 */
export function linkByReceiverPhone(
  tx: Executor,
  orgId: string,
  order: { identityId: string; platformOrderId: string },
  earlier: { identityId: string; platformOrderId: string },
): Promise<AutoLinkResult | null> {
  return autoLink(
    tx,
    orgId,
    order.identityId,
    earlier.identityId,
    "phone_match",
    `${order.platformOrderId} ↔ ${earlier.platformOrderId}`,
  );
}

/**
 * The web widget's identified visitors: the merchant's page signs its own user id
 * (channels/webchat), which becomes the buyer id `user:<id>` of a web-chat identity
 * (anonymous visitors are `anon:<random>`). One merchant user id seen in two web-chat
 * stores of the org is one known customer: the newer identity joins the earlier one's
 * customer (reason widget_identified, detail the merchant's user id).
 */
export const IDENTIFIED_VISITOR_PREFIX = "user:";

export const isIdentifiedVisitor = (platform: string, platformBuyerId: string): boolean =>
  platform === "webchat" && platformBuyerId.startsWith(IDENTIFIED_VISITOR_PREFIX);

export async function linkIdentifiedVisitor(
  tx: Executor,
  orgId: string,
  identity: { identityId: string; platformBuyerId: string },
): Promise<AutoLinkResult | null> {
  if (!identity.platformBuyerId.startsWith(IDENTIFIED_VISITOR_PREFIX)) return null;
  await lockLinkKey(tx, orgId, `visitor:${identity.platformBuyerId}`);
  const [earlier] = await tx
    .select({ id: customerIdentities.id })
    .from(customerIdentities)
    .where(
      and(
        eq(customerIdentities.orgId, orgId),
        eq(customerIdentities.platform, "webchat"),
        eq(customerIdentities.platformBuyerId, identity.platformBuyerId),
        sql`${customerIdentities.id} <> ${identity.identityId}`,
      ),
    )
    .orderBy(asc(customerIdentities.createdAt), asc(customerIdentities.id))
    .limit(1);
  if (!earlier) return null;
  return autoLink(tx, orgId, identity.identityId, earlier.id, "widget_identified", identity.platformBuyerId);
}
