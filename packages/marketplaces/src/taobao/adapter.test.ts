import { describe, expect, it } from "vitest";
import type { PushRequest } from "../adapter.ts";
import { yuanToCents } from "../money.ts";
import { taobaoAdapter } from "./adapter.ts";
import { formatTopTimestamp, topSign } from "./signing.ts";
import { isRetryableTopError, topResponseKey } from "./top-client.ts";

const credentials = { appKey: "tb-app-1", appSecret: "s3cret", accessToken: "session-1" };
const now = new Date("2024-11-11T03:00:00Z");

function buyerMessage(msgId: string, text: string) {
  return {
    id: 9001,
    topic: "taobao_qianniu_BuyerMessage",
    pub_time: "2024-11-11 11:00:00",
    user_nick: "云席旗舰店",
    content: JSON.stringify({
      msg_id: msgId,
      buyer_nick: "tb_小鹿跑跑",
      buyer_open_uid: "AAF-open-uid",
      content_type: "text",
      text,
      send_time: "2024-11-11 10:59:58",
    }),
  };
}

function signedPush(rawBody: string, at: Date = now, secret = credentials.appSecret): PushRequest {
  const query = { app_key: credentials.appKey, timestamp: formatTopTimestamp(at), sign_method: "hmac-sha256" };
  const sign = topSign({ ...query, body: rawBody }, secret, "hmac-sha256");
  return { headers: { "content-type": "application/json" }, query: { ...query, sign }, rawBody };
}

const goodBody = JSON.stringify({ messages: [buyerMessage("m-1", "这件有S码吗？")] });

describe("taobaoAdapter.verifyPush", () => {
  it("accepts a signed push and normalizes it", () => {
    const result = taobaoAdapter.verifyPush(signedPush(goodBody), credentials, now);
    expect(result).toEqual({
      ok: true,
      events: [
        {
          kind: "message",
          platformMessageId: "m-1",
          buyer: { platformBuyerId: "tb_小鹿跑跑", displayName: "tb_小鹿跑跑" },
          content: { type: "text", text: "这件有S码吗？" },
          sentAt: new Date("2024-11-11T02:59:58Z"),
        },
      ],
    });
  });

  it("accepts every TOP sign method", () => {
    for (const method of ["md5", "hmac", "hmac-sha256"] as const) {
      const query = { app_key: credentials.appKey, timestamp: formatTopTimestamp(now), sign_method: method };
      const sign = topSign({ ...query, body: goodBody }, credentials.appSecret, method);
      const result = taobaoAdapter.verifyPush(
        { headers: {}, query: { ...query, sign }, rawBody: goodBody },
        credentials,
        now,
      );
      expect(result.ok).toBe(true);
    }
  });

  it("refuses a forged signature, a tampered body and a foreign app_key", () => {
    const forged = signedPush(goodBody, now, "not-the-secret");
    expect(taobaoAdapter.verifyPush(forged, credentials, now)).toMatchObject({ ok: false, reason: "bad_signature" });

    const tampered = { ...signedPush(goodBody), rawBody: goodBody.replace("S码", "M码") };
    expect(taobaoAdapter.verifyPush(tampered, credentials, now)).toMatchObject({ ok: false, reason: "bad_signature" });

    const otherApp = { ...credentials, appKey: "someone-else" };
    expect(taobaoAdapter.verifyPush(signedPush(goodBody), otherApp, now)).toMatchObject({
      ok: false,
      reason: "bad_signature",
    });

    const unsigned = { headers: {}, query: {}, rawBody: goodBody };
    expect(taobaoAdapter.verifyPush(unsigned, credentials, now)).toMatchObject({ ok: false, reason: "bad_signature" });
  });

  it("refuses a push more than 5 minutes old or ahead", () => {
    const old = signedPush(goodBody, new Date(now.getTime() - 5 * 60_000 - 1000));
    expect(taobaoAdapter.verifyPush(old, credentials, now)).toMatchObject({ ok: false, reason: "stale_timestamp" });
    const ahead = signedPush(goodBody, new Date(now.getTime() + 5 * 60_000 + 1000));
    expect(taobaoAdapter.verifyPush(ahead, credentials, now)).toMatchObject({ ok: false, reason: "stale_timestamp" });
    const edge = signedPush(goodBody, new Date(now.getTime() - 4 * 60_000));
    expect(taobaoAdapter.verifyPush(edge, credentials, now).ok).toBe(true);
  });

  it("refuses malformed bodies that are correctly signed", () => {
    for (const body of [
      "{not json",
      JSON.stringify({ messages: [] }),
      JSON.stringify({ messages: [{ id: 1, topic: "taobao_qianniu_BuyerMessage", content: "{oops" }] }),
      JSON.stringify({ messages: [{ id: 1, topic: "taobao_qianniu_BuyerMessage", content: '{"msg_id":"x"}' }] }),
    ]) {
      expect(taobaoAdapter.verifyPush(signedPush(body), credentials, now)).toMatchObject({
        ok: false,
        reason: "malformed",
      });
    }
  });

  it("skips topics it does not normalize and keeps unknown content types visible", () => {
    const trade = { id: 1, topic: "taobao_trade_TradeChanged", content: '{"tid":1}' };
    const sticker = buyerMessage("m-2", "");
    sticker.content = sticker.content.replace('"content_type":"text","text":""', '"content_type":"sticker"');
    const result = taobaoAdapter.verifyPush(
      signedPush(JSON.stringify({ messages: [trade, sticker] })),
      credentials,
      now,
    );
    expect(result.ok && result.events.map((e) => e.kind === "message" && e.content)).toEqual([
      { type: "text", text: "[暂不支持的消息类型: sticker]" },
    ]);
  });
});

