import { describe, expect, it } from "vitest";
import { topOrderStatus } from "./trade.ts";

const withRefund = (status: string, refund: string) => ({ status, orders: { order: [{ refund_status: refund }] } });

describe("TOP trade statuses", () => {
  it("maps every trade status", () => {
    const cases: Array<[string, string]> = [
      ["WAIT_BUYER_PAY", "unpaid"],
      ["TRADE_NO_CREATE_PAY", "unpaid"],
      ["WAIT_SELLER_SEND_GOODS", "paid"],
      ["WAIT_BUYER_CONFIRM_GOODS", "shipped"],
      ["SELLER_CONSIGNED_PART", "shipped"],
      ["TRADE_BUYER_SIGNED", "delivered"],
      ["TRADE_FINISHED", "completed"],
      ["TRADE_CLOSED", "closed"],
      ["TRADE_CLOSED_BY_TAOBAO", "closed"],
    ];
    for (const [status, expected] of cases) expect(topOrderStatus({ status })).toBe(expected);
  });

  it("reads refunds from the sub-orders", () => {
    expect(topOrderStatus(withRefund("WAIT_SELLER_SEND_GOODS", "WAIT_SELLER_AGREE"))).toBe("refunding");
    expect(topOrderStatus(withRefund("WAIT_BUYER_CONFIRM_GOODS", "WAIT_BUYER_RETURN_GOODS"))).toBe("refunding");
    expect(topOrderStatus(withRefund("TRADE_CLOSED", "SUCCESS"))).toBe("refunded");
    expect(topOrderStatus(withRefund("WAIT_BUYER_CONFIRM_GOODS", "CLOSED"))).toBe("shipped");
  });
});
