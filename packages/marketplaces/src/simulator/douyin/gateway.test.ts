import { describe, expect, it } from "vitest";
import { douyinAdapter } from "../../douyin/adapter.ts";
import { consentTo, gatewayHarness, platformError } from "../gateway-harness.ts";
import { openIdOf } from "../pdd/shared-facts.ts";

// The 抖店 adapter against the simulator's open-platform gateway, over HTTP.

const store = {
  platform: "douyin" as const,
  storeKey: "dy-gw-test",
  name: "抖音旗舰店",
  sellerId: "4463798",
  appKey: "7012345678901234567",
  appSecret: "dy-gw-secret",
  accessToken: "dy-gw-token",
};

const gw = gatewayHarness(store, 5);

const simStore = () => gw.sim.world.store(store.storeKey) ?? (undefined as never);
const buyerOf = (nick: string) => ({ platformBuyerId: openIdOf(simStore(), nick), displayName: nick });

describe("抖店 gateway of the simulator", () => {
  it("delivers every kind of message, deduplicating on client_msg_id", async () => {
    gw.sim.say({ storeKey: store.storeKey, buyerNick: "抖音用户8848", text: "在吗" });
    const buyer = buyerOf("抖音用户8848");
    const text = { type: "text" as const, text: "在的亲 <3 & 欢迎" };
    const first = await douyinAdapter.send(gw.context, { buyer, content: text, clientMessageId: "d-1" });
    const again = await douyinAdapter.send(gw.context, { buyer, content: text, clientMessageId: "d-1" });
    expect(again.platformMessageId).toBe(first.platformMessageId);
    await douyinAdapter.send(gw.context, {
      buyer,
      content: { type: "image", url: "https://p3.douyinpic.com/a.jpg" },
      clientMessageId: "d-2",
    });
    await douyinAdapter.send(gw.context, {
      buyer,
      content: { type: "product_card", productId: "36001" },
      clientMessageId: "d-3",
    });
    await douyinAdapter.send(gw.context, {
      buyer,
      content: { type: "order_card", orderId: "69001" },
      clientMessageId: "d-4",
    });
    expect(gw.sim.replies({ storeKey: store.storeKey, buyerNick: "抖音用户8848" }).map((r) => r.text)).toEqual([
      "在的亲 <3 & 欢迎",
      "[图片] https://p3.douyinpic.com/a.jpg",
      "[商品] 36001",
      "[订单] 69001",
    ]);
  });

  it("refuses an external link before calling the platform", async () => {
    const buyer = buyerOf("抖音用户8848");
    const error = await platformError(
      douyinAdapter.send(gw.context, {
        buyer,
        content: { type: "text", text: "去 taobao.com 买" },
        clientMessageId: "d-5",
      }),
    );
    expect(error).toMatchObject({ platformCode: "external_link", retryable: false });
  });

  it("returns a buyer's orders, one order and its route", async () => {
    const withOrders = gw.sim
      .buyers({ storeKey: store.storeKey })
      .find((b) => b.orders.some((o) => o.status === "shipped"));
    if (!withOrders) throw new Error("the seed gave no buyer a shipped order");
    const orders = await douyinAdapter.fetchBuyerOrders(gw.context, buyerOf(withOrders.nick));
    expect(orders.map((o) => o.orderId).sort()).toEqual(withOrders.orders.map((o) => o.orderId).sort());
    const shipped = withOrders.orders.find((o) => o.status === "shipped");
    if (!shipped) throw new Error("unreachable");
    const one = await douyinAdapter.fetchOrder(gw.context, shipped.orderId);
    expect(one).toMatchObject({
      status: "shipped",
      totalCents: shipped.amountCents,
      buyer: { displayName: withOrders.nick },
    });
    const trace = await douyinAdapter.fetchLogistics(gw.context, shipped.orderId);
    expect(trace).toMatchObject({ trackingNo: one.logistics?.trackingNo, carrier: one.logistics?.carrier });
    expect(trace.nodes.length).toBeGreaterThan(0);
    expect(await platformError(douyinAdapter.fetchOrder(gw.context, "404"))).toMatchObject({
      platformCode: "not_found",
    });
    expect(await douyinAdapter.fetchBuyerOrders(gw.context, { platformBuyerId: "nobody", displayName: "x" })).toEqual(
      [],
    );
  });

  it("sends a coupon", async () => {
    const nick = gw.sim.buyers({ storeKey: store.storeKey })[0]?.nick ?? "";
    expect((await douyinAdapter.sendCoupon(gw.context, buyerOf(nick), "meta-9")).couponId).toMatch(/^meta-9/);
  });

  it("refuses a bad signature and a bad token with 40003, not retryable", async () => {
    const buyer = buyerOf("抖音用户8848");
    const forged = { ...gw.context, credentials: { ...gw.context.credentials, appSecret: "wrong" } };
    const bad = await platformError(douyinAdapter.fetchBuyerOrders(forged, buyer));
    expect(bad).toMatchObject({ platformCode: "40003", retryable: false });
    expect(bad.message).toContain("isv.signature-invalid");
    const badToken = { ...gw.context, credentials: { ...gw.context.credentials, accessToken: "old" } };
    expect(await platformError(douyinAdapter.fetchBuyerOrders(badToken, buyer))).toMatchObject({
      platformCode: "40003",
      retryable: false,
    });
  });

  it("turns an outage into a retryable error", async () => {
    gw.sim.setFaults({ down: true });
    const error = await platformError(douyinAdapter.fetchBuyerOrders(gw.context, buyerOf("抖音用户8848")));
    expect(error).toMatchObject({ platformCode: "http_503", retryable: true });
    gw.sim.clearFaults();
  });

  it("authorizes with a code, refreshes, and refuses a spent refresh token with 30001", async () => {
    const url = douyinAdapter.authorization.authorizeUrl({
      gatewayUrl: gw.sim.url,
      appKey: store.appKey,
      redirectUri: "http://127.0.0.1/cb",
      state: "s1",
    });
    const consent = await consentTo(url);
    const tokens = await douyinAdapter.authorization.exchangeCode(gw.context, { code: consent.code, redirectUri: "x" });
    expect(tokens).toMatchObject({ sellerId: store.sellerId });
    const granted = { ...gw.context, credentials: { ...gw.context.credentials, accessToken: tokens.accessToken } };
    await douyinAdapter.fetchBuyerOrders(granted, buyerOf("抖音用户8848"));
    await douyinAdapter.authorization.refresh(gw.context, tokens.refreshToken ?? "");
    expect(
      await platformError(douyinAdapter.authorization.refresh(gw.context, tokens.refreshToken ?? "")),
    ).toMatchObject({
      platformCode: "30001",
      retryable: false,
    });
  });
});
