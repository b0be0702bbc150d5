import { describe, expect, it } from "vitest";
import { encodeKuaishouEvent, encodeKuaishouPush } from "../simulator/kuaishou/push-encoder.ts";
import type { SimStore } from "../simulator/options.ts";
import type { SimOrder } from "../simulator/world.ts";
import { kuaishouAdapter } from "./adapter.ts";
import { isRetryableKuaishouResult } from "./open-client.ts";
import { KuaishouOrder, kuaishouOrderStatus } from "./order-format.ts";
import { kuaishouSign } from "./signing.ts";

const store: SimStore = {
  platform: "kuaishou",
  storeKey: "ks-test",
  name: "快手小店",
  sellerId: "ks_seller_1",
  appKey: "ks650488674676453513",
  appSecret: "ks-app-secret",
  signSecret: "ks-sign-secret",
  accessToken: "ks-token",
  signMethod: "hmac-sha256",
};
const credentials = { appKey: store.appKey, appSecret: store.appSecret, signSecret: "ks-sign-secret" };
const now = new Date("2024-11-11T02:00:00Z");
const asRequest = (p: { query: Record<string, string>; headers: Record<string, string>; body: string }) => ({
  query: p.query,
  headers: p.headers,
  rawBody: p.body,
});

const message = {
  msgId: "k-1",
  envelopeId: 31,
  platform: "kuaishou" as const,
  storeKey: store.storeKey,
  buyerNick: "老铁666",
  text: "主播说的赠品有吗",
  createdAt: now,
};

describe("Kuaishou push verification", () => {
  it("accepts a push signed with the signSecret and gives the buyerOpenId with the nick as display name", () => {
    expect(
      kuaishouAdapter.verifyPush(asRequest(encodeKuaishouPush(store, message, now)), credentials, now),
    ).toMatchObject({
      ok: true,
      events: [
        {
          kind: "message",
          platformMessageId: "k-1",
          buyer: { displayName: "老铁666" },
          content: { type: "text", text: "主播说的赠品有吗" },
          sentAt: now,
        },
      ],
    });
  });

  it("refuses a push signed with the appSecret, a forged body, a missing signSecret and a replay", () => {
    const push = encodeKuaishouPush(store, message, now);
    const withAppSecret = {
      ...push,
      query: { ...push.query, sign: kuaishouSign({ ...push.query, param: push.body }, store.appSecret, "HMAC_SHA256") },
    };
    expect(kuaishouAdapter.verifyPush(asRequest(withAppSecret), credentials, now)).toMatchObject({
      reason: "bad_signature",
    });
    const forged = { ...push, body: push.body.replace("赠品", "退款") };
    expect(kuaishouAdapter.verifyPush(asRequest(forged), credentials, now)).toMatchObject({ reason: "bad_signature" });
    expect(
      kuaishouAdapter.verifyPush(asRequest(push), { appKey: store.appKey, appSecret: store.appSecret }, now),
    ).toMatchObject({ reason: "bad_signature" });
    expect(
      kuaishouAdapter.verifyPush(asRequest(push), credentials, new Date(now.getTime() + 6 * 60_000)),
    ).toMatchObject({ reason: "stale_timestamp" });
  });

  it("turns order events into order events with the order's snapshot", () => {
    const order: SimOrder = {
      orderId: "2419000000000001",
      storeKey: store.storeKey,
      buyerNick: "老铁666",
      productId: "ks-item-1",
      title: "加绒雪地靴女冬季",
      status: "paid",
      amountCents: 15900,
      createdAt: new Date("2024-11-11T01:00:00Z"),
      paidAt: new Date("2024-11-11T01:01:00Z"),
      promisedShipAt: new Date("2024-11-13T01:01:00Z"),
      receiverPhone: "13900002222",
    };
    const push = encodeKuaishouEvent(
      store,
      {
        kind: "order",
        event: {
          eventId: "o",
          envelopeId: 4,
          platform: "kuaishou",
          storeKey: store.storeKey,
          change: "paid",
          order,
          createdAt: now,
        },
      },
      now,
    );
    if (!push) throw new Error("pushed");
    expect(kuaishouAdapter.verifyPush(asRequest(push), credentials, now)).toMatchObject({
      ok: true,
      events: [
        {
          kind: "order",
          eventId: "4",
          change: "paid",
          order: {
            orderId: order.orderId,
            status: "paid",
            platformStatus: "已付款",
            totalCents: 15900,
            promisedShipAt: order.promisedShipAt,
            receiverPhone: "13900002222",
          },
        },
      ],
    });
  });

  it("parses read receipts and evaluations", () => {
    const common = { envelopeId: 6, platform: "kuaishou" as const, storeKey: store.storeKey, buyerNick: "老铁666" };
    const read = encodeKuaishouEvent(store, { kind: "read", event: { ...common, eventId: "r", createdAt: now } }, now);
    const rated = encodeKuaishouEvent(
      store,
      {
        kind: "evaluation",
        event: { ...common, eventId: "c", orderId: "9", score: 5, comment: "好评", createdAt: now },
      },
      now,
    );
    if (!read || !rated) throw new Error("pushed");
    expect(kuaishouAdapter.verifyPush(asRequest(read), credentials, now)).toMatchObject({
      events: [{ kind: "read", readAt: now }],
    });
    expect(kuaishouAdapter.verifyPush(asRequest(rated), credentials, now)).toMatchObject({
      events: [{ kind: "evaluation", orderId: "9", score: 5, comment: "好评" }],
    });
  });
});

describe("Kuaishou statuses and errors", () => {
  const order = (status: number, refunds: number[] = []) =>
    KuaishouOrder.parse({
      orderBaseInfo: { oid: "1", status, createTime: 1, totalFee: 1, buyerOpenId: "o" },
      orderItemInfo: { itemId: "i", itemTitle: "t", num: 1, price: 1 },
      orderRefundList: refunds.map((refundStatus) => ({ refundStatus })),
    });

  it("maps status and refunds to one status", () => {
    expect([10, 30, 40, 50, 70, 80].map((s) => kuaishouOrderStatus(order(s)).status)).toEqual([
      "unpaid",
      "paid",
      "shipped",
      "delivered",
      "completed",
      "closed",
    ]);
    expect(kuaishouOrderStatus(order(40, [10])).status).toBe("refunding");
    expect(kuaishouOrderStatus(order(40, [60])).status).toBe("refunded");
  });

  it("retries the quota and platform faults only", () => {
    expect(isRetryableKuaishouResult(802006)).toBe(true);
    expect(isRetryableKuaishouResult(50001)).toBe(true);
    expect(isRetryableKuaishouResult(40003)).toBe(false);
  });
});
