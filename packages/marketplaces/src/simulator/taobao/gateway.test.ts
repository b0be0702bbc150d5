import { beforeAll, describe, expect, it } from "vitest";
import { taobaoAdapter } from "../../taobao/adapter.ts";
import { gatewayHarness, platformError } from "../gateway-harness.ts";

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

const gw = gatewayHarness(store, 7);

const buyer = { platformBuyerId: "tb_网关测试买家", displayName: "tb_网关测试买家" };

describe("TOP gateway of the simulator", () => {
  beforeAll(() => {
    gw.sim.say({ storeKey: store.storeKey, buyerNick: buyer.platformBuyerId, text: "在吗？" });
  });

  it("delivers a reply with good credentials and records what the buyer received", async () => {
    const result = await taobaoAdapter.send(gw.context, {
      buyer,
      content: { type: "text", text: "亲，在的～" },
      clientMessageId: "c-1",
    });
    expect(result.platformMessageId).toMatch(/^\d+$/);
    expect(gw.sim.replies({ storeKey: store.storeKey, buyerNick: buyer.platformBuyerId })).toEqual([
      expect.objectContaining({ text: "亲，在的～", clientMsgId: "c-1", platformMsgId: result.platformMessageId }),
    ]);
  });

  it("deduplicates a repeated send on client_msg_id, and still records the call", async () => {
    const first = await taobaoAdapter.send(gw.context, {
      buyer,
      content: { type: "text", text: "重复" },
      clientMessageId: "c-dup",
    });
    const again = await taobaoAdapter.send(gw.context, {
      buyer,
      content: { type: "text", text: "重复" },
      clientMessageId: "c-dup",
    });
    expect(again.platformMessageId).toBe(first.platformMessageId);
    expect(gw.sim.replies({ buyerNick: buyer.platformBuyerId }).filter((r) => r.clientMsgId === "c-dup")).toHaveLength(
      1,
    );
    const calls = gw.sim.sendCalls({ buyerNick: buyer.platformBuyerId }).filter((r) => r.clientMsgId === "c-dup");
    expect(calls.map((c) => c.duplicate)).toEqual([false, true]);
    expect(calls.every((c) => c.platformMsgId === first.platformMessageId)).toBe(true);
  });

  it("refuses a wrong secret with code 25, not retryable", async () => {
    const forged = { ...gw.context, credentials: { ...gw.context.credentials, appSecret: "wrong" } };
    const error = await platformError(
      taobaoAdapter.send(forged, { buyer, content: { type: "text", text: "x" }, clientMessageId: "c-2" }),
    );
    expect(error).toMatchObject({ platformCode: "25", retryable: false });
  });

  it("refuses a wrong session with code 27 and a skewed clock with code 31", async () => {
    const badSession = { ...gw.context, credentials: { ...gw.context.credentials, accessToken: "expired" } };
    expect(await platformError(taobaoAdapter.fetchBuyerOrders(badSession, buyer))).toMatchObject({
      platformCode: "27",
      retryable: false,
    });
    const skewed = { ...gw.context, now: () => new Date(Date.now() - 11 * 60_000) };
    expect(await platformError(taobaoAdapter.fetchBuyerOrders(skewed, buyer))).toMatchObject({
      platformCode: "31",
      retryable: false,
    });
  });

  it("refuses an unknown buyer as a caller error", async () => {
    const stranger = { platformBuyerId: "tb_不存在的人", displayName: "tb_不存在的人" };
    const error = await platformError(
      taobaoAdapter.send(gw.context, { buyer: stranger, content: { type: "text", text: "x" }, clientMessageId: "c-3" }),
    );
    expect(error).toMatchObject({ platformCode: "15", retryable: false });
  });

  it("turns injected 500s, an outage and slowness into retryable errors", async () => {
    gw.sim.setFaults({ failNextSends: 1 });
    const failed = await platformError(
      taobaoAdapter.send(gw.context, { buyer, content: { type: "text", text: "x" }, clientMessageId: "c-4" }),
    );
    expect(failed).toMatchObject({ platformCode: "http_500", retryable: true });
    // The fault was used up: the next call goes through.
    await taobaoAdapter.send(gw.context, { buyer, content: { type: "text", text: "好了" }, clientMessageId: "c-5" });

    gw.sim.setFaults({ down: true });
    const down = await platformError(taobaoAdapter.fetchBuyerOrders(gw.context, buyer));
    expect(down).toMatchObject({ platformCode: "http_503", retryable: true });
    gw.sim.clearFaults();

    gw.sim.setFaults({ latencyMs: 300 });
    const slow = await platformError(
      taobaoAdapter.send(
        { ...gw.context, timeoutMs: 50 },
        { buyer, content: { type: "text", text: "慢" }, clientMessageId: "c-6" },
      ),
    );
    expect(slow).toMatchObject({ platformCode: "timeout", retryable: true });
    gw.sim.clearFaults();
    // The platform still processed the slow call: a retry after a timeout can double-send.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(gw.sim.replies({ buyerNick: buyer.platformBuyerId }).some((r) => r.clientMsgId === "c-6")).toBe(true);
  });

  it("returns the buyer's orders in this store", async () => {
    const withOrders = gw.sim.buyers({ storeKey: store.storeKey }).find((b) => b.orders.length > 0);
    if (!withOrders) throw new Error("the seed gave no buyer an order");
    const orders = await taobaoAdapter.fetchBuyerOrders(gw.context, {
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
    expect(await taobaoAdapter.fetchBuyerOrders(gw.context, buyer)).toEqual([]);
  });
});
