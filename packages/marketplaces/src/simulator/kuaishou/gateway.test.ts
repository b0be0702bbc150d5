import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PlatformError, type StoreContext } from "../../adapter.ts";
import { kuaishouAdapter } from "../../kuaishou/adapter.ts";
import { openIdOf } from "../pdd/shared-facts.ts";
import { createSimulator, type Simulator } from "../simulator.ts";

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

let sim: Simulator;
let context: StoreContext;

beforeAll(async () => {
  sim = createSimulator({ port: 0, seed: 3, stores: [store] });
  await sim.start();
  context = {
    gatewayUrl: sim.url,
    sellerId: store.sellerId,
    credentials: {
      appKey: store.appKey,
      appSecret: store.appSecret,
      signSecret: store.signSecret,
      accessToken: store.accessToken,
    },
  };
});

afterAll(async () => {
  await sim?.stop();
});

/** Follow the authorize page's 302 back to the redirect URI, as the seller's browser would. */
async function consentTo(url: string): Promise<{ code: string; state: string }> {
  const response = await fetch(url, { redirect: "manual" });
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get("location") ?? "");
  return { code: location.searchParams.get("code") ?? "", state: location.searchParams.get("state") ?? "" };
}

async function platformError(promise: Promise<unknown>): Promise<PlatformError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PlatformError);
  return error as PlatformError;
}

const simStore = () => sim.world.store(store.storeKey) ?? (undefined as never);
const buyerOf = (nick: string) => ({ platformBuyerId: openIdOf(simStore(), nick), displayName: nick });

describe("Kuaishou gateway of the simulator", () => {
  it("delivers every kind of message, deduplicating on clientMsgId", async () => {
    sim.say({ storeKey: store.storeKey, buyerNick: "快手老铁", text: "在吗" });
    const buyer = buyerOf("快手老铁");
    const text = { type: "text" as const, text: "在的，老铁 100% 正品&包邮" };
    const first = await kuaishouAdapter.send(context, { buyer, content: text, clientMessageId: "k-1" });
    const again = await kuaishouAdapter.send(context, { buyer, content: text, clientMessageId: "k-1" });
    expect(again.platformMessageId).toBe(first.platformMessageId);
    await kuaishouAdapter.send(context, {
      buyer,
      content: { type: "image", url: "https://p1.kuaishou.com/a.jpg" },
      clientMessageId: "k-2",
    });
    await kuaishouAdapter.send(context, {
      buyer,
      content: { type: "product_card", productId: "77" },
      clientMessageId: "k-3",
    });
    await kuaishouAdapter.send(context, {
      buyer,
      content: { type: "order_card", orderId: "88" },
      clientMessageId: "k-4",
    });
    expect(sim.replies({ storeKey: store.storeKey, buyerNick: "快手老铁" }).map((r) => r.text)).toEqual([
      "在的，老铁 100% 正品&包邮",
      "[图片] https://p1.kuaishou.com/a.jpg",
      "[商品] 77",
      "[订单] 88",
    ]);
  });

  it("returns a buyer's orders, one order and its parcel", async () => {
    const withOrders = sim
      .buyers({ storeKey: store.storeKey })
      .find((b) => b.orders.some((o) => o.status === "shipped"));
    if (!withOrders) throw new Error("the seed gave no buyer a shipped order");
    const orders = await kuaishouAdapter.fetchBuyerOrders(context, buyerOf(withOrders.nick));
    expect(orders.map((o) => o.orderId).sort()).toEqual(withOrders.orders.map((o) => o.orderId).sort());
    const shipped = withOrders.orders.find((o) => o.status === "shipped");
    if (!shipped) throw new Error("unreachable");
    const one = await kuaishouAdapter.fetchOrder(context, shipped.orderId);
    expect(one).toMatchObject({ status: "shipped", totalCents: shipped.amountCents });
    const trace = await kuaishouAdapter.fetchLogistics(context, shipped.orderId);
    expect(trace.trackingNo).toBe(one.logistics?.trackingNo);
    expect(trace.nodes.length).toBeGreaterThan(0);
    expect(await platformError(kuaishouAdapter.fetchOrder(context, "1"))).toMatchObject({ platformCode: "not_found" });
  });

  it("sends a coupon", async () => {
    const nick = sim.buyers({ storeKey: store.storeKey })[0]?.nick ?? "";
    expect((await kuaishouAdapter.sendCoupon(context, buyerOf(nick), "cfg-1")).couponId).toMatch(/^cfg-1/);
  });

  it("refuses a request signed with the appSecret, a missing signSecret, and a bad token", async () => {
    const buyer = buyerOf("快手老铁");
    const wrong = { ...context, credentials: { ...context.credentials, signSecret: store.appSecret } };
    expect(await platformError(kuaishouAdapter.fetchBuyerOrders(wrong, buyer))).toMatchObject({
      platformCode: "40003",
      retryable: false,
    });
    const none = { ...context, credentials: { ...context.credentials, signSecret: undefined } };
    expect(await platformError(kuaishouAdapter.fetchBuyerOrders(none, buyer))).toMatchObject({
      platformCode: "missing_sign_secret",
      retryable: false,
    });
    const badToken = { ...context, credentials: { ...context.credentials, accessToken: "old" } };
    expect(await platformError(kuaishouAdapter.fetchBuyerOrders(badToken, buyer))).toMatchObject({
      platformCode: "40005",
      retryable: false,
    });
  });

  it("turns injected 500s into retryable errors", async () => {
    sim.setFaults({ failNextSends: 1 });
    const buyer = buyerOf("快手老铁");
    expect(
      await platformError(
        kuaishouAdapter.send(context, { buyer, content: { type: "text", text: "x" }, clientMessageId: "f" }),
      ),
    ).toMatchObject({ platformCode: "http_500", retryable: true });
    sim.clearFaults();
  });

  it("authorizes with a code through the appSecret, refreshes, and refuses a spent refresh token", async () => {
    const url = kuaishouAdapter.authorization.authorizeUrl({
      gatewayUrl: sim.url,
      appKey: store.appKey,
      redirectUri: "http://127.0.0.1/cb",
      state: "k",
    });
    const consent = await consentTo(url);
    const tokens = await kuaishouAdapter.authorization.exchangeCode(context, { code: consent.code, redirectUri: "x" });
    expect(tokens).toMatchObject({ sellerId: store.sellerId });
    const granted = { ...context, credentials: { ...context.credentials, accessToken: tokens.accessToken } };
    await kuaishouAdapter.fetchBuyerOrders(granted, buyerOf("快手老铁"));
    await kuaishouAdapter.authorization.refresh(context, tokens.refreshToken ?? "");
    expect(
      await platformError(kuaishouAdapter.authorization.refresh(context, tokens.refreshToken ?? "")),
    ).toMatchObject({
      platformCode: "40008",
      retryable: false,
    });
  });
});
