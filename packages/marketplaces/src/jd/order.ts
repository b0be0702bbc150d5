import { z } from "zod";
import type { OrderItem, OrderStatus, PlatformOrder } from "../adapter.ts";
import { yuanToCents } from "../money.ts";
import { parseJdTimestamp } from "./signing.ts";

/**
 * A JD POP order (`orderInfo` of `jingdong.pop.order.get`, an entry of
 * `orderInfoList` of `jingdong.pop.order.search`) and how it becomes a
 * PlatformOrder.
 *
 * DOCUMENTED fields: `orderId, venderId, pin, orderState, orderStateRemark,
 * orderTotalPrice, orderPayment` (yuan strings), `orderStartTime,
 * paymentConfirmTime, modified` (`yyyy-MM-dd HH:mm:ss`), `consigneeInfo
 * {fullname, mobile, telephone, fullAddress}`, `itemInfoList[] {skuId, wareId,
 * skuName, jdPrice, itemTotal}`, `waybill` (tracking number), `logisticsId`.
 * ASSUMED fields: `logisticsName` (the carrier's name; JD gives an id to look
 * up), `promiseShipTime` (ship-by time) and `shipTime` (出库 time).
 *
 * Statuses (documented words): WAIT_SELLER_STOCK_OUT 等待出库, WAIT_SELLER_DELIVERY
 * 等待发货, WAIT_SEND_CODE 等待发码, POP_ORDER_PAUSE 暂停, WAIT_GOODS_RECEIVE_CONFIRM
 * 等待确认收货, FINISHED_L 完成, TRADE_CANCELED 取消, LOCKED 已锁定 (a cancel or
 * after-sales request holds it). JD has no "signed" state: a delivered parcel
 * stays WAIT_GOODS_RECEIVE_CONFIRM until the buyer confirms. ASSUMED: unpaid
 * orders, which JOS normally hides, show as WAIT_BUYER_PAY.
 */

const Id = z.union([z.string(), z.number()]).transform(String);

export const JdOrderItem = z.object({
  skuId: Id.optional(),
  wareId: Id.optional(),
  skuName: z.string().optional(),
  jdPrice: z.string().optional(),
  itemTotal: z.union([z.string(), z.number()]).transform(Number).optional(),
});

export const JdOrder = z.object({
  orderId: Id,
  venderId: Id.optional(),
  pin: z.string().optional(),
  orderState: z.string(),
  orderStateRemark: z.string().optional(),
  orderTotalPrice: z.string().optional(),
  orderPayment: z.string().optional(),
  orderStartTime: z.string().optional(),
  paymentConfirmTime: z.string().optional(),
  modified: z.string().optional(),
  consigneeInfo: z
    .object({
      fullname: z.string().optional(),
      mobile: z.string().optional(),
      telephone: z.string().optional(),
      fullAddress: z.string().optional(),
    })
    .optional(),
  itemInfoList: z.array(JdOrderItem).optional(),
  waybill: z.string().optional(),
  logisticsId: Id.optional(),
  logisticsName: z.string().optional(),
  promiseShipTime: z.string().optional(),
  shipTime: z.string().optional(),
});
export type JdOrder = z.infer<typeof JdOrder>;

const states: Record<string, OrderStatus> = {
  WAIT_BUYER_PAY: "unpaid",
  WAIT_SELLER_STOCK_OUT: "paid",
  WAIT_SELLER_DELIVERY: "paid",
  WAIT_SEND_CODE: "paid",
  POP_ORDER_PAUSE: "paid",
  WAIT_GOODS_RECEIVE_CONFIRM: "shipped",
  FINISHED_L: "completed",
  TRADE_CANCELED: "closed",
  LOCKED: "refunding",
};

/** A cancelled order that had been paid was refunded (JD returns the money on cancel). */
export function jdOrderStatus(order: JdOrder): OrderStatus {
  const status = states[order.orderState] ?? "paid";
  if (status === "closed" && order.paymentConfirmTime) return "refunded";
  return status;
}

function time(value: string | undefined): Date | undefined {
  return value ? parseJdTimestamp(value) : undefined;
}

function items(order: JdOrder): OrderItem[] {
  return (order.itemInfoList ?? []).map((i) => ({
    productId: i.wareId ?? i.skuId ?? "",
    title: i.skuName ?? "",
    sku: i.skuId,
    quantity: i.itemTotal ?? 1,
    priceCents: yuanToCents(i.jdPrice),
  }));
}

export function jdOrderToPlatformOrder(order: JdOrder): PlatformOrder {
  const pin = order.pin ?? "";
  return {
    orderId: order.orderId,
    // A JD pin is the buyer's account across all JD shops.
    buyer: { platformBuyerId: pin, displayName: pin },
    status: jdOrderStatus(order),
    platformStatus: order.orderState,
    items: items(order),
    totalCents: yuanToCents(order.orderPayment ?? order.orderTotalPrice),
    createdAt: time(order.orderStartTime) ?? new Date(0),
    paidAt: time(order.paymentConfirmTime),
    promisedShipAt: time(order.promiseShipTime),
    shippedAt: time(order.shipTime),
    logistics: order.waybill
      ? { carrier: order.logisticsName ?? order.logisticsId ?? "", trackingNo: order.waybill }
      : undefined,
    receiverPhone: order.consigneeInfo?.mobile ?? order.consigneeInfo?.telephone,
  };
}

export const jdOrderFields = [
  "orderId",
  "venderId",
  "pin",
  "orderState",
  "orderTotalPrice",
  "orderPayment",
  "orderStartTime",
  "paymentConfirmTime",
  "modified",
  "consigneeInfo",
  "itemInfoList",
  "waybill",
  "logisticsId",
].join(",");
