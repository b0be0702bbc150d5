import { describe, expect, it } from "vitest";
import { encodeDouyinEvent, encodeDouyinPush } from "../simulator/douyin/push-encoder.ts";
import type { SimStore } from "../simulator/options.ts";
import type { SimOrder } from "../simulator/world.ts";
import { douyinAdapter } from "./adapter.ts";
import { isRetryableDouyinError } from "./open-client.ts";
import { DouyinOrder, douyinOrderStatus } from "./order-format.ts";
import { douyinPushSign } from "./signing.ts";

const store: SimStore = {
  platform: "douyin",
  storeKey: "dy-test",
  name: "抖音小店",
  sellerId: "4463798",
  appKey: "7012345678901234567",
  appSecret: "dy-secret",
  accessToken: "dy-token",
  signMethod: "hmac-sha256",
};
const credentials = { appKey: store.appKey, appSecret: store.appSecret };
const now = new Date("2024-11-11T02:00:00Z");
const asRequest = (p: { query: Record<string, string>; headers: Record<string, string>; body: string }) => ({
  query: p.query,
  headers: p.headers,
  rawBody: p.body,
});

const message = {
  msgId: "im-1",
  envelopeId: 77,
  platform: "douyin" as const,
  storeKey: store.storeKey,
  buyerNick: "抖音用户小李",
  text: "直播间说的优惠还有吗",
  createdAt: now,
};

describe("抖店 push verification", () => {
  it("accepts a signed IM push and gives the doudian_open_id with the nick as display name", () => {
    const push = encodeDouyinPush(store, message, now);
    const result = douyinAdapter.verifyPush(asRequest(push), credentials, now);
    expect(result).toMatchObject({
      ok: true,
      events: [
        {
          kind: "message",
          platformMessageId: "im-1",
          buyer: { displayName: "抖音用户小李" },
          content: { type: "text", text: "直播间说的优惠还有吗" },
        },
      ],
    });
    expect(douyinAdapter.acknowledgePush()).toMatchObject({ status: 200, body: '{"code":0,"msg":"success"}' });
  });

  it("refuses a forged body, a wrong app and a replay older than 24 hours", () => {
    const push = encodeDouyinPush(store, message, now);
    const forged = { ...push, body: push.body.replace("优惠", "退款") };
    expect(douyinAdapter.verifyPush(asRequest(forged), credentials, now)).toMatchObject({ reason: "bad_signature" });
    expect(douyinAdapter.verifyPush(asRequest(push), { ...credentials, appKey: "other" }, now)).toMatchObject({
      reason: "bad_signature",
    });
    const later = new Date(now.getTime() + 25 * 3600_000);
    expect(douyinAdapter.verifyPush(asRequest(push), credentials, later)).toMatchObject({ reason: "stale_timestamp" });
  });

  it("refuses a signed body that is not a push array", () => {
    const body = '{"tag":"101"}';
    const request = {
      query: {},
      headers: { "event-sign": douyinPushSign(store.appKey, body, store.appSecret) },
      rawBody: body,
    };
    expect(douyinAdapter.verifyPush(request, credentials, now)).toMatchObject({ reason: "malformed" });
  });

  it("turns order and after-sales tags into order events", () => {
    const order: SimOrder = {
      orderId: "6923456789012345678",
      storeKey: store.storeKey,
      buyerNick: "抖音用户小李",
      productId: "3600000001",
      title: "玻尿酸补水面膜",
      status: "refunding",
      amountCents: 8900,
      createdAt: new Date("2024-11-10T02:00:00Z"),
      paidAt: new Date("2024-11-10T02:00:30Z"),
      refund: { requestedAt: now, reason: "不想要了" },
    };
    const base = { envelopeId: 8, platform: "douyin" as const, storeKey: store.storeKey, order, createdAt: now };
    const push = encodeDouyinEvent(
      store,
      { kind: "order", event: { ...base, eventId: "a", change: "refund_requested" } },
      now,
    );
    if (!push) throw new Error("pushed");
    expect(JSON.parse(push.body)[0].tag).toBe("200");
    expect(douyinAdapter.verifyPush(asRequest(push), credentials, now)).toMatchObject({
      ok: true,
      events: [
        {
          kind: "order",
          eventId: "8",
          change: "refund_requested",
          at: now,
          order: { orderId: order.orderId, status: "refunding", totalCents: 8900, paidAt: order.paidAt },
        },
      ],
    });
    const refunded = { ...order, status: "refunded" as const };
    const success = encodeDouyinEvent(
      store,
      { kind: "order", event: { ...base, order: refunded, eventId: "b", change: "refund_agreed" } },
      now,
    );
    expect(JSON.parse(success?.body ?? "[]")[0].tag).toBe("206");
  });

  it("parses read receipts and evaluations", () => {
    const common = { envelopeId: 5, platform: "douyin" as const, storeKey: store.storeKey, buyerNick: "抖音用户小李" };
    const read = encodeDouyinEvent(store, { kind: "read", event: { ...common, eventId: "r", createdAt: now } }, now);
    const rated = encodeDouyinEvent(
      store,
      {
        kind: "evaluation",
        event: { ...common, eventId: "c", orderId: null, score: 2, comment: "一般", createdAt: now },
      },
      now,
    );
    if (!read || !rated) throw new Error("pushed");
    expect(douyinAdapter.verifyPush(asRequest(read), credentials, now)).toMatchObject({
      events: [{ kind: "read", readAt: now }],
    });
    expect(douyinAdapter.verifyPush(asRequest(rated), credentials, now)).toMatchObject({
      events: [{ kind: "evaluation", score: 2, comment: "一般", orderId: undefined }],
    });
  });
});

describe("抖店 statuses and errors", () => {
  const order = (fields: Record<string, unknown>) =>
    DouyinOrder.parse({
      order_id: "1",
      order_status: 2,
      create_time: 1,
      pay_amount: 1,
      doudian_open_id: "o",
      ...fields,
    });

  it("maps order_status and refunds to one status", () => {
    expect(douyinOrderStatus(order({ order_status: 1 })).status).toBe("unpaid");
    expect(douyinOrderStatus(order({ order_status: 105 })).status).toBe("paid");
    expect(douyinOrderStatus(order({ order_status: 101 })).status).toBe("shipped");
    expect(douyinOrderStatus(order({ order_status: 3 })).status).toBe("shipped");
    expect(douyinOrderStatus(order({ order_status: 4 })).status).toBe("closed");
    expect(douyinOrderStatus(order({ order_status: 5 })).status).toBe("completed");
    const sku = { product_id: "p", product_name: "n", item_num: 1, origin_amount: 1 };
    const refund = (s: number) => order({ sku_order_list: [{ ...sku, after_sale_info: { refund_status: s } }] });
    expect(douyinOrderStatus(refund(1)).status).toBe("refunding");
    expect(douyinOrderStatus(refund(3)).status).toBe("refunded");
  });

  it("retries service errors and flow control only", () => {
    expect(isRetryableDouyinError({ code: 20000, sub_code: "dop.service-error" })).toBe(true);
    expect(isRetryableDouyinError({ code: 40003, sub_code: "isv.signature-invalid" })).toBe(false);
    expect(isRetryableDouyinError({ code: 30001, sub_code: "dop.authorization-no-existed" })).toBe(false);
  });
});
