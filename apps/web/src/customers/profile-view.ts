import type { Conversation, CustomerConversation, CustomerIdentity, CustomerProfile, Order } from "@yunxi/contracts";
import type { MessageKey } from "../i18n/zh-CN.ts";

/**
 * The profile's orders with what realtime `order.changed` events brought since it was loaded:
 * a newer copy of an order replaces it, an order of this customer not in the profile is added.
 * Newest first.
 */
export function liveOrders(profile: CustomerProfile, live: Iterable<Order>): Order[] {
  const byId = new Map(profile.orders.map((order) => [order.id, order]));
  for (const order of live) {
    if (order.customerId !== profile.customer.id) continue;
    const known = byId.get(order.id);
    if (known && known.updatedAt > order.updatedAt) continue;
    byId.set(order.id, order);
  }
  return [...byId.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Orders of this customer that arrived live but are not in the profile: a sign the profile grew (a new link). */
export function unknownOrderIds(profile: CustomerProfile, live: Iterable<Order>): string[] {
  const known = new Set(profile.orders.map((order) => order.id));
  const unknown: string[] = [];
  for (const order of live)
    if (order.customerId === profile.customer.id && !known.has(order.id)) unknown.push(order.id);
  return unknown.sort();
}

/** The profile's conversations with their live state from the inbox (status, last message), newest first. */
export function liveConversations(
  profile: CustomerProfile,
  live: ReadonlyMap<string, Conversation>,
): CustomerConversation[] {
  return profile.conversations
    .map((c) => {
      const current = live.get(c.id);
      if (!current || current.lastMessageAt < c.lastMessageAt) return c;
      return {
        ...c,
        status: current.status,
        assigneeId: current.assigneeId,
        lastMessagePreview: current.lastMessagePreview,
        lastMessageAt: current.lastMessageAt,
      };
    })
    .sort((a, b) => b.lastMessageAt.localeCompare(a.lastMessageAt));
}

/** How the panel names why an identity is linked. A customer of one hand-set identity was split off by hand. */
export function linkReasonKey(identity: CustomerIdentity, identityCount: number): MessageKey {
  switch (identity.link.reason) {
    case "first_contact":
      return "customer.reason.first_contact";
    case "phone_match":
      return "customer.reason.phone_match";
    case "widget_identified":
      return "customer.reason.widget_identified";
    case "manual":
      return identityCount === 1 ? "customer.reason.manualSplit" : "customer.reason.manual";
  }
}
