import { describe, expect, it } from "vitest";
import { formatMoney } from "../i18n/format.ts";
import { isOrderStatus, isShipOverdue } from "./order-status.ts";

describe("order status", () => {
  it("flags a paid order past its promised ship time", () => {
    const order = { status: "paid" as const, promisedShipAt: "2026-01-02T00:00:00.000Z", shippedAt: null };
    expect(isShipOverdue(order, Date.parse("2026-01-03T00:00:00.000Z"))).toBe(true);
    expect(isShipOverdue(order, Date.parse("2026-01-01T00:00:00.000Z"))).toBe(false);
    expect(isShipOverdue({ ...order, status: "shipped" }, Date.parse("2026-01-03T00:00:00.000Z"))).toBe(false);
  });

  it("knows the contract's statuses only", () => {
    expect(isOrderStatus("refunding")).toBe(true);
    expect(isOrderStatus("WAIT_BUYER_PAY")).toBe(false);
  });

  it("formats fen as yuan", () => {
    expect(formatMoney(25800, "zh-CN")).toBe("¥258.00");
    expect(formatMoney(5, "en-US")).toBe("¥0.05");
  });
});
