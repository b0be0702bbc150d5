import { z } from "zod";
import type { OrderStatus, PlatformOrder } from "../adapter.ts";

/**
 * A Kuaishou order (`data` of `open.order.detail`, an element of
 * `data.orderList` of `open.order.cursor.list`), in one place.
 *
 * DOCUMENTED: orderBaseInfo (oid, status 10 待付款 / 30 已付款 / 40 已发货 /
 * 50 已收货 / 70 交易成功 / 80 交易关闭, createTime / payTime / sendTime in ms,
 * totalFee in fen, buyerOpenId, buyerNick), orderItemInfo (itemId, itemTitle,
 * skuDesc, num, price in fen), orderLogisticsInfo[] (expressNo, expressCode).
 * ASSUMED: `promiseTimeStampOfDelivery` (the promised ship time, ms),
 * `logisticsCompany` (the carrier's name; the platform gives expressCode),
 * orderAddress.mobile in clear (Kuaishou encrypts it), and orderRefundList[]
 * refundStatus 10 申请中 / 20 已同意退款中 → refunding, 60 退款成功 → refunded.
 */

const id = z.union([z.string(), z.number()]).transform(String);
const ms = z.number().nullish();

export const KuaishouOrder = z.object({
  orderBaseInfo: z.object({
    oid: id,
    status: z.number().int(),
    createTime: z.number(),
    payTime: ms,
    sendTime: ms,
    promiseTimeStampOfDelivery: ms,
    totalFee: z.number().int(),
    buyerOpenId: z.string().min(1),
    buyerNick: z.string().nullish(),
  }),
  orderItemInfo: z.object({
    itemId: id,
    itemTitle: z.string(),
    skuDesc: z.string().nullish(),
    num: z.number().int(),
    price: z.number().int(),
  }),
  orderLogisticsInfo: z
    .array(
      z.object({ expressNo: z.string(), expressCode: z.string().nullish(), logisticsCompany: z.string().nullish() }),
    )
    .default([]),
  orderAddress: z.object({ mobile: z.string().nullish() }).optional(),
  orderRefundList: z.array(z.object({ refundId: id.optional(), refundStatus: z.number().int() })).default([]),
});
export type KuaishouOrder = z.infer<typeof KuaishouOrder>;

const byStatus: Record<number, { status: OrderStatus; word: string }> = {
  10: { status: "unpaid", word: "待付款" },
  30: { status: "paid", word: "已付款" },
  40: { status: "shipped", word: "已发货" },
  50: { status: "delivered", word: "已收货" },
  70: { status: "completed", word: "交易成功" },
  80: { status: "closed", word: "交易关闭" },
};

export function kuaishouOrderStatus(order: KuaishouOrder): { status: OrderStatus; platformStatus: string } {
  const refunds = order.orderRefundList.map((r) => r.refundStatus);
  if (refunds.includes(60)) return { status: "refunded", platformStatus: "退款成功" };
  if (refunds.some((s) => s === 10 || s === 20)) return { status: "refunding", platformStatus: "退款中" };
  const known = byStatus[order.orderBaseInfo.status];
  return known
    ? { status: known.status, platformStatus: known.word }
    : { status: "paid", platformStatus: `status=${order.orderBaseInfo.status}` };
}

const instant = (value: number | null | undefined) => (value ? new Date(value) : undefined);

export function toPlatformOrder(order: KuaishouOrder): PlatformOrder {
  const base = order.orderBaseInfo;
  const item = order.orderItemInfo;
  const parcel = order.orderLogisticsInfo[0];
  return {
    orderId: base.oid,
    buyer: { platformBuyerId: base.buyerOpenId, displayName: base.buyerNick || base.buyerOpenId },
    ...kuaishouOrderStatus(order),
    items: [
      {
        productId: item.itemId,
        title: item.itemTitle,
        sku: item.skuDesc || undefined,
        quantity: item.num,
        priceCents: item.price,
      },
    ],
    totalCents: base.totalFee,
    createdAt: new Date(base.createTime),
    paidAt: instant(base.payTime),
    promisedShipAt: instant(base.promiseTimeStampOfDelivery),
    shippedAt: instant(base.sendTime),
    logistics: parcel
      ? { carrier: parcel.logisticsCompany || parcel.expressCode || "", trackingNo: parcel.expressNo }
      : undefined,
    receiverPhone: order.orderAddress?.mobile || undefined,
  };
}
