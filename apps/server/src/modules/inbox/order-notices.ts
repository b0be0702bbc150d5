import type { OrderChange } from "@yunxi/contracts";

/** The system notice an order change posts in the buyer's open conversation. */
export interface OrderNotice {
  /** order.paid, order.shipped, refund.requested … (MessageAttachment.system.event) */
  event: string;
  body: string;
}

const yuan = (cents: number): string => `¥${(cents / 100).toFixed(2)}`;

export function orderNotice(
  change: OrderChange,
  order: { orderId: string; totalCents: number; carrier: string | null; trackingNo: string | null },
): OrderNotice {
  const no = `订单 ${order.orderId}`;
  switch (change) {
    case "created":
      return { event: "order.created", body: `买家已下单：${no}，${yuan(order.totalCents)}` };
    case "paid":
      return { event: "order.paid", body: `买家已付款：${no}，${yuan(order.totalCents)}` };
    case "shipped": {
      const parcel = order.carrier ? `（${order.carrier} ${order.trackingNo ?? ""}）`.replace(" ）", "）") : "";
      return { event: "order.shipped", body: `已发货：${no}${parcel}` };
    }
    case "delivered":
      return { event: "order.delivered", body: `买家已签收：${no}` };
    case "completed":
      return { event: "order.completed", body: `交易成功：${no}` };
    case "closed":
      return { event: "order.closed", body: `交易关闭：${no}` };
    case "refund_requested":
      return { event: "refund.requested", body: `买家申请退款：${no}` };
    case "refund_agreed":
      return { event: "refund.agreed", body: `已同意退款：${no}` };
    case "refund_closed":
      return { event: "refund.closed", body: `退款关闭：${no}` };
  }
}
