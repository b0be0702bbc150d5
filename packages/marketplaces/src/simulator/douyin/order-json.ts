import type { SimStore } from "../options.ts";
import { itemsOf, openIdOf, parcelOf } from "../pdd/shared-facts.ts";
import type { SimOrder } from "../world.ts";

/** A simulated order as 抖店's shop_order_detail (see douyin/order-format.ts for which fields are documented). */

const seconds = (date: Date | undefined) => (date ? Math.floor(date.getTime() / 1000) : 0);

const statusWords: Record<number, string> = { 1: "待支付", 2: "备货中", 3: "已发货", 4: "已取消", 5: "已完成" };

function orderStatus(order: SimOrder, shipped: boolean): number {
  switch (order.status) {
    case "unpaid":
      return 1;
    case "closed":
      return 4;
    case "completed":
      return 5;
    case "paid":
      return 2;
    default:
      return shipped ? 3 : 2;
  }
}

function refundStatus(order: SimOrder): number {
  if (order.status === "refunded") return 3;
  if (order.status === "refunding") return order.refund?.agreedAt ? 2 : 1;
  return 0;
}

export function douyinOrderJson(store: SimStore, order: SimOrder): Record<string, unknown> {
  const parcel = parcelOf(order);
  const status = orderStatus(order, parcel !== undefined);
  return {
    order_id: order.orderId,
    order_status: status,
    order_status_desc: statusWords[status],
    create_time: seconds(order.createdAt),
    pay_time: seconds(order.paidAt),
    exp_ship_time: seconds(order.promisedShipAt),
    ship_time: seconds(parcel?.shippedAt),
    finish_time: order.status === "completed" ? seconds(order.updatedAt ?? order.deliveredAt) : 0,
    pay_amount: order.amountCents,
    doudian_open_id: openIdOf(store, order.buyerNick),
    user_nickname: order.buyerNick,
    post_tel: order.receiverPhone ?? "",
    sku_order_list: itemsOf(order).map((item) => ({
      product_id: item.productId,
      product_name: item.title,
      spec: item.sku ? [{ name: "规格", value: item.sku }] : [],
      item_num: item.quantity,
      origin_amount: item.priceCents * item.quantity,
      after_sale_info: { refund_status: refundStatus(order) },
    })),
    logistics_info: parcel
      ? [
          {
            tracking_no: parcel.trackingNo,
            company: parcel.carrierCode,
            company_name: parcel.carrier,
            ship_time: seconds(parcel.shippedAt),
          },
        ]
      : [],
  };
}
