import { describe, expect, it } from "vitest";
import { noticeKey } from "./system-notice.ts";

describe("noticeKey", () => {
  it("reads every spelling of an order event", () => {
    expect(noticeKey("order.paid")).toBe("notice.paid");
    expect(noticeKey("refund.requested")).toBe("notice.refund_requested");
    expect(noticeKey("order.refund_requested")).toBe("notice.refund_requested");
    expect(noticeKey("shipped")).toBe("notice.shipped");
  });

  it("has no key for events it does not know (the body is shown)", () => {
    expect(noticeKey("coupon.sent")).toBeNull();
    expect(noticeKey("toString")).toBeNull();
  });
});
