import { describe, expect, it } from "vitest";
import type { SimStore } from "../simulator/options.ts";
import { encodePddEvent, encodePddPush } from "../simulator/pdd/push-encoder.ts";
import type { SimOrder } from "../simulator/world.ts";
import { pddAdapter } from "./adapter.ts";
import { PddOrder, pddOrderStatus } from "./order-format.ts";
import { isRetryablePopError } from "./pop-client.ts";
import { popSign } from "./signing.ts";

const store: SimStore = {
  platform: "pdd",
  storeKey: "pdd-test",
  name: "拼多多店",
  sellerId: "100200300",
  appKey: "pdd-client",
  appSecret: "pdd-secret",
  accessToken: "pdd-token",
  signMethod: "md5",
};
const credentials = { appKey: store.appKey, appSecret: store.appSecret };
const now = new Date("2024-11-11T02:00:00Z");

function asRequest(push: { query: Record<string, string>; headers: Record<string, string>; body: string }) {
  return { query: push.query, headers: push.headers, rawBody: push.body };
}

const message = {
  msgId: "m-1",
  envelopeId: 42,
  platform: "pdd" as const,
  storeKey: store.storeKey,
  buyerNick: "多多买家",
  text: "还有货吗",
  createdAt: now,
};

describe("Pinduoduo push verification", () => {
  it("accepts a signed buyer message and gives the per-shop open id with the nick as display name", () => {
    const result = pddAdapter.verifyPush(asRequest(encodePddPush(store, message, now)), credentials, now);
    expect(result).toMatchObject({
      ok: true,
      events: [
        {
          kind: "message",
          platformMessageId: "m-1",
          buyer: { displayName: "多多买家" },
          content: { type: "text", text: "还有货吗" },
          sentAt: now,
        },
      ],
    });
    if (!result.ok) throw new Error("refused");
    const event = result.events[0];
    expect(event?.kind === "message" && event.buyer.platformBuyerId).not.toBe("多多买家");
  });

  it("refuses a forged signature, another app's push and a replay outside 5 minutes", () => {
    const push = encodePddPush(store, message, now);
    const forged = { ...push, body: push.body.replace("还有货吗", "退款") };
    expect(pddAdapter.verifyPush(asRequest(forged), credentials, now)).toMatchObject({
      ok: false,
      reason: "bad_signature",
    });
    expect(pddAdapter.verifyPush(asRequest(push), { ...credentials, appKey: "other" }, now)).toMatchObject({
      ok: false,
      reason: "bad_signature",
    });
    const late = new Date(now.getTime() + 6 * 60_000);
    expect(pddAdapter.verifyPush(asRequest(push), credentials, late)).toMatchObject({
      ok: false,
      reason: "stale_timestamp",
    });
  });

  it("refuses a well-signed body that is not a command, and takes a heartbeat as no events", () => {
    const sign = (body: string) => {
      const query = { client_id: store.appKey, timestamp: String(now.getTime() / 1000) };
      return { query: { ...query, sign: popSign({ ...query, body }, store.appSecret) }, headers: {}, rawBody: body };
    };
    expect(pddAdapter.verifyPush(sign("{not json"), credentials, now)).toMatchObject({
      ok: false,
      reason: "malformed",
    });
    expect(pddAdapter.verifyPush(sign('{"commandType":"HeartBeat"}'), credentials, now)).toEqual({
      ok: true,
      events: [],
    });
  });

  it("turns documented trade and refund topics into order events, and skips what PDD does not push", () => {
    const order: SimOrder = {
      orderId: "2411110012345678901",
      storeKey: store.storeKey,
      buyerNick: "多多买家",
      productId: "600001000000",
      title: "纯棉宽松短袖T恤",
      status: "shipped",
      amountCents: 5990,
      createdAt: new Date("2024-11-10T02:00:00Z"),
      paidAt: new Date("2024-11-10T02:01:00Z"),
      shippedAt: new Date("2024-11-10T10:00:00Z"),
      receiverPhone: "13800001111",
      logistics: { carrier: "中通快递", trackingNo: "ZT123", nodes: [] },
    };
    const base = { envelopeId: 7, platform: "pdd" as const, storeKey: store.storeKey, order, createdAt: now };
    const shipped = encodePddEvent(store, { kind: "order", event: { ...base, eventId: "e1", change: "shipped" } }, now);
    if (!shipped) throw new Error("shipped is pushed");
    expect(JSON.parse(shipped.body).message.type).toBe("pdd_trade_TradeSellerShip");
    const result = pddAdapter.verifyPush(asRequest(shipped), credentials, now);
    expect(result).toMatchObject({
      ok: true,
      events: [
        {
          kind: "order",
          eventId: "7",
          change: "shipped",
          at: order.shippedAt,
          order: {
            orderId: order.orderId,
            status: "shipped",
            platformStatus: "已发货待签收",
            totalCents: 5990,
            paidAt: order.paidAt,
            receiverPhone: "13800001111",
            logistics: { carrier: "中通快递", trackingNo: "ZT123" },
            items: [{ productId: "600001000000", quantity: 1, priceCents: 5990 }],
          },
        },
      ],
    });
    expect(encodePddEvent(store, { kind: "order", event: { ...base, eventId: "e2", change: "created" } }, now)).toBe(
      undefined,
    );
  });

  it("parses read receipts and evaluations", () => {
    const common = { envelopeId: 9, platform: "pdd" as const, storeKey: store.storeKey, buyerNick: "多多买家" };
    const read = encodePddEvent(store, { kind: "read", event: { ...common, eventId: "r1", createdAt: now } }, now);
    const rated = encodePddEvent(
      store,
      {
        kind: "evaluation",
        event: { ...common, eventId: "c1", orderId: "123", score: 4, comment: "好", createdAt: now },
      },
      now,
    );
    if (!read || !rated) throw new Error("pushed");
    expect(pddAdapter.verifyPush(asRequest(read), credentials, now)).toMatchObject({
      ok: true,
      events: [{ kind: "read", readAt: now, buyer: { displayName: "多多买家" } }],
    });
    expect(pddAdapter.verifyPush(asRequest(rated), credentials, now)).toMatchObject({
      ok: true,
      events: [{ kind: "evaluation", eventId: "9", orderId: "123", score: 4, comment: "好" }],
    });
  });
});

