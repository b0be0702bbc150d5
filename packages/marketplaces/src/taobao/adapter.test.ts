import { describe, expect, it } from "vitest";
import type { PushRequest } from "../adapter.ts";
import { taobaoAdapter, yuanToCents } from "./adapter.ts";
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
    const trade = { id: 1, topic: "taobao_trade_TradeCreate", content: '{"tid":1}' };
    const sticker = buyerMessage("m-2", "");
    sticker.content = sticker.content.replace('"content_type":"text","text":""', '"content_type":"sticker"');
    const result = taobaoAdapter.verifyPush(
      signedPush(JSON.stringify({ messages: [trade, sticker] })),
      credentials,
      now,
    );
    expect(result.ok && result.events.map((e) => e.content)).toEqual([
      { type: "text", text: "[暂不支持的消息类型: sticker]" },
    ]);
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
