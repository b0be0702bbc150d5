import type { Order, TemplateContext } from "@yunxi/contracts";
import type { Executor } from "../../../platform/db/client.ts";
import { type Actor, getOrg } from "../../identity/index.ts";
import { formatChineseTime } from "../library/time.ts";

export { fillTemplate, unfilledVariables, variablesIn } from "@yunxi/contracts";

/** What the replies module needs of the inbox and orders modules (injected in main.ts). */
export interface ConversationLookups {
  /** The buyer of a conversation the actor may see; throws "not found" otherwise. */
  conversationBuyer: (
    db: Executor,
    actor: Actor,
    conversationId: string,
  ) => Promise<{ storeId: string; customerId: string; buyer: { displayName: string } }>;
  /** The customer's orders in the stores the actor may see, newest first. */
  customerOrders: (db: Executor, actor: Actor, customerId: string) => Promise<Order[]>;
}

/** `11月12日 18:00` in the org's time zone. */
export const formatLocalTime = (iso: string, timeZone: string): string => formatChineseTime(new Date(iso), timeZone);

/**
 * The order a reply is about: the newest one in the conversation's store that is still
 * moving (not closed or completed), else the newest in that store, else none.
 */
export function orderOfConversation(orders: readonly Order[], storeId: string): Order | undefined {
  const inStore = orders
    .filter((o) => o.storeId === storeId)
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  return inStore.find((o) => o.status !== "closed" && o.status !== "completed") ?? inStore[0];
}

/** The values a canned reply's variables take in this conversation. */
export function contextOf(buyerName: string, order: Order | undefined, timeZone: string): TemplateContext {
  return {
    buyerName: buyerName || null,
    orderNo: order?.orderId ?? null,
    trackingNo: order?.trackingNo ?? null,
    carrier: order?.carrier ?? null,
    promisedShipTime: order?.promisedShipAt ? formatLocalTime(order.promisedShipAt, timeZone) : null,
    productName: order?.items[0]?.title ?? null,
  };
}

export async function templateContextFor(
  db: Executor,
  actor: Actor,
  conversationId: string,
  lookups: ConversationLookups,
): Promise<{ storeId: string; context: TemplateContext }> {
  const conversation = await lookups.conversationBuyer(db, actor, conversationId);
  const [orders, org] = await Promise.all([
    lookups.customerOrders(db, actor, conversation.customerId),
    getOrg(db, actor.orgId),
  ]);
  const order = orderOfConversation(orders, conversation.storeId);
  return { storeId: conversation.storeId, context: contextOf(conversation.buyer.displayName, order, org.timezone) };
}
