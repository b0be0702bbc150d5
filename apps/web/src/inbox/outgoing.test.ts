import type { Order } from "@yunxi/contracts";
import { describe, expect, it } from "vitest";
import { ApiRequestError } from "../api/client.ts";
import { isReadByBuyer, isRefusedBeforeSending, optimisticMessage, orderCard, toOutbound } from "./outgoing.ts";

const order: Order = {
  id: "o1",
  storeId: "s1",
  platform: "taobao",
  storeLabel: "淘宝-旗舰店",
  customerId: "b1",
  orderId: "3859201746",
  status: "paid",
  platformStatus: "WAIT_SELLER_SEND_GOODS",
  items: [{ productId: "p1", title: "加绒卫衣", sku: "黑色 XL", quantity: 2, priceCents: 12900 }],
  totalCents: 25800,
  createdAt: "2026-01-01T08:00:00.000Z",
  paidAt: "2026-01-01T08:01:00.000Z",
  promisedShipAt: "2026-01-03T08:00:00.000Z",
  shippedAt: null,
  carrier: null,
  trackingNo: null,
  updatedAt: "2026-01-01T08:01:00.000Z",
};

describe("outgoing messages", () => {
  it("builds an order card the platform knows by its order number, and sends it back as such", () => {
    const card = orderCard(order);
    expect(card).toEqual({
      type: "order_card",
      orderId: "3859201746",
      title: "加绒卫衣",
      status: "paid",
      totalCents: 25800,
    });
    const local = optimisticMessage({
      conversationId: "c1",
      senderId: "u1",
      localKey: "k1",
      content: { body: "", attachment: card },
      now: new Date("2026-01-01T09:00:00.000Z"),
    });
    expect(local).toMatchObject({ id: "local:k1", kind: "order_card", deliveryStatus: "pending", body: "" });
    expect(toOutbound(local.attachment)).toEqual({ type: "order_card", orderId: "3859201746" });
  });

  it("never sends a system notice or a missing attachment", () => {
    expect(toOutbound(null)).toBeUndefined();
    expect(toOutbound({ type: "system", event: "order.paid", orderId: null })).toBeUndefined();
    expect(toOutbound({ type: "image", url: "https://img.example/a.jpg" })).toEqual({
      type: "image",
      url: "https://img.example/a.jpg",
    });
  });

  it("tells a refusal before sending (422) from a delivery failure", () => {
    expect(isRefusedBeforeSending(new ApiRequestError(422, "platform_limit", "消息过长"))).toBe(true);
    expect(isRefusedBeforeSending(new ApiRequestError(502, "platform_error", "超时"))).toBe(false);
    expect(isRefusedBeforeSending(new Error("x"))).toBe(false);
  });

  it("marks sent messages up to the buyer's read receipt as read", () => {
    const sent = {
      direction: "outbound" as const,
      deliveryStatus: "sent" as const,
      createdAt: "2026-01-01T08:00:00.000Z",
      sentAt: "2026-01-01T08:00:01.000Z",
    };
    expect(isReadByBuyer(sent, "2026-01-01T08:05:00.000Z")).toBe(true);
    expect(isReadByBuyer(sent, "2026-01-01T07:59:00.000Z")).toBe(false);
    expect(isReadByBuyer(sent, null)).toBe(false);
    expect(isReadByBuyer({ ...sent, deliveryStatus: "pending" }, "2026-01-01T08:05:00.000Z")).toBe(false);
  });
});
