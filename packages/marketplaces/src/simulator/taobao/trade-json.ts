import { centsToYuan } from "../../money.ts";
import { formatTopTimestamp } from "../../taobao/signing.ts";
import type { SimOrder, SimOrderStatus } from "../world.ts";

/**
 * A world order as TOP writes a trade (`taobao.trade.fullinfo.get` field names),
 * written out here by hand rather than with the adapter's schemas, so the
 * simulator checks the adapter instead of agreeing with it by construction.
 */

/** The trade status of an order; a refund shows on the sub-orders, not here (as on TOP). */
export function topTradeStatus(order: SimOrder): string {
  const byStatus: Record<SimOrderStatus, string> = {
    unpaid: "WAIT_BUYER_PAY",
    paid: "WAIT_SELLER_SEND_GOODS",
    shipped: "WAIT_BUYER_CONFIRM_GOODS",
    delivered: "TRADE_BUYER_SIGNED",
    completed: "TRADE_FINISHED",
    closed: "TRADE_CLOSED",
    // While a refund is open the trade keeps where it was: shipped or not.
    refunding: order.shippedAt || order.logistics ? "WAIT_BUYER_CONFIRM_GOODS" : "WAIT_SELLER_SEND_GOODS",
    // TOP closes a trade whose money went back.
    refunded: "TRADE_CLOSED",
  };
  return byStatus[order.status];
}

export function topRefundStatus(order: SimOrder): string {
  if (order.status === "refunding") return order.refund?.agreedAt ? "WAIT_BUYER_RETURN_GOODS" : "WAIT_SELLER_AGREE";
  if (order.status === "refunded") return "SUCCESS";
  return order.refund?.closedAt ? "CLOSED" : "NO_REFUND";
}

const time = (date: Date | undefined) => (date ? formatTopTimestamp(date) : undefined);

export function simItems(order: SimOrder) {
  return order.items && order.items.length > 0
    ? order.items
    : [{ productId: order.productId, title: order.title, sku: "", quantity: 1, priceCents: order.amountCents }];
}

export function tradeJson(order: SimOrder): Record<string, unknown> {
  const subOrders = simItems(order).map((item, i) => ({
    oid: `${order.orderId.slice(0, -1)}${i}`,
    num_iid: Number(item.productId),
    title: item.title,
    sku_properties_name: item.sku,
    num: item.quantity,
    price: centsToYuan(item.priceCents),
    payment: centsToYuan(item.priceCents * item.quantity),
    refund_status: topRefundStatus(order),
    logistics_company: order.logistics?.carrier,
    invoice_no: order.logistics?.trackingNo,
    estimate_con_time: time(order.promisedShipAt),
  }));
  return {
    tid: Number(order.orderId),
    tid_str: order.orderId,
    status: topTradeStatus(order),
    title: order.title,
    payment: centsToYuan(order.amountCents),
    total_fee: centsToYuan(order.amountCents),
    created: formatTopTimestamp(order.createdAt),
    pay_time: time(order.paidAt),
    consign_time: time(order.shippedAt),
    modified: time(order.updatedAt ?? order.createdAt),
    buyer_nick: order.buyerNick,
    receiver_mobile: order.receiverPhone,
    orders: { order: subOrders },
  };
}

/** Only the fields the caller asked for (`fields=` of TOP), as TOP answers. */
export function pickFields(trade: Record<string, unknown>, fields: Set<string>): Record<string, unknown> {
  const wantsOrders = [...fields].some((f) => f.startsWith("orders"));
  return Object.fromEntries(
    Object.entries(trade).filter(([k, v]) => v !== undefined && (fields.has(k) || (k === "orders" && wantsOrders))),
  );
}
