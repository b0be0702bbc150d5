import type { SimStore } from "../options.ts";
import { itemsOf, openIdOf, parcelOf } from "../pdd/shared-facts.ts";
import type { SimOrder } from "../world.ts";

/**
 * A simulated order as Kuaishou's open.order.detail `data` (see
 * kuaishou/order-format.ts for which fields are documented). Kuaishou orders
 * hold one item; a multi-item world order shows its first item with the order's total.
 */

const ms = (date: Date | undefined) => (date ? date.getTime() : 0);

function status(order: SimOrder, shipped: boolean): number {
  switch (order.status) {
    case "unpaid":
      return 10;
    case "paid":
      return 30;
    case "shipped":
      return 40;
    case "delivered":
      return 50;
    case "completed":
      return 70;
    case "closed":
      return 80;
    default:
      return shipped ? 40 : 30;
  }
}

function refunds(order: SimOrder): Array<{ refundId: string; refundStatus: number }> {
  if (order.status === "refunded") return [{ refundId: `R${order.orderId}`, refundStatus: 60 }];
  if (order.status === "refunding")
    return [{ refundId: `R${order.orderId}`, refundStatus: order.refund?.agreedAt ? 20 : 10 }];
  return [];
}

export function kuaishouOrderJson(store: SimStore, order: SimOrder): Record<string, unknown> {
  const parcel = parcelOf(order);
  const item = itemsOf(order)[0];
  return {
    orderBaseInfo: {
      oid: order.orderId,
      status: status(order, parcel !== undefined),
      createTime: ms(order.createdAt),
      payTime: ms(order.paidAt),
      sendTime: ms(parcel?.shippedAt),
      promiseTimeStampOfDelivery: ms(order.promisedShipAt),
      totalFee: order.amountCents,
      buyerOpenId: openIdOf(store, order.buyerNick),
      buyerNick: order.buyerNick,
    },
    orderItemInfo: {
      itemId: item?.productId ?? order.productId,
      itemTitle: item?.title ?? order.title,
      skuDesc: item?.sku ?? "",
      num: item?.quantity ?? 1,
      price: item?.priceCents ?? order.amountCents,
    },
    orderLogisticsInfo: parcel
      ? [{ expressNo: parcel.trackingNo, expressCode: parcel.carrierCode, logisticsCompany: parcel.carrier }]
      : [],
    orderAddress: { mobile: order.receiverPhone ?? "" },
    orderRefundList: refunds(order),
  };
}
