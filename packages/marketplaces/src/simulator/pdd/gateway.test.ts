import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PlatformError, type StoreContext } from "../../adapter.ts";
import { pddAdapter } from "../../pdd/adapter.ts";
import { createSimulator, type Simulator } from "../simulator.ts";
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

let sim: Simulator;
let context: StoreContext;

beforeAll(async () => {
  sim = createSimulator({ port: 0, seed: 11, stores: [store] });
  await sim.start();
  context = {
    gatewayUrl: sim.url,
    sellerId: store.sellerId,
    credentials: { appKey: store.appKey, appSecret: store.appSecret, accessToken: store.accessToken },
  };
});

afterAll(async () => {
  await sim.stop();
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

describe("POP gateway of the simulator", () => {
  it("delivers text, image, product and order cards, deduplicating on client_msg_id", async () => {
    sim.say({ storeKey: store.storeKey, buyerNick: "拼单小王", text: "在吗" });
    const buyer = buyerOf("拼单小王");
    const first = await pddAdapter.send(context, {
      buyer,
      content: { type: "text", text: "亲，在的" },
      clientMessageId: "c-1",
    });
    const again = await pddAdapter.send(context, {
      buyer,
      content: { type: "text", text: "亲，在的" },
      clientMessageId: "c-1",
    });
    expect(again.platformMessageId).toBe(first.platformMessageId);
    await pddAdapter.send(context, {
      buyer,
      content: { type: "image", url: "https://img.pddpic.com/a.jpg" },
      clientMessageId: "c-2",
    });
    await pddAdapter.send(context, {
      buyer,
      content: { type: "product_card", productId: "123" },
      clientMessageId: "c-3",
    });
    await pddAdapter.send(context, { buyer, content: { type: "order_card", orderId: "456" }, clientMessageId: "c-4" });
    expect(sim.replies({ storeKey: store.storeKey, buyerNick: "拼单小王" }).map((r) => r.text)).toEqual([
      "亲，在的",
      "[图片] https://img.pddpic.com/a.jpg",
      "[商品] 123",
      "[订单] 456",
    ]);
  });

  it("returns a buyer's orders, one order and its parcel", async () => {
    const withOrders = sim
      .buyers({ storeKey: store.storeKey })
      .find((b) => b.orders.some((o) => o.status === "shipped"));
    if (!withOrders) throw new Error("the seed gave no buyer a shipped order");
    const orders = await pddAdapter.fetchBuyerOrders(context, buyerOf(withOrders.nick));
    expect(orders.map((o) => o.orderId).sort()).toEqual(withOrders.orders.map((o) => o.orderId).sort());
    expect(orders.every((o) => o.buyer.displayName === withOrders.nick)).toBe(true);
    const shipped = withOrders.orders.find((o) => o.status === "shipped");
    if (!shipped) throw new Error("unreachable");
    const one = await pddAdapter.fetchOrder(context, shipped.orderId);
    expect(one).toMatchObject({
      status: "shipped",
      totalCents: shipped.amountCents,
      items: [{ title: shipped.title }],
    });
    const trace = await pddAdapter.fetchLogistics(context, shipped.orderId);
    expect(trace.trackingNo).toBe(one.logistics?.trackingNo);
    expect(trace.nodes.length).toBeGreaterThan(0);
    expect(await platformError(pddAdapter.fetchOrder(context, "0"))).toMatchObject({
      platformCode: "not_found",
      retryable: false,
    });
  });

  it("sends a coupon to a known buyer only", async () => {
    const nick = sim.buyers({ storeKey: store.storeKey })[0]?.nick ?? "";
    expect((await pddAdapter.sendCoupon(context, buyerOf(nick), "batch-1")).couponId).toMatch(/^batch-1/);
    const stranger = { platformBuyerId: "nobody", displayName: "nobody" };
    expect(await platformError(pddAdapter.sendCoupon(context, stranger, "batch-1"))).toMatchObject({
      retryable: false,
    });
  });

  it("refuses a bad signature with 20004, a bad token with 10019, neither retryable", async () => {
    const buyer = buyerOf("拼单小王");
    const forged = { ...context, credentials: { ...context.credentials, appSecret: "wrong" } };
    expect(
      await platformError(
        pddAdapter.send(forged, { buyer, content: { type: "text", text: "x" }, clientMessageId: "x" }),
      ),
    ).toMatchObject({ platformCode: "20004", retryable: false });
    const expired = { ...context, credentials: { ...context.credentials, accessToken: "expired" } };
    expect(await platformError(pddAdapter.fetchBuyerOrders(expired, buyer))).toMatchObject({
      platformCode: "10019",
      retryable: false,
    });
    const skewed = { ...context, now: () => new Date(Date.now() - 11 * 60_000) };
    expect(await platformError(pddAdapter.fetchBuyerOrders(skewed, buyer))).toMatchObject({ retryable: false });
  });

  it("turns injected 500s into retryable errors", async () => {
    sim.setFaults({ failNextSends: 1 });
    const buyer = buyerOf("拼单小王");
    expect(
      await platformError(
        pddAdapter.send(context, { buyer, content: { type: "text", text: "x" }, clientMessageId: "f" }),
      ),
    ).toMatchObject({ platformCode: "http_500", retryable: true });
    sim.clearFaults();
  });

  it("authorizes with a code, refreshes, and refuses a stale refresh token for good", async () => {
    const url = pddAdapter.authorization.authorizeUrl({
      gatewayUrl: sim.url,
      appKey: store.appKey,
      redirectUri: "http://127.0.0.1/cb",
      state: "st",
    });
    const consent = await consentTo(url);
    expect(consent.state).toBe("st");
    const tokens = await pddAdapter.authorization.exchangeCode(context, {
      code: consent.code,
      redirectUri: "http://127.0.0.1/cb",
    });
    expect(tokens).toMatchObject({ sellerId: store.sellerId });
    expect(tokens.expiresAt.getTime()).toBeGreaterThan(Date.now());
    const granted = { ...context, credentials: { ...context.credentials, accessToken: tokens.accessToken } };
    await pddAdapter.fetchBuyerOrders(granted, buyerOf("拼单小王"));

    const renewed = await pddAdapter.authorization.refresh(context, tokens.refreshToken ?? "");
    expect(renewed.accessToken).not.toBe(tokens.accessToken);
    expect(await platformError(pddAdapter.authorization.refresh(context, tokens.refreshToken ?? ""))).toMatchObject({
      retryable: false,
    });
    expect(
      await platformError(pddAdapter.authorization.exchangeCode(context, { code: consent.code, redirectUri: "x" })),
    ).toMatchObject({ retryable: false });
  });
});
