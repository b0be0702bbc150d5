import { z } from "zod";
import type { OrderItem, OrderStatus, PlatformOrder } from "../adapter.ts";
import { yuanToCents } from "../money.ts";
import { parseTopTimestamp } from "./signing.ts";

/**
 * A TOP trade (`taobao.trade.fullinfo.get`, `taobao.trades.sold.get`) and how it
 * becomes a PlatformOrder. Field names are TOP's documented ones: `tid`/`tid_str`,
 * `status`, `payment` (yuan string), `created`, `pay_time`, `consign_time`,
 * `modified`, `buyer_nick`, `receiver_mobile`, and `orders.order[]` (sub-orders)
 * with `oid, num_iid, title, sku_properties_name, num, price, refund_status,
 * logistics_company, invoice_no` (invoice_no is the waybill number) and
 * `estimate_con_time` (promised ship time, given here as a TOP timestamp).
 */

const Id = z.union([z.string(), z.number()]).transform(String);

export const TopSubOrder = z.object({
  oid: Id.optional(),
  num_iid: Id.optional(),
  title: z.string().optional(),
  sku_properties_name: z.string().optional(),
  num: z.union([z.number(), z.string()]).transform(Number).optional(),
  price: z.string().optional(),
  payment: z.string().optional(),
  refund_status: z.string().optional(),
  logistics_company: z.string().optional(),
  invoice_no: z.string().optional(),
  estimate_con_time: z.string().optional(),
});

export const TopTrade = z.object({
  tid: Id.optional(),
  tid_str: z.string().optional(),
  status: z.string(),
  title: z.string().optional(),
  payment: z.string().optional(),
  created: z.string().optional(),
  pay_time: z.string().optional(),
  consign_time: z.string().optional(),
  modified: z.string().optional(),
  buyer_nick: z.string().optional(),
  receiver_mobile: z.string().optional(),
  orders: z.object({ order: z.array(TopSubOrder) }).optional(),
});
export type TopTrade = z.infer<typeof TopTrade>;

const tradeStatuses: Record<string, OrderStatus> = {
  TRADE_NO_CREATE_PAY: "unpaid",
  WAIT_BUYER_PAY: "unpaid",
  PAY_PENDING: "unpaid",
  WAIT_PRE_AUTH_CONFIRM: "unpaid",
  WAIT_SELLER_SEND_GOODS: "paid",
  SELLER_CONSIGNED_PART: "shipped",
  WAIT_BUYER_CONFIRM_GOODS: "shipped",
  TRADE_BUYER_SIGNED: "delivered",
  TRADE_FINISHED: "completed",
  TRADE_CLOSED: "closed",
  TRADE_CLOSED_BY_TAOBAO: "closed",
};

/** Refund states of a sub-order while the refund is open (TOP's refund_status words). */
const openRefundStatuses = new Set(["WAIT_SELLER_AGREE", "WAIT_BUYER_RETURN_GOODS", "WAIT_SELLER_CONFIRM_GOODS"]);

/**
 * The normalized status: an open refund on any sub-order wins ("refunding"); a
 * trade closed after a successful refund is "refunded" (TOP closes it so);
 * otherwise the trade status decides. A word we do not know yet reads as
 * "paid" (the order exists and is the seller's to handle); platformStatus keeps
 * the original for the agent.
 */
export function topOrderStatus(trade: TopTrade): OrderStatus {
  const refunds = (trade.orders?.order ?? []).map((o) => o.refund_status ?? "NO_REFUND");
  if (refunds.some((r) => openRefundStatuses.has(r))) return "refunding";
  const status = tradeStatuses[trade.status] ?? "paid";
  if (status === "closed" && refunds.includes("SUCCESS")) return "refunded";
  return status;
}

function time(value: string | undefined): Date | undefined {
  return value ? parseTopTimestamp(value) : undefined;
}

function items(trade: TopTrade): OrderItem[] {
  return (trade.orders?.order ?? []).map((o) => ({
    productId: o.num_iid ?? "",
    title: o.title ?? trade.title ?? "",
    sku: o.sku_properties_name,
    quantity: o.num ?? 1,
    priceCents: yuanToCents(o.price ?? o.payment),
  }));
}

export function tradeToOrder(trade: TopTrade): PlatformOrder {
  const nick = trade.buyer_nick ?? "";
  const first = trade.orders?.order[0];
  const waybill = first?.invoice_no;
  return {
    orderId: trade.tid_str ?? trade.tid ?? "",
    // Taobao nicks are global across stores, so the nick is the identity.
    buyer: { platformBuyerId: nick, displayName: nick },
    status: topOrderStatus(trade),
    platformStatus: trade.status,
    items: items(trade),
    totalCents: yuanToCents(trade.payment),
    createdAt: time(trade.created) ?? new Date(0),
    paidAt: time(trade.pay_time),
    promisedShipAt: time(first?.estimate_con_time),
    shippedAt: time(trade.consign_time),
    logistics: waybill ? { carrier: first?.logistics_company ?? "", trackingNo: waybill } : undefined,
    receiverPhone: trade.receiver_mobile,
  };
}

/** The fields Yunxi asks TOP for, in `fields=` form. */
export const tradeFields = [
  "tid",
  "tid_str",
  "status",
  "title",
  "payment",
  "created",
  "pay_time",
  "consign_time",
  "modified",
  "buyer_nick",
  "receiver_mobile",
  "orders",
].join(",");