function tmc(id: number, topic: string, content: Record<string, unknown>) {
  return { id, topic, pub_time: "2024-11-11 11:00:00", user_nick: "云席旗舰店", content: JSON.stringify(content) };
}

describe("taobao order, read and evaluation pushes", () => {
  const trade = {
    tid: "4123456789012345678",
    tid_str: "4123456789012345678",
    status: "WAIT_BUYER_CONFIRM_GOODS",
    payment: "258.00",
    created: "2024-11-10 20:00:00",
    pay_time: "2024-11-10 20:01:00",
    consign_time: "2024-11-11 09:00:00",
    buyer_nick: "tb_小鹿跑跑",
    receiver_mobile: "13800138000",
    orders: {
      order: [
        {
          oid: 1,
          num_iid: 600001000001,
          title: "纯棉宽松短袖T恤",
          sku_properties_name: "颜色分类:黑色;尺码:L",
          num: 2,
          price: "129.00",
          refund_status: "NO_REFUND",
          logistics_company: "中通快递",
          invoice_no: "ZT1234567890",
          estimate_con_time: "2024-11-12 20:01:00",
        },
      ],
    },
  };

  it("normalizes trade, refund, sign, read and rating topics", () => {
    const body = JSON.stringify({
      messages: [
        tmc(1, "taobao_trade_TradeSellerShip", { tid: trade.tid, buyer_nick: trade.buyer_nick, trade }),
        tmc(2, "taobao_refund_RefundCreated", {
          tid: trade.tid,
          refund_id: 77,
          trade: { ...trade, orders: { order: [{ ...trade.orders.order[0], refund_status: "WAIT_SELLER_AGREE" }] } },
        }),
        // Written as TMC sends it: the 64-bit tid as a bare JSON number.
        {
          ...tmc(3, "taobao_logistics_LogsticDetailTrace", {}),
          content: '{"tid":4123456789012345678,"action":"TMS_SIGN","time":"2024-11-12 10:00:00"}',
        },
        tmc(4, "taobao_logistics_LogsticDetailTrace", {
          tid: trade.tid,
          action: "TMS_DELIVERING",
          time: "2024-11-12 08:00:00",
        }),
        tmc(5, "taobao_qianniu_BuyerRead", { buyer_nick: "tb_小鹿跑跑", read_time: "2024-11-11 10:59:59" }),
        tmc(6, "taobao_traderate_TradeRate", {
          rate_id: 9,
          tid: "4123456789012345678",
          buyer_nick: "tb_小鹿跑跑",
          result: "neutral",
          content: "一般",
          created: "2024-11-15 10:00:00",
        }),
        tmc(7, "taobao_qianniu_ServiceEvaluation", {
          evaluation_id: 10,
          buyer_nick: "tb_小鹿跑跑",
          score: 5,
          eval_time: "2024-11-11 11:00:00",
        }),
      ],
    });
    const result = taobaoAdapter.verifyPush(signedPush(body), credentials, now);
    if (!result.ok) throw new Error(result.message);
    const [shipped, refund, signed, read, rate, service] = result.events;
    expect(result.events).toHaveLength(6);
    expect(shipped).toMatchObject({
      kind: "order",
      eventId: "1",
      change: "shipped",
      order: {
        orderId: "4123456789012345678",
        status: "shipped",
        platformStatus: "WAIT_BUYER_CONFIRM_GOODS",
        totalCents: 25800,
        items: [{ productId: "600001000001", quantity: 2, priceCents: 12900, sku: "颜色分类:黑色;尺码:L" }],
        paidAt: new Date("2024-11-10T12:01:00Z"),
        promisedShipAt: new Date("2024-11-12T12:01:00Z"),
        logistics: { carrier: "中通快递", trackingNo: "ZT1234567890" },
        receiverPhone: "13800138000",
      },
    });
    expect(refund).toMatchObject({ kind: "order", change: "refund_requested", order: { status: "refunding" } });
    // Without the full trade the order is thin: id and what the documented fields say.
    expect(signed).toMatchObject({
      kind: "order",
      change: "delivered",
      order: { orderId: "4123456789012345678", items: [] },
    });
    expect(read).toEqual({ kind: "read", buyer: expect.any(Object), readAt: new Date("2024-11-11T02:59:59Z") });
    expect(rate).toMatchObject({ kind: "evaluation", score: 3, orderId: "4123456789012345678", comment: "一般" });
    expect(service).toMatchObject({ kind: "evaluation", score: 5, comment: "" });
  });

  it("refuses a correctly signed order push with a broken content", () => {
    const body = JSON.stringify({ messages: [tmc(1, "taobao_trade_TradeCreate", { buyer_nick: "x" })] });
    expect(taobaoAdapter.verifyPush(signedPush(body), credentials, now)).toMatchObject({
      ok: false,
      reason: "malformed",
    });
  });
});

describe("taobao helpers", () => {
  it("acknowledges with code 0", () => {
    expect(JSON.parse(taobaoAdapter.acknowledgePush().body)).toEqual({ code: 0, msg: "success" });
  });

  it("names TOP response envelopes", () => {
    expect(topResponseKey("taobao.trades.sold.get")).toBe("trades_sold_get_response");
  });

  it("classifies TOP errors", () => {
    expect(isRetryableTopError({ code: 7 })).toBe(true);
    expect(isRetryableTopError({ code: 15, sub_code: "isp.remote-service-timeout" })).toBe(true);
    expect(isRetryableTopError({ code: 15, sub_code: "isv.invalid-parameter" })).toBe(false);
    expect(isRetryableTopError({ code: 25 })).toBe(false);
    expect(isRetryableTopError({ code: 27 })).toBe(false);
  });

  it("converts yuan to cents exactly", () => {
    expect(yuanToCents("199.90")).toBe(19990);
    expect(yuanToCents("0.1")).toBe(10);
    expect(yuanToCents("12")).toBe(1200);
    expect(yuanToCents("bad")).toBe(0);
  });
});
