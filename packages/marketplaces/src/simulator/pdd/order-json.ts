import { formatBeijingTime } from "../../pdd/signing.ts";
import type { SimStore } from "../options.ts";
import type { SimOrder, SimOrderStatus } from "../world.ts";
import { itemsOf, openIdOf, parcelOf } from "./shared-facts.ts";

/**
 * A simulated order as POP's `order_info` (see pdd/order-format.ts for which
 * fields are documented). POP spreads the state over three fields:
 * order_status (1 待发货, 2 已发货待签收, 3 已签收), refund_status (1 none,
 * 2 售后处理中, 3 退款中, 4 退款成功) and confirm_status (0 未成交, 1 成交, 2 取消).
 */

const yuan = (cents: number) => cents / 100;
const time = (date: Date | undefined) => (date ? formatBeijingTime(date) : "");

function orderStatus(order: SimOrder, shipped: boolean): number {
  const byStatus: Partial<Record<SimOrderStatus, number>> = { shipped: 2, delivered: 3, completed: 3 };
  return byStatus[order.status] ?? (shipped ? 2 : 1);
}

function refundStatus(order: SimOrder): number {
  if (order.status === "refunded") return 4;
  if (order.status === "refunding") return order.refund?.agreedAt ? 3 : 2;
  return 1;
}

export function pddOrderJson(store: SimStore, order: SimOrder): Record<string, unknown> {
  const parcel = parcelOf(order);
  const delivered = order.status === "delivered" || order.status === "completed";
  return {
    order_sn: order.orderId,
    order_status: orderStatus(order, parcel !== undefined),
    refund_status: refundStatus(order),
    confirm_status: order.status === "closed" ? 2 : order.status === "unpaid" ? 0 : 1,
    pay_amount: yuan(order.amountCents),
    created_time: time(order.createdAt),
    pay_time: time(order.paidAt),
    last_ship_time: time(order.promisedShipAt),
    shipping_time: time(parcel?.shippedAt),
    receive_time: delivered ? time(order.deliveredAt ?? parcel?.nodes.at(-1)?.at) : "",
    tracking_number: parcel?.trackingNo ?? "",
    logistics_company: parcel?.carrier ?? "",
    receiver_phone: order.receiverPhone ?? "",
    buyer_open_id: openIdOf(store, order.buyerNick),
    buyer_nick: order.buyerNick,
    item_list: itemsOf(order).map((item) => ({
      goods_id: Number(item.productId),
      goods_name: item.title,
      goods_spec: item.sku,
      goods_count: item.quantity,
      goods_price: yuan(item.priceCents),
    })),
  };
}
