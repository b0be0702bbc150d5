import { z } from "zod";
import type { OrderItem, OrderStatus, PlatformOrder } from "../adapter.ts";
import { parseBeijingTime } from "./signing.ts";

/**
 * A POP order (`order_info` of `pdd.order.information.get`, an element of
 * `order_list` of `pdd.order.list.get`), in one place.
 *
 * DOCUMENTED: order_sn, order_status (1 待发货, 2 已发货待签收, 3 已签收),
 * refund_status (1 无售后或售后关闭, 2 售后处理中, 3 退款中, 4 退款成功),
 * confirm_status (0 未成交, 1 已成交, 2 已取消), pay_amount in yuan (a number),
 * created_time / pay_time / shipping_time / receive_time / last_ship_time as
 * `yyyy-MM-dd HH:mm:ss` (Beijing), tracking_number, item_list[] of goods_id,
 * goods_name, goods_spec, goods_count, goods_price (yuan).
 * ASSUMED: `buyer_open_id` / `buyer_nick` (POP hides the buyer; 多多客服 knows
 * the per-shop id), `logistics_company` (POP gives `logistics_id`, named by
 * pdd.logistics.companies.get) and `receiver_phone` in clear (POP encrypts it).
 */

const id = z.union([z.string(), z.number()]).transform(String);
const time = z.string().nullish();

export const PddOrderItem = z.object({
  goods_id: id,
  goods_name: z.string(),
  goods_spec: z.string().nullish(),
  goods_count: z.number().int(),
  goods_price: z.number(),
});

export const PddOrder = z.object({
  order_sn: id,
  order_status: z.number().int(),
  refund_status: z.number().int().default(1),
  confirm_status: z.number().int().default(1),
  pay_amount: z.number(),
  created_time: z.string(),
  pay_time: time,
  shipping_time: time,
  receive_time: time,
  last_ship_time: time,
  tracking_number: z.string().nullish(),
  logistics_company: z.string().nullish(),
  receiver_phone: z.string().nullish(),
  buyer_open_id: z.string(),
  buyer_nick: z.string().nullish(),
  item_list: z.array(PddOrderItem).default([]),
});
export type PddOrder = z.infer<typeof PddOrder>;

/** Yuan as a JSON number → fen, rounding away binary fractions (19.9 → 1990). */
export function yuanNumberToCents(yuan: number): number {
  return Math.round(yuan * 100);
}

const shippingWords: Record<number, string> = { 1: "待发货", 2: "已发货待签收", 3: "已签收" };
const refundWords: Record<number, string> = { 2: "售后处理中", 3: "退款中", 4: "退款成功" };

/** POP keeps shipping, refund and group-confirmation in three fields; Yunxi has one status. */
export function pddOrderStatus(order: PddOrder): { status: OrderStatus; platformStatus: string } {
  if (order.confirm_status === 2) return { status: "closed", platformStatus: "已取消" };
  if (order.refund_status === 4) return { status: "refunded", platformStatus: refundWords[4] as string };
  if (order.refund_status === 2 || order.refund_status === 3) {
    return { status: "refunding", platformStatus: refundWords[order.refund_status] as string };
  }
  if (order.confirm_status === 0) return { status: "unpaid", platformStatus: "未成交" };
  const platformStatus = shippingWords[order.order_status] ?? `order_status=${order.order_status}`;
  switch (order.order_status) {
    case 2:
      return { status: "shipped", platformStatus };
    case 3:
      return { status: "delivered", platformStatus };
    default:
      return { status: "paid", platformStatus };
  }
}

export function toPlatformOrder(order: PddOrder): PlatformOrder {
  const items: OrderItem[] = order.item_list.map((item) => ({
    productId: item.goods_id,
    title: item.goods_name,
    sku: item.goods_spec ?? undefined,
    quantity: item.goods_count,
    priceCents: yuanNumberToCents(item.goods_price),
  }));
  const openId = order.buyer_open_id;
  return {
    orderId: order.order_sn,
    buyer: { platformBuyerId: openId, displayName: order.buyer_nick || openId },
    ...pddOrderStatus(order),
    items,
    totalCents: yuanNumberToCents(order.pay_amount),
    createdAt: parseBeijingTime(order.created_time) ?? new Date(0),
    paidAt: parseBeijingTime(order.pay_time),
    promisedShipAt: parseBeijingTime(order.last_ship_time),
    shippedAt: parseBeijingTime(order.shipping_time),
    logistics: order.tracking_number
      ? { carrier: order.logistics_company ?? "", trackingNo: order.tracking_number }
      : undefined,
    receiverPhone: order.receiver_phone || undefined,
  };
}
