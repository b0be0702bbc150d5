import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PlatformError, type StoreContext } from "../../adapter.ts";
import { taobaoAdapter } from "../../taobao/adapter.ts";
import { createSimulator, type Simulator } from "../simulator.ts";

// The adapter's send / fetchBuyerOrders against the simulator's TOP gateway, over HTTP.

const store = {
  platform: "taobao" as const,
  storeKey: "tb-gw-test",
  name: "旗舰店",
  sellerId: "云席测试店",
  appKey: "tb-app-gw",
  appSecret: "gw-secret",
  accessToken: "gw-session",
};

let sim: Simulator;
let context: StoreContext;

beforeAll(async () => {
  sim = createSimulator({ port: 0, seed: 7, stores: [store] });
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

async function platformError(promise: Promise<unknown>): Promise<PlatformError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PlatformError);
  return error as PlatformError;
}

const buyer = { platformBuyerId: "tb_网关测试买家", displayName: "tb_网关测试买家" };

describe("TOP gateway of the simulator", () => {
  beforeAll(() => {
    sim.say({ storeKey: store.storeKey, buyerNick: buyer.platformBuyerId, text: "在吗？" });
  });

  it("delivers a reply with good credentials and records what the buyer received", async () => {
    const result = await taobaoAdapter.send(context, {
      buyer,
      content: { type: "text", text: "亲，在的～" },
      clientMessageId: "c-1",
    });
    expect(result.platformMessageId).toMatch(/^\d+$/);
    expect(sim.replies({ storeKey: store.storeKey, buyerNick: buyer.platformBuyerId })).toEqual([
      expect.objectContaining({ text: "亲，在的～", clientMsgId: "c-1", platformMsgId: result.platformMessageId }),
    ]);
  });

  it("deduplicates a repeated send on client_msg_id, and still records the call", async () => {
    const first = await taobaoAdapter.send(context, {
      buyer,
      content: { type: "text", text: "重复" },
      clientMessageId: "c-dup",
    });
    const again = await taobaoAdapter.send(context, {
      buyer,
      content: { type: "text", text: "重复" },
      clientMessageId: "c-dup",
    });
    expect(again.platformMessageId).toBe(first.platformMessageId);
    expect(sim.replies({ buyerNick: buyer.platformBuyerId }).filter((r) => r.clientMsgId === "c-dup")).toHaveLength(1);
    const calls = sim.sendCalls({ buyerNick: buyer.platformBuyerId }).filter((r) => r.clientMsgId === "c-dup");
    expect(calls.map((c) => c.duplicate)).toEqual([false, true]);
    expect(calls.every((c) => c.platformMsgId === first.platformMessageId)).toBe(true);
  });

  it("refuses a wrong secret with code 25, not retryable", async () => {
    const forged = { ...context, credentials: { ...context.credentials, appSecret: "wrong" } };
    const error = await platformError(
      taobaoAdapter.send(forged, { buyer, content: { type: "text", text: "x" }, clientMessageId: "c-2" }),
    );
    expect(error).toMatchObject({ platformCode: "25", retryable: false });
  });

  it("refuses a wrong session with code 27 and a skewed clock with code 31", async () => {
    const badSession = { ...context, credentials: { ...context.credentials, accessToken: "expired" } };
    expect(await platformError(taobaoAdapter.fetchBuyerOrders(badSession, buyer))).toMatchObject({
      platformCode: "27",
      retryable: false,
    });
    const skewed = { ...context, now: () => new Date(Date.now() - 11 * 60_000) };
    expect(await platformError(taobaoAdapter.fetchBuyerOrders(skewed, buyer))).toMatchObject({
      platformCode: "31",
      retryable: false,
    });
  });

  it("refuses an unknown buyer as a caller error", async () => {
    const stranger = { platformBuyerId: "tb_不存在的人", displayName: "tb_不存在的人" };
    const error = await platformError(
      taobaoAdapter.send(context, { buyer: stranger, content: { type: "text", text: "x" }, clientMessageId: "c-3" }),
    );
    expect(error).toMatchObject({ platformCode: "15", retryable: false });
  });

  it("turns injected 500s, an outage and slowness into retryable errors", async () => {
    sim.setFaults({ failNextSends: 1 });
    const failed = await platformError(
      taobaoAdapter.send(context, { buyer, content: { type: "text", text: "x" }, clientMessageId: "c-4" }),
    );
    expect(failed).toMatchObject({ platformCode: "http_500", retryable: true });
    // The fault was used up: the next call goes through.
    await taobaoAdapter.send(context, { buyer, content: { type: "text", text: "好了" }, clientMessageId: "c-5" });

    sim.setFaults({ down: true });
    const down = await platformError(taobaoAdapter.fetchBuyerOrders(context, buyer));
    expect(down).toMatchObject({ platformCode: "http_503", retryable: true });
    sim.clearFaults();

    sim.setFaults({ latencyMs: 300 });
    const slow = await platformError(
      taobaoAdapter.send(
        { ...context, timeoutMs: 50 },
        { buyer, content: { type: "text", text: "慢" }, clientMessageId: "c-6" },
      ),
    );
    expect(slow).toMatchObject({ platformCode: "timeout", retryable: true });
    sim.clearFaults();
    // The platform still processed the slow call: a retry after a timeout can double-send.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(sim.replies({ buyerNick: buyer.platformBuyerId }).some((r) => r.clientMsgId === "c-6")).toBe(true);
  });

  it("returns the buyer's orders in this store", async () => {
    const withOrders = sim.buyers({ storeKey: store.storeKey }).find((b) => b.orders.length > 0);
    if (!withOrders) throw new Error("the seed gave no buyer an order");
    const orders = await taobaoAdapter.fetchBuyerOrders(context, {
      platformBuyerId: withOrders.nick,
      displayName: withOrders.nick,
    });
    expect(orders.map((o) => o.orderId).sort()).toEqual(withOrders.orders.map((o) => o.orderId).sort());
    const first = withOrders.orders[0];
    const fetched = orders.find((o) => o.orderId === first?.orderId);
    expect(fetched).toMatchObject({ totalCents: first?.amountCents, status: first?.status });
    expect(fetched?.items[0]?.title).toBe(first?.items?.[0]?.title ?? first?.title);
    expect(fetched?.createdAt).toEqual(new Date(Math.floor((first?.createdAt.getTime() ?? 0) / 1000) * 1000));
    expect([
      "WAIT_BUYER_PAY",
      "WAIT_SELLER_SEND_GOODS",
      "WAIT_BUYER_CONFIRM_GOODS",
      "TRADE_BUYER_SIGNED",
      "TRADE_FINISHED",
      "TRADE_CLOSED",
    ]).toContain(fetched?.platformStatus);
  });

  it("returns no orders for a buyer without any", async () => {
    expect(await taobaoAdapter.fetchBuyerOrders(context, buyer)).toEqual([]);
  });
});
