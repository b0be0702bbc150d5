import type { OrderEventMessage } from "../personality.ts";
import type { Rng } from "../prng.ts";
import type { SimOrder, SimOrderStatus } from "../world.ts";
import { type Carrier, carriers, traceLines } from "./logistics.ts";

/**
 * An order's whole life, drawn once when it is created: when it is paid (or
 * closed unpaid), shipped (mostly before the promised time, sometimes late),
 * each trace line, delivery, refunds, completion. Offsets are in simulated
 * time; the world divides them by its time scale. Seeded orders are the same
 * plans started in the past, so their timestamps agree with their status.
 */

export type OrderChange = OrderEventMessage["change"];

export type PlanStep =
  | { offset: number; kind: "paid" }
  | { offset: number; kind: "closed" }
  | { offset: number; kind: "shipped"; carrier: Carrier; trackingNo: string; line: string }
  | { offset: number; kind: "node"; line: string }
  | { offset: number; kind: "delivered"; line: string }
  | { offset: number; kind: "completed" }
  | { offset: number; kind: "refund_requested"; reason: string }
  | { offset: number; kind: "refund_agreed" }
  | { offset: number; kind: "refund_closed" };

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** 48 小时发货: the common ship-by promise. */
export const PROMISED_SHIP_WITHIN = 48 * HOUR;

const between = (rng: Rng, min: number, max: number) => min + rng.next() * (max - min);

export interface PlanOptions {
  /** Ship-from city (the store's warehouse) and the buyer's city. */
  from: string;
  to: string;
  /** Chance the buyer pays at all (the rest close unpaid). Default 0.88. */
  payChance?: number;
  /** Chance of a refund before shipping (default 0.04), after delivery (0.08), and that it is agreed (0.75). */
  preShipRefundChance?: number;
  refundChance?: number;
  agreeChance?: number;
}

/** Plan shapes that surely pass through a status, so a back-dated order needs one draw, not dozens. */
export function shapeFor(status: SimOrderStatus): Omit<PlanOptions, "from" | "to"> {
  switch (status) {
    case "closed":
      return { payChance: 0 };
    case "refunding":
      return { payChance: 1, preShipRefundChance: 0, refundChance: 1 };
    case "refunded":
      return { payChance: 1, preShipRefundChance: 0, refundChance: 1, agreeChance: 1 };
    default:
      return { payChance: 1, preShipRefundChance: 0, refundChance: 0 };
  }
}

export function planOrder(rng: Rng, options: PlanOptions): PlanStep[] {
  const steps: PlanStep[] = [];
  if (!rng.chance(options.payChance ?? 0.88)) {
    // Unpaid orders close automatically after a while (or the buyer cancels).
    steps.push({ offset: between(rng, 20 * MINUTE, 24 * HOUR), kind: "closed" });
    return steps;
  }
  // Most pay within minutes; a few come back hours later.
  const paidAt = rng.chance(0.8) ? between(rng, 10_000, 10 * MINUTE) : between(rng, 10 * MINUTE, 6 * HOUR);
  steps.push({ offset: paidAt, kind: "paid" });
  if (rng.chance(options.preShipRefundChance ?? 0.04)) {
    // 未发货仅退款: changed their mind before it shipped.
    const requested = paidAt + between(rng, 30 * MINUTE, 12 * HOUR);
    steps.push({
      offset: requested,
      kind: "refund_requested",
      reason: rng.pick(["不想要了", "拍错了/多拍了", "地址填错了"]),
    });
    steps.push({ offset: requested + between(rng, 20 * MINUTE, 6 * HOUR), kind: "refund_agreed" });
    return steps;
  }
  const late = rng.chance(0.12);
  const shippedAt =
    paidAt + (late ? PROMISED_SHIP_WITHIN + between(rng, 2 * HOUR, 48 * HOUR) : between(rng, HOUR, 40 * HOUR));
  const carrier = rng.pick(carriers);
  const [first, ...rest] = traceLines(rng, carrier, options.from, options.to);
  steps.push({ offset: shippedAt, kind: "shipped", carrier, trackingNo: carrier.trackingNo(rng), line: first ?? "" });
  let t = shippedAt;
  const signed = rest.pop() ?? "";
  for (const line of rest) {
    t += between(rng, HOUR, 10 * HOUR);
    steps.push({ offset: t, kind: "node", line });
  }
  t += between(rng, 30 * MINUTE, 4 * HOUR);
  steps.push({ offset: t, kind: "delivered", line: signed });
  if (rng.chance(options.refundChance ?? 0.08)) {
    const requested = t + between(rng, 2 * HOUR, 3 * DAY);
    steps.push({
      offset: requested,
      kind: "refund_requested",
      reason: rng.pick(["七天无理由退货", "质量问题", "发错货", "尺码不合适", "与描述不符"]),
    });
    if (rng.chance(options.agreeChance ?? 0.75)) {
      steps.push({ offset: requested + between(rng, 2 * HOUR, 36 * HOUR), kind: "refund_agreed" });
      return steps;
    }
    // The buyer withdrew, or the seller refused and it was settled: the order goes on.
    t = requested + between(rng, HOUR, 24 * HOUR);
    steps.push({ offset: t, kind: "refund_closed" });
  }
  steps.push({ offset: t + between(rng, DAY, 10 * DAY), kind: "completed" });
  return steps;
}

