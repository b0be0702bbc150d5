import { describe, expect, it } from "vitest";
import { kuaishouAdapter } from "../../kuaishou/adapter.ts";
import { consentTo, gatewayHarness, platformError } from "../gateway-harness.ts";
import { openIdOf } from "../pdd/shared-facts.ts";

// The Kuaishou adapter against the simulator's open platform, over HTTP.

const store = {
  platform: "kuaishou" as const,
  storeKey: "ks-gw-test",
  name: "快手旗舰店",
  sellerId: "ks_seller_gw",
  appKey: "ks_app_gw",
  appSecret: "ks-gw-app-secret",
  signSecret: "ks-gw-sign-secret",
  accessToken: "ks-gw-token",
};

const gw = gatewayHarness(store, 3);

const simStore = () => gw.sim.world.store(store.storeKey) ?? (undefined as never);
const buyerOf = (nick: string) => ({ platformBuyerId: openIdOf(simStore(), nick), displayName: nick });

describe("Kuaishou gateway of the simulator", () => {
  it("delivers every kind of message, deduplicating on clientMsgId", async () => {
    gw.sim.say({ storeKey: store.storeKey, buyerNick: "快手老铁", text: "在吗" });
    const buyer = buyerOf("快手老铁");
    const text = { type: "text" as const, text: "在的，老铁 100% 正品&包邮" };
    const first = await kuaishouAdapter.send(gw.context, { buyer, content: text, clientMessageId: "k-1" });
    const again = await kuaishouAdapter.send(gw.context, { buyer, content: text, clientMessageId: "k-1" });
    expect(again.platformMessageId).toBe(first.platformMessageId);
    await kuaishouAdapter.send(gw.context, {
      buyer,
      content: { type: "image", url: "https://p1.kuaishou.com/a.jpg" },
      clientMessageId: "k-2",
    });
    await kuaishouAdapter.send(gw.context, {
      buyer,
      content: { type: "product_card", productId: "77" },
      clientMessageId: "k-3",
    });
    await kuaishouAdapter.send(gw.context, {
      buyer,
      content: { type: "order_card", orderId: "88" },
      clientMessageId: "k-4",
    });
    expect(gw.sim.replies({ storeKey: store.storeKey, buyerNick: "快手老铁" }).map((r) => r.text)).toEqual([
      "在的，老铁 100% 正品&包邮",
      "[图片] https://p1.kuaishou.com/a.jpg",
      "[商品] 77",
      "[订单] 88",
    ]);
  });

  it("returns a buyer's orders, one order and its parcel", async () => {
    const withOrders = gw.sim
      .buyers({ storeKey: store.storeKey })
      .find((b) => b.orders.some((o) => o.status === "shipped"));
    if (!withOrders) throw new Error("the seed gave no buyer a shipped order");
    const orders = await kuaishouAdapter.fetchBuyerOrders(gw.context, buyerOf(withOrders.nick));
    expect(orders.map((o) => o.orderId).sort()).toEqual(withOrders.orders.map((o) => o.orderId).sort());
    const shipped = withOrders.orders.find((o) => o.status === "shipped");
    if (!shipped) throw new Error("unreachable");
    const one = await kuaishouAdapter.fetchOrder(gw.context, shipped.orderId);
    expect(one).toMatchObject({ status: "shipped", totalCents: shipped.amountCents });
    const trace = await kuaishouAdapter.fetchLogistics(gw.context, shipped.orderId);
    expect(trace.trackingNo).toBe(one.logistics?.trackingNo);
    expect(trace.nodes.length).toBeGreaterThan(0);
    expect(await platformError(kuaishouAdapter.fetchOrder(gw.context, "1"))).toMatchObject({
      platformCode: "not_found",
    });
  });

  it("sends a coupon", async () => {
    const nick = gw.sim.buyers({ storeKey: store.storeKey })[0]?.nick ?? "";
    expect((await kuaishouAdapter.sendCoupon(gw.context, buyerOf(nick), "cfg-1")).couponId).toMatch(/^cfg-1/);
  });

  it("refuses a request signed with the appSecret, a missing signSecret, and a bad token", async () => {
    const buyer = buyerOf("快手老铁");
    const wrong = { ...gw.context, credentials: { ...gw.context.credentials, signSecret: store.appSecret } };
    expect(await platformError(kuaishouAdapter.fetchBuyerOrders(wrong, buyer))).toMatchObject({
      platformCode: "40003",
      retryable: false,
    });
    const none = { ...gw.context, credentials: { ...gw.context.credentials, signSecret: undefined } };
    expect(await platformError(kuaishouAdapter.fetchBuyerOrders(none, buyer))).toMatchObject({
      platformCode: "missing_sign_secret",
      retryable: false,
    });
    const badToken = { ...gw.context, credentials: { ...gw.context.credentials, accessToken: "old" } };
    expect(await platformError(kuaishouAdapter.fetchBuyerOrders(badToken, buyer))).toMatchObject({
      platformCode: "40005",
      retryable: false,
    });
  });

  it("turns injected 500s into retryable errors", async () => {
    gw.sim.setFaults({ failNextSends: 1 });
    const buyer = buyerOf("快手老铁");
    expect(
      await platformError(
        kuaishouAdapter.send(gw.context, { buyer, content: { type: "text", text: "x" }, clientMessageId: "f" }),
      ),
    ).toMatchObject({ platformCode: "http_500", retryable: true });
    gw.sim.clearFaults();
  });

  it("authorizes with a code through the appSecret, refreshes, and refuses a spent refresh token", async () => {
    const url = kuaishouAdapter.authorization.authorizeUrl({
      gatewayUrl: gw.sim.url,
      appKey: store.appKey,
      redirectUri: "http://127.0.0.1/cb",
      state: "k",
    });
    const consent = await consentTo(url);
    const tokens = await kuaishouAdapter.authorization.exchangeCode(gw.context, {
      code: consent.code,
      redirectUri: "x",
    });
    expect(tokens).toMatchObject({ sellerId: store.sellerId });
    const granted = { ...gw.context, credentials: { ...gw.context.credentials, accessToken: tokens.accessToken } };
    await kuaishouAdapter.fetchBuyerOrders(granted, buyerOf("快手老铁"));
    await kuaishouAdapter.authorization.refresh(gw.context, tokens.refreshToken ?? "");
    expect(
      await platformError(kuaishouAdapter.authorization.refresh(gw.context, tokens.refreshToken ?? "")),
    ).toMatchObject({
      platformCode: "40008",
      retryable: false,
    });
  });
});
