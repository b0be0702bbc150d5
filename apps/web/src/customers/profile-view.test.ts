import type { Conversation, CustomerIdentity, CustomerProfile, Order } from "@yunxi/contracts";
import { describe, expect, it } from "vitest";
import { linkReasonKey, liveConversations, liveOrders, unknownOrderIds } from "./profile-view.ts";

const order = (id: string, over: Partial<Order> = {}): Order => ({
  id,
  storeId: "s-1",
  platform: "taobao",
  storeLabel: "淘宝-旗舰店",
  customerId: "c-1",
  orderId: `T-${id}`,
  status: "paid",
  platformStatus: "WAIT_SELLER_SEND_GOODS",
  items: [],
  totalCents: 100,
  createdAt: "2026-01-01T00:00:00.000Z",
  paidAt: null,
  promisedShipAt: null,
  shippedAt: null,
  carrier: null,
  trackingNo: null,
  updatedAt: "2026-01-01T00:00:00.000Z",
  ...over,
});

const identity = (reason: CustomerIdentity["link"]["reason"]): CustomerIdentity => ({
  id: `i-${reason}`,
  platform: "pdd",
  platformBuyerId: "pdd_1",
  displayName: "pdd_1",
  store: null,
  stores: [],
  link: { reason, detail: null, at: "2026-01-01T00:00:00.000Z", by: null },
  createdAt: "2026-01-01T00:00:00.000Z",
});

const profile = (over: Partial<CustomerProfile> = {}): CustomerProfile => ({
  customer: { id: "c-1", displayName: "小王", createdAt: "2026-01-01T00:00:00.000Z", tags: [] },
  identities: [],
  conversations: [],
  orders: [],
  tags: [],
  ...over,
});

describe("the customer panel's live view", () => {
  it("takes newer copies of orders from realtime and adds this customer's new orders, newest first", () => {
    const p = profile({ orders: [order("1"), order("2", { createdAt: "2026-01-02T00:00:00.000Z" })] });
    const live = [
      order("1", { status: "shipped", updatedAt: "2026-01-03T00:00:00.000Z" }),
      order("2", { status: "unpaid", updatedAt: "2025-12-31T00:00:00.000Z" }), // older: ignored
      order("3", { createdAt: "2026-01-05T00:00:00.000Z" }),
      order("4", { customerId: "c-other" }),
    ];
    const merged = liveOrders(p, live);
    expect(merged.map((o) => [o.id, o.status])).toEqual([
      ["3", "paid"],
      ["2", "paid"],
      ["1", "shipped"],
    ]);
    expect(unknownOrderIds(p, live)).toEqual(["3"]);
  });

  it("shows a conversation's live status and last message", () => {
    const summary = {
      id: "v-1",
      identityId: "i-1",
      storeId: "s-1",
      platform: "taobao" as const,
      storeLabel: "淘宝-旗舰店",
      status: "open" as const,
      assigneeId: null,
      lastMessagePreview: "在吗",
      lastMessageAt: "2026-01-01T00:00:00.000Z",
      createdAt: "2026-01-01T00:00:00.000Z",
    };
    const live = new Map([
      [
        "v-1",
        {
          id: "v-1",
          status: "resolved",
          assigneeId: "u-1",
          lastMessagePreview: "好的谢谢",
          lastMessageAt: "2026-01-02T00:00:00.000Z",
        } as Conversation,
      ],
    ]);
    const [shown] = liveConversations(profile({ conversations: [summary] }), live);
    expect(shown).toMatchObject({ status: "resolved", lastMessagePreview: "好的谢谢", assigneeId: "u-1" });
  });

  it("names why an identity is linked; a hand-set identity alone was split off", () => {
    expect(linkReasonKey(identity("phone_match"), 2)).toBe("customer.reason.phone_match");
    expect(linkReasonKey(identity("manual"), 2)).toBe("customer.reason.manual");
    expect(linkReasonKey(identity("manual"), 1)).toBe("customer.reason.manualSplit");
  });
});
