import { z } from "zod";
import { PlatformId } from "./platforms.ts";

export const orderStatuses = [
  "unpaid",
  "paid",
  "shipped",
  "delivered",
  "completed",
  "closed",
  "refunding",
  "refunded",
] as const;
export const OrderStatus = z.enum(orderStatuses);
export type OrderStatus = z.infer<typeof OrderStatus>;

export const OrderItem = z.object({
  productId: z.string(),
  title: z.string(),
  sku: z.string().nullable(),
  quantity: z.number().int(),
  priceCents: z.number().int(),
});

export const LogisticsNode = z.object({ at: z.string(), description: z.string() });

/** An order of a buyer in one store, synced from platform pushes and on demand. Amounts in fen. */
export const Order = z.object({
  id: z.string(),
  storeId: z.string(),
  platform: PlatformId,
  storeLabel: z.string(),
  customerId: z.string(),
  /** The platform's order number (tid). */
  orderId: z.string(),
  status: OrderStatus,
  platformStatus: z.string(),
  items: z.array(OrderItem),
  totalCents: z.number().int(),
  createdAt: z.string(),
  paidAt: z.string().nullable(),
  promisedShipAt: z.string().nullable(),
  shippedAt: z.string().nullable(),
  carrier: z.string().nullable(),
  trackingNo: z.string().nullable(),
  updatedAt: z.string(),
});
export type Order = z.infer<typeof Order>;

export const OrderList = z.object({ items: z.array(Order) });
export type OrderList = z.infer<typeof OrderList>;

export const LogisticsTrace = z.object({
  carrier: z.string(),
  trackingNo: z.string(),
  nodes: z.array(LogisticsNode),
});
export type LogisticsTrace = z.infer<typeof LogisticsTrace>;

export const OrderChange = z.enum([
  "created",
  "paid",
  "shipped",
  "delivered",
  "completed",
  "closed",
  "refund_requested",
  "refund_agreed",
  "refund_closed",
]);
export type OrderChange = z.infer<typeof OrderChange>;

/**
 * What an `order.changed` event reports: the platform's change (a push), or "synced" when
 * an on-demand sync from the platform found the order new or different; a sync does not
 * say which change happened.
 */
export const OrderEventChange = z.union([OrderChange, z.literal("synced")]);
export type OrderEventChange = z.infer<typeof OrderEventChange>;

/** A buyer's rating (评价) of an order or a service session. */
export const Evaluation = z.object({
  id: z.string(),
  storeId: z.string(),
  customerId: z.string(),
  /** The platform's order number when the rating is about an order. */
  orderId: z.string().nullable(),
  /** 1 (worst) … 5 (best). */
  score: z.number().int(),
  comment: z.string(),
  createdAt: z.string(),
});
export type Evaluation = z.infer<typeof Evaluation>;
