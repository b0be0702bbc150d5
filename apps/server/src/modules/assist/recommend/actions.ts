import type { ActionReason, Intent, Order, OrderStatus, RecommendedAction, RecommendedOrder } from "@yunxi/contracts";
import { orderOfConversation } from "../replies/context.ts";

/**
 * The actions a question calls for, from its intent and the buyer's real orders: where
 * the parcel is, where the refund stands, the order to check before after-sales, the
 * after-sales group, a supervisor for a complaint. Pure: the service fetches the orders,
 * the groups and the parcel's latest node.
 */

/** Intents whose actions read the buyer's orders: the service asks the platform for them fresh. */
export const orderIntents: ReadonlySet<Intent> = new Set<Intent>([
  "物流-发货时间",
  "物流-物流查询",
  "物流-修改地址",
  "售后-退换货",
  "售后-退款进度",
  "售后-质量问题",
  "售后-错发漏发",
  "投诉",
]);

/** The statuses an intent's order is most likely in, best first. */
const likelyStatuses: Partial<Record<Intent, readonly OrderStatus[]>> = {
  "物流-发货时间": ["paid", "unpaid", "shipped"],
  "物流-物流查询": ["shipped", "delivered"],
  "物流-修改地址": ["paid", "unpaid", "shipped"],
  "售后-退换货": ["delivered", "completed", "shipped", "refunding"],
  "售后-退款进度": ["refunding", "refunded"],
  "售后-质量问题": ["delivered", "completed", "shipped"],
  "售后-错发漏发": ["delivered", "completed", "shipped"],
};

const newestFirst = (orders: readonly Order[]) =>
  [...orders].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));

/**
 * The order the question is about, in the conversation's store: one the buyer named
 * (a number in the messages), else the newest in a status the intent points at, else
 * the newest still moving (as the composer fills its variables), else none.
 */
export function orderInQuestion(
  intent: Intent | null,
  orders: readonly Order[],
  storeId: string,
  namedNumbers: readonly string[],
): Order | undefined {
  const inStore = newestFirst(orders.filter((o) => o.storeId === storeId));
  const named = inStore.find((o) => namedNumbers.includes(o.orderId));
  if (named) return named;
  for (const status of (intent && likelyStatuses[intent]) || []) {
    const found = inStore.find((o) => o.status === status);
    if (found) return found;
  }
  return orderOfConversation(inStore, storeId);
}

export function recommendedOrder(order: Order): RecommendedOrder {
  const first = order.items[0]?.title ?? null;
  return {
    id: order.id,
    orderNo: order.orderId,
    status: order.status,
    platformStatus: order.platformStatus,
    productName: first && order.items.length > 1 ? `${first}等${order.items.length}件` : first,
    promisedShipAt: order.promisedShipAt,
    carrier: order.carrier,
    trackingNo: order.trackingNo,
  };
}

export interface ActionFacts {
  intent: Intent | null;
  /** The buyer is angry (the classifier's sentiment). */
  negative: boolean;
  order: Order | undefined;
  /** The org's after-sales group (a group whose name starts with 售后), if any. */
  afterSalesGroup: { id: string; name: string } | null;
  /** The group the conversation is queued for now. */
  conversationGroupId: string | null;
  now: Date;
}

const afterSalesReasons: Partial<Record<Intent, ActionReason>> = {
  "售后-退换货": "after_sales_return",
  "售后-质量问题": "after_sales_quality",
  "售后-错发漏发": "after_sales_wrong_item",
};

const shipped = (status: OrderStatus) => status === "shipped" || status === "delivered";
const refund = (status: OrderStatus) => status === "refunding" || status === "refunded";

/** What to do about the order for a logistics question; null when there is no order. */
function logisticsActions(intent: Intent, order: Order, now: Date): RecommendedAction[] {
  const ref = recommendedOrder(order);
  const parcel: RecommendedAction | null =
    shipped(order.status) && (order.trackingNo || order.carrier)
      ? {
          kind: "check_logistics",
          reason: order.status === "delivered" ? "parcel_delivered" : "parcel_moving",
          order: ref,
          latestNode: null,
        }
      : null;
  if (intent === "物流-修改地址") {
    return [
      {
        kind: "open_order",
        reason: order.status === "paid" || order.status === "unpaid" ? "address_unshipped" : "address_shipped",
        order: ref,
      },
    ];
  }
  if (parcel) return [parcel];
  if (order.status === "paid" || order.status === "unpaid") {
    const overdue = order.promisedShipAt !== null && Date.parse(order.promisedShipAt) < now.getTime();
    return [{ kind: "open_order", reason: overdue ? "ship_overdue" : "ship_promise", order: ref }];
  }
  return [];
}

/** The actions for the question, most useful first. */
export function recommendedActions(facts: ActionFacts): RecommendedAction[] {
  const { intent, order } = facts;
  if (!intent) return [];
  const actions: RecommendedAction[] = [];
  const ref = order ? recommendedOrder(order) : null;

  if (intent.startsWith("物流-") && order) actions.push(...logisticsActions(intent, order, facts.now));

  if (intent === "售后-退款进度" && order && ref) {
    if (refund(order.status)) {
      actions.push({
        kind: "refund_status",
        reason: order.status === "refunded" ? "refund_done" : "refund_in_progress",
        order: ref,
      });
    } else actions.push({ kind: "open_order", reason: "after_sales_return", order: ref });
  }

  const afterSales = afterSalesReasons[intent];
  if (afterSales) {
    if (ref && order) {
      if (refund(order.status)) {
        actions.push({
          kind: "refund_status",
          reason: order.status === "refunded" ? "refund_done" : "refund_in_progress",
          order: ref,
        });
      }
      actions.push({ kind: "open_order", reason: afterSales, order: ref });
    }
    const group = facts.afterSalesGroup;
    if (group && group.id !== facts.conversationGroupId) {
      actions.push({ kind: "transfer_group", reason: afterSales, groupId: group.id, groupName: group.name });
    }
  }

  if (intent === "投诉") {
    actions.push({ kind: "escalate", reason: "complaint" });
    if (ref) actions.push({ kind: "open_order", reason: "complaint", order: ref });
  } else if (facts.negative && intent.startsWith("售后-")) {
    actions.push({ kind: "escalate", reason: "angry_buyer" });
  }
  return actions;
}

/** The after-sales group: the first whose name starts with 售后 (the demo's 售后组). */
export function afterSalesGroupOf(
  groups: readonly { id: string; name: string }[],
): { id: string; name: string } | null {
  const group = groups.find((g) => g.name.trim().startsWith("售后"));
  return group ? { id: group.id, name: group.name } : null;
}
