import type { Order, OrderStatus } from "@yunxi/contracts";
import { orderStatuses } from "@yunxi/contracts";

export function isOrderStatus(status: string): status is OrderStatus {
  return (orderStatuses as readonly string[]).includes(status);
}

/** antd tag colours: what needs the agent's attention (to ship, refunds) stands out. */
export const orderStatusColors: Record<OrderStatus, string> = {
  unpaid: "default",
  paid: "orange",
  shipped: "blue",
  delivered: "cyan",
  completed: "green",
  closed: "default",
  refunding: "red",
  refunded: "purple",
};

/** Paid but not shipped past the promised time: the buyer is about to complain (and the platform to fine). */
export function isShipOverdue(order: Pick<Order, "status" | "promisedShipAt" | "shippedAt">, now: number): boolean {
  if (order.status !== "paid" || order.shippedAt || !order.promisedShipAt) return false;
  return Date.parse(order.promisedShipAt) < now;
}

/** Whether there is a parcel to trace. */
export function hasTracking(order: Pick<Order, "trackingNo">): boolean {
  return Boolean(order.trackingNo);
}
