import { describe, expect, it } from "vitest";
import { pddAdapter } from "../../pdd/adapter.ts";
import { consentTo, gatewayHarness, platformError } from "../gateway-harness.ts";
import { openIdOf } from "./shared-facts.ts";

// The Pinduoduo adapter against the simulator's POP gateway, over HTTP.

const store = {
  platform: "pdd" as const,
  storeKey: "pdd-gw-test",
  name: "拼多多旗舰店",
  sellerId: "987654",
  appKey: "pdd-client-gw",
  appSecret: "pdd-gw-secret",
  accessToken: "pdd-gw-token",
};

const gw = gatewayHarness(store, 11);

const simStore = () => gw.sim.world.store(store.storeKey) ?? (undefined as never);
const buyerOf = (nick: string) => ({ platformBuyerId: openIdOf(simStore(), nick), displayName: nick });

describe("POP gateway of the simulator", () => {
  it("delivers text, image, product and order cards, deduplicating on client_msg_id", async () => {
    gw.sim.say({ storeKey: store.storeKey, buyerNick: "拼单小王", text: "在吗" });
    const buyer = buyerOf("拼单小王");
    const first = await pddAdapter.send(gw.context, {
      buyer,
      content: { type: "text", text: "亲，在的" },
      clientMessageId: "c-1",
    });
    const again = await pddAdapter.send(gw.context, {
      buyer,
      content: { type: "text", text: "亲，在的" },
      clientMessageId: "c-1",
    });
    expect(again.platformMessageId).toBe(first.platformMessageId);
    await pddAdapter.send(gw.context, {
      buyer,
      content: { type: "image", url: "https://img.pddpic.com/a.jpg" },
      clientMessageId: "c-2",
    });
    await pddAdapter.send(gw.context, {
      buyer,
      content: { type: "product_card", productId: "123" },
      clientMessageId: "c-3",
    });
    await pddAdapter.send(gw.context, {
      buyer,
      content: { type: "order_card", orderId: "456" },
      clientMessageId: "c-4",
    });
    expect(gw.sim.replies({ storeKey: store.storeKey, buyerNick: "拼单小王" }).map((r) => r.text)).toEqual([
      "亲，在的",
      "[图片] https://img.pddpic.com/a.jpg",
      "[商品] 123",
      "[订单] 456",
    ]);
  });

  it("returns a buyer's orders, one order and its parcel", async () => {
    const withOrders = gw.sim
      .buyers({ storeKey: store.storeKey })
      .find((b) => b.orders.some((o) => o.status === "shipped"));
    if (!withOrders) throw new Error("the seed gave no buyer a shipped order");
    const orders = await pddAdapter.fetchBuyerOrders(gw.context, buyerOf(withOrders.nick));
    expect(orders.map((o) => o.orderId).sort()).toEqual(withOrders.orders.map((o) => o.orderId).sort());
    expect(orders.every((o) => o.buyer.displayName === withOrders.nick)).toBe(true);
    const shipped = withOrders.orders.find((o) => o.status === "shipped");
    if (!shipped) throw new Error("unreachable");
    const one = await pddAdapter.fetchOrder(gw.context, shipped.orderId);
    expect(one).toMatchObject({
      status: "shipped",
      totalCents: shipped.amountCents,
      items: [{ title: shipped.title }],
    });
    const trace = await pddAdapter.fetchLogistics(gw.context, shipped.orderId);
    expect(trace.trackingNo).toBe(one.logistics?.trackingNo);
    expect(trace.nodes.length).toBeGreaterThan(0);
    expect(await platformError(pddAdapter.fetchOrder(gw.context, "0"))).toMatchObject({
      platformCode: "not_found",
      retryable: false,
    });
  });

  it("sends a coupon to a known buyer only", async () => {
    const nick = gw.sim.buyers({ storeKey: store.storeKey })[0]?.nick ?? "";
    expect((await pddAdapter.sendCoupon(gw.context, buyerOf(nick), "batch-1")).couponId).toMatch(/^batch-1/);
    const stranger = { platformBuyerId: "nobody", displayName: "nobody" };
    expect(await platformError(pddAdapter.sendCoupon(gw.context, stranger, "batch-1"))).toMatchObject({
      retryable: false,
    });
  });

  it("refuses a bad signature with 20004, a bad token with 10019, neither retryable", async () => {
    const buyer = buyerOf("拼单小王");
    const forged = { ...gw.context, credentials: { ...gw.context.credentials, appSecret: "wrong" } };
    expect(
      await platformError(
        pddAdapter.send(forged, { buyer, content: { type: "text", text: "x" }, clientMessageId: "x" }),
      ),
    ).toMatchObject({ platformCode: "20004", retryable: false });
    const expired = { ...gw.context, credentials: { ...gw.context.credentials, accessToken: "expired" } };
    expect(await platformError(pddAdapter.fetchBuyerOrders(expired, buyer))).toMatchObject({
      platformCode: "10019",
      retryable: false,
    });
    const skewed = { ...gw.context, now: () => new Date(Date.now() - 11 * 60_000) };
    expect(await platformError(pddAdapter.fetchBuyerOrders(skewed, buyer))).toMatchObject({ retryable: false });
  });

  it("turns injected 500s into retryable errors", async () => {
    gw.sim.setFaults({ failNextSends: 1 });
    const buyer = buyerOf("拼单小王");
    expect(
      await platformError(
        pddAdapter.send(gw.context, { buyer, content: { type: "text", text: "x" }, clientMessageId: "f" }),
      ),
    ).toMatchObject({ platformCode: "http_500", retryable: true });
    gw.sim.clearFaults();
  });

  it("authorizes with a code, refreshes, and refuses a stale refresh token for good", async () => {
    const url = pddAdapter.authorization.authorizeUrl({
      gatewayUrl: gw.sim.url,
      appKey: store.appKey,
      redirectUri: "http://127.0.0.1/cb",
      state: "st",
    });
    const consent = await consentTo(url);
    expect(consent.state).toBe("st");
    const tokens = await pddAdapter.authorization.exchangeCode(gw.context, {
      code: consent.code,
      redirectUri: "http://127.0.0.1/cb",
    });
    expect(tokens).toMatchObject({ sellerId: store.sellerId });
    expect(tokens.expiresAt.getTime()).toBeGreaterThan(Date.now());
    const granted = { ...gw.context, credentials: { ...gw.context.credentials, accessToken: tokens.accessToken } };
    await pddAdapter.fetchBuyerOrders(granted, buyerOf("拼单小王"));

    const renewed = await pddAdapter.authorization.refresh(gw.context, tokens.refreshToken ?? "");
    expect(renewed.accessToken).not.toBe(tokens.accessToken);
    expect(await platformError(pddAdapter.authorization.refresh(gw.context, tokens.refreshToken ?? ""))).toMatchObject({
      retryable: false,
    });
    expect(
      await platformError(pddAdapter.authorization.exchangeCode(gw.context, { code: consent.code, redirectUri: "x" })),
    ).toMatchObject({ retryable: false });
  });
});