describe("Pinduoduo statuses and errors", () => {
  const order = (fields: Partial<PddOrder>) =>
    PddOrder.parse({
      order_sn: "1",
      order_status: 1,
      pay_amount: 1,
      created_time: "2024-11-11 08:00:00",
      pay_time: "2024-11-11 08:01:00",
      buyer_open_id: "o",
      ...fields,
    });

  it("maps order, refund and confirm status to one status", () => {
    expect(pddOrderStatus(order({})).status).toBe("paid");
    expect(pddOrderStatus(order({ confirm_status: 0 })).status).toBe("unpaid");
    expect(pddOrderStatus(order({ order_status: 2 })).status).toBe("shipped");
    expect(pddOrderStatus(order({ order_status: 3 })).status).toBe("delivered");
    expect(pddOrderStatus(order({ refund_status: 2 })).status).toBe("refunding");
    expect(pddOrderStatus(order({ refund_status: 4 })).status).toBe("refunded");
    expect(pddOrderStatus(order({ confirm_status: 2 })).status).toBe("closed");
  });

  it("retries rate limits and platform faults only", () => {
    expect(isRetryablePopError({ error_code: 70031 })).toBe(true);
    expect(isRetryablePopError({ error_code: 50001 })).toBe(true);
    expect(isRetryablePopError({ error_code: 20004 })).toBe(false);
    expect(isRetryablePopError({ error_code: 10019 })).toBe(false);
  });

  it("points the authorize link at fuwu.pinduoduo.com, or at a simulator beside its gateway", () => {
    const input = { appKey: "c1", redirectUri: "https://yunxi.example/cb", state: "s" };
    expect(pddAdapter.authorization.authorizeUrl({ ...input, gatewayUrl: "https://gw-api.pinduoduo.com" })).toBe(
      "https://fuwu.pinduoduo.com/service-market/auth?response_type=code&client_id=c1&redirect_uri=https%3A%2F%2Fyunxi.example%2Fcb&state=s",
    );
    expect(pddAdapter.authorization.authorizeUrl({ ...input, gatewayUrl: "http://127.0.0.1:9/" })).toMatch(
      /^http:\/\/127\.0\.0\.1:9\/service-market\/auth\?/,
    );
  });
});