/** The status an order has after a step (a trace line changes none). */
export function statusAfter(step: PlanStep, before: SimOrderStatus, beforeRefund: SimOrderStatus): SimOrderStatus {
  switch (step.kind) {
    case "paid":
      return "paid";
    case "closed":
      return "closed";
    case "shipped":
      return "shipped";
    case "node":
      return before;
    case "delivered":
      return "delivered";
    case "completed":
      return "completed";
    case "refund_requested":
      return "refunding";
    case "refund_agreed":
      return "refunded";
    case "refund_closed":
      return beforeRefund;
  }
}

/**
 * Apply one step to an order at `at`. Returns the change to push, or undefined
 * for a trace line (the platform does not push those; Yunxi fetches the trace).
 */
export function applyStep(order: SimOrder, step: PlanStep, at: Date, timeScale: number): OrderChange | undefined {
  order.updatedAt = at;
  switch (step.kind) {
    case "paid":
      order.status = "paid";
      order.paidAt = at;
      order.promisedShipAt = new Date(at.getTime() + PROMISED_SHIP_WITHIN / timeScale);
      return "paid";
    case "closed":
      order.status = "closed";
      return "closed";
    case "shipped":
      order.status = "shipped";
      order.shippedAt = at;
      order.logistics = {
        carrier: step.carrier.name,
        trackingNo: step.trackingNo,
        nodes: [{ at, description: step.line }],
      };
      return "shipped";
    case "node":
      order.logistics?.nodes.push({ at, description: step.line });
      return undefined;
    case "delivered":
      order.status = "delivered";
      order.deliveredAt = at;
      order.logistics?.nodes.push({ at, description: step.line });
      return "delivered";
    case "completed":
      order.status = "completed";
      return "completed";
    case "refund_requested":
      order.status = "refunding";
      order.refund = { requestedAt: at, reason: step.reason };
      return "refund_requested";
    case "refund_agreed":
      order.status = "refunded";
      if (order.refund) order.refund.agreedAt = at;
      return "refund_agreed";
    case "refund_closed":
      order.status = order.deliveredAt ? "delivered" : order.shippedAt ? "shipped" : "paid";
      if (order.refund) order.refund.closedAt = at;
      return "refund_closed";
  }
}

/** [from, to) offsets during which the plan's order has `status`; undefined if it never has. */
export function statusWindow(steps: readonly PlanStep[], status: SimOrderStatus): [number, number] | undefined {
  let current: SimOrderStatus = "unpaid";
  let since = 0;
  let beforeRefund: SimOrderStatus = "unpaid";
  for (const step of steps) {
    const next = statusAfter(step, current, beforeRefund);
    if (step.kind === "refund_requested") beforeRefund = current;
    if (next !== current) {
      if (current === status && step.offset > since) return [since, step.offset];
      current = next;
      since = step.offset;
    }
  }
  // The last status lasts; seeded orders in it are up to ten days past it.
  return current === status ? [since, since + 10 * DAY] : undefined;
}
