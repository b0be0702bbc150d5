import { z } from "zod";
import type { OrderStatus, PlatformOrder } from "../adapter.ts";

/**
 * A 抖店 order (`data.shop_order_detail` of `order.orderDetail`, an element of
 * `data.shop_order_list` of `order.searchList`), in one place.
 *
 * DOCUMENTED: order_id, order_status (1 待确认/待支付, 105 已支付, 2 备货中,
 * 101 部分发货, 3 已发货, 4 已取消, 5 已完成), order_status_desc, create_time /
 * pay_time / exp_ship_time / ship_time / finish_time as Unix seconds (0 when
 * not yet), pay_amount in fen, doudian_open_id (the per-shop buyer id),
 * sku_order_list[] (product_id, product_name, spec[]{name, value}, item_num,
 * origin_amount in fen for the line), logistics_info[] (tracking_no, company,
 * company_name, ship_time).
 * ASSUMED: `user_nickname` (the buyer's nick for display), `post_tel` in clear
 * (抖店 gives encrypt_post_tel, decrypted by order.batchDecrypt), and the
 * sku-level after_sale_info.refund_status words (1 待退款, 2 退款中, 3 退款成功).
 */

const id = z.union([z.string(), z.number()]).transform(String);
const seconds = z.number().int().nullish();

export const DouyinSkuOrder = z.object({
  product_id: id,
  product_name: z.string(),
  spec: z.array(z.object({ name: z.string(), value: z.string() })).default([]),
  item_num: z.number().int().min(1),
  origin_amount: z.number().int(),
  after_sale_info: z.object({ refund_status: z.number().int().default(0) }).optional(),
});

export const DouyinOrder = z.object({
  order_id: id,
  order_status: z.number().int(),
  order_status_desc: z.string().default(""),
  create_time: z.number().int(),
  pay_time: seconds,
  exp_ship_time: seconds,
  ship_time: seconds,
  finish_time: seconds,
  pay_amount: z.number().int(),
  doudian_open_id: z.string().min(1),
  user_nickname: z.string().nullish(),
  post_tel: z.string().nullish(),
  sku_order_list: z.array(DouyinSkuOrder).default([]),
  logistics_info: z
    .array(z.object({ tracking_no: z.string(), company: z.string().nullish(), company_name: z.string().nullish() }))
    .default([]),
});
export type DouyinOrder = z.infer<typeof DouyinOrder>;

const byOrderStatus: Record<number, OrderStatus> = {
  1: "unpaid",
  105: "paid",
  2: "paid",
  101: "shipped",
  3: "shipped",
  4: "closed",
  5: "completed",
};

export function douyinOrderStatus(order: DouyinOrder): { status: OrderStatus; platformStatus: string } {
  const refund = Math.max(0, ...order.sku_order_list.map((s) => s.after_sale_info?.refund_status ?? 0));
  if (refund === 3) return { status: "refunded", platformStatus: "退款成功" };
  if (refund === 1 || refund === 2) return { status: "refunding", platformStatus: "售后中" };
  const status = byOrderStatus[order.order_status] ?? "paid";
  return { status, platformStatus: order.order_status_desc || `order_status=${order.order_status}` };
}

const instant = (value: number | null | undefined) => (value ? new Date(value * 1000) : undefined);

export function toPlatformOrder(order: DouyinOrder): PlatformOrder {
  const parcel = order.logistics_info[0];
  return {
    orderId: order.order_id,
    buyer: { platformBuyerId: order.doudian_open_id, displayName: order.user_nickname || order.doudian_open_id },
    ...douyinOrderStatus(order),
    items: order.sku_order_list.map((sku) => ({
      productId: sku.product_id,
      title: sku.product_name,
      sku: sku.spec.map((s) => s.value).join(" ") || undefined,
      quantity: sku.item_num,
      priceCents: Math.round(sku.origin_amount / sku.item_num),
    })),
    totalCents: order.pay_amount,
    createdAt: new Date(order.create_time * 1000),
    paidAt: instant(order.pay_time),
    promisedShipAt: instant(order.exp_ship_time),
    shippedAt: instant(order.ship_time),
    logistics: parcel
      ? { carrier: parcel.company_name || parcel.company || "", trackingNo: parcel.tracking_no }
      : undefined,
    receiverPhone: order.post_tel || undefined,
  };
}
