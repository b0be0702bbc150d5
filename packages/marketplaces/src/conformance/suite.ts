import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  AdapterCredentials,
  BuyerIdentity,
  MarketplaceAdapter,
  OrderStatus,
  OutboundContent,
  PlatformOrder,
  StoreContext,
} from "../adapter.ts";
import { checkOutbound } from "../limits.ts";
import { platformError } from "../simulator/gateway-harness.ts";
import type { SimStore, SimStoreConfig } from "../simulator/options.ts";
import type { EncodedPush, PlatformPersonality, SimEvent } from "../simulator/personality.ts";
import { createSimulator, personalities, type Simulator } from "../simulator/simulator.ts";
import type { SimOrder } from "../simulator/world.ts";
import { type Receiver, startReceiver } from "./receiver.ts";

/**
 * The one contract every marketplace adapter must keep, checked over real HTTP
 * against the simulator (started on port 0) and a stand-in push endpoint.
 * A platform joins by registering its adapter and its simulator personality and
 * adding a `conformance/<platform>.test.ts` that calls `runConformance` with a
 * setup (see taobao.test.ts). The simulator side must also keep its grants and
 * coupons in a `simulator/grants.ts` ledger and expose `grantControlRoutes`.
 */

export interface ConformanceSetup {
  adapter: MarketplaceAdapter;
  /** A store the simulator plays; its platform picks the personality. */
  store: SimStoreConfig;
  /** The identity the adapter reports for a simulated buyer (the nick itself, or a per-shop open id). */
  buyerIdentity(store: SimStore, nick: string): BuyerIdentity;
  /** Sign an arbitrary body as the platform signs its pushes (to test malformed but authentic pushes). */
  signRawPush(store: SimStore, rawBody: string, at: Date): EncodedPush;
  /** The status the adapter can report for a world order (platforms lose detail). Default: the world's. */
  statusAsSeen?(order: SimOrder): OrderStatus;
  /** The 1–5 score the adapter can report for a world rating (a 3-level scale loses detail). Default: the same. */
  scoreAsSeen?(score: number, orderId: string | null): number;
  /** A coupon template the simulated store knows. Default "10001". */
  couponTemplateId?: string;
  /** An image URL the platform accepts. Default an https URL on a CDN. */
  imageUrl?: string;
  /** Credentials beyond app key, secret and token (Kuaishou's signSecret), added to the store's. */
  credentials?(store: SimStore): Partial<AdapterCredentials>;
  /**
   * A push the adapter must refuse as stale. Default: a read receipt signed an hour
   * ago. A platform that signs no time (抖店) is stale by its event's own age.
   */
  stalePush?(store: SimStore, nick: string, now: Date): EncodedPush;
}

const seconds = (date: Date | undefined) => (date ? Math.floor(date.getTime() / 1000) : undefined);

export function runConformance(name: string, setup: ConformanceSetup): void {
  describe(`${name} conformance`, () => {
    const { adapter } = setup;
    const personality = personalities[setup.store.platform] as PlatformPersonality;
    const statusAsSeen = setup.statusAsSeen ?? ((o: SimOrder) => o.status);
    const scoreAsSeen = setup.scoreAsSeen ?? ((score: number) => score);
    let clockOffsetMs = 0;
    const clock = () => new Date(Date.now() + clockOffsetMs);
    let sim: Simulator;
    let receiver: Receiver;
    let store: SimStore;
    let context: StoreContext;
    let envelope = 9_000_000;

    const identity = (nick: string) => setup.buyerIdentity(store, nick);
    const buyerWithOrders = () => {
      const found = sim.buyers({ storeKey: store.storeKey }).find((b) => b.orders.length > 0);
      if (!found) throw new Error("the seed gave no buyer an order");
      return found;
    };
    const control = (path: string, init?: { method: string; body?: unknown }) =>
      fetch(`${sim.url}/sim/api/${store.platform}/${path}`, {
        method: init?.method ?? "GET",
        ...(init?.body === undefined
          ? {}
          : { headers: { "content-type": "application/json" }, body: JSON.stringify(init.body) }),
      }).then((r) => r.json() as Promise<Record<string, unknown>>);
    const encode = (event: SimEvent, at: Date = clock(), as: SimStore = store): EncodedPush | undefined =>
      personality.encodeEvent
        ? personality.encodeEvent(as, event, at)
        : event.kind === "message"
          ? personality.encodePush(as, event.message, at)
          : undefined;
    const readEvent = (nick: string): SimEvent => ({
      kind: "read",
      event: {
        eventId: `read-${++envelope}`,
        envelopeId: envelope,
        platform: store.platform,
        storeKey: store.storeKey,
        buyerNick: nick,
        createdAt: clock(),
      },
    });

    beforeAll(async () => {
      sim = createSimulator({ port: 0, seed: 11, stores: [setup.store], now: clock, pushRetryMs: 50 });
      await sim.start();
      store = sim.world.store(setup.store.storeKey) as SimStore;
      const extra = setup.credentials?.(store) ?? {};
      receiver = await startReceiver(adapter, { appKey: store.appKey, appSecret: store.appSecret, ...extra }, clock);
      sim.setYunxiUrl(receiver.url);
      context = {
        gatewayUrl: sim.url,
        sellerId: store.sellerId,
        credentials: { appKey: store.appKey, appSecret: store.appSecret, accessToken: store.accessToken, ...extra },
        now: clock,
      };
    });

    afterAll(async () => {
      await sim?.stop();
      await receiver?.close();
    });

    describe("pushes", () => {
      it("delivers a buyer message the adapter verifies, normalizes and acknowledges", async () => {
        const nick = buyerWithOrders().nick;
        const said = sim.say({ storeKey: store.storeKey, buyerNick: nick, text: "这件有L码吗？" });
        expect(await sim.settled(5000)).toBe(true);
        const message = receiver.events.find((e) => e.kind === "message" && e.platformMessageId === said?.msgId);
        expect(message).toMatchObject({
          kind: "message",
          buyer: identity(nick),
          content: { type: "text", text: "这件有L码吗？" },
        });
        const pushed = sim.pushes({ storeKey: store.storeKey }).find((p) => p.msgId === said?.msgId);
        expect(pushed?.ackedAt).not.toBeNull();
        expect(receiver.outcomes.at(-1)?.body).toBe(adapter.acknowledgePush().body);
      });

      it("refuses forged, tampered, stale and malformed pushes", async () => {
        const nick = buyerWithOrders().nick;
        const good = encode(readEvent(nick)) ?? encode({ kind: "message", message: messageOf(nick) });
        if (!good) throw new Error("the personality encodes nothing");
        expect((await receiver.deliver(good)).status).toBeLessThan(300);

        // Forge every secret the platform signs with (Kuaishou signs with its signSecret).
        const forgedStore = {
          ...store,
          appSecret: "forged-secret",
          ...(store.signSecret ? { signSecret: "forged" } : {}),
        };
        const forged = encode(readEvent(nick), clock(), forgedStore);
        expect((await receiver.deliver(forged as EncodedPush)).verification).toMatchObject({
          ok: false,
          reason: "bad_signature",
        });
        const tampered = { ...good, body: good.body.replace(nick, `${nick}x`) };
        expect((await receiver.deliver(tampered)).verification).toMatchObject({ ok: false, reason: "bad_signature" });
        const stale =
          setup.stalePush?.(store, nick, clock()) ??
          (encode(readEvent(nick), new Date(clock().getTime() - 3600_000)) as EncodedPush);
        const staleOutcome = await receiver.deliver(stale);
        expect(staleOutcome.status).toBeGreaterThanOrEqual(400);
        expect(staleOutcome.verification).toMatchObject({ ok: false, reason: "stale_timestamp" });
        for (const raw of ["{not json", '{"unexpected":true}', "[1,2,3]"]) {
          const outcome = await receiver.deliver(setup.signRawPush(store, raw, clock()));
          expect(outcome.verification, raw).toMatchObject({ ok: false, reason: "malformed" });
        }
      });

      it("normalizes order changes, read receipts and evaluations", async () => {
        const buyer = buyerWithOrders();
        const order = buyer.orders[0] as SimOrder;
        const changes = ["created", "paid", "shipped", "delivered", "completed", "closed"] as const;
        const refundChanges = ["refund_requested", "refund_agreed", "refund_closed"] as const;
        for (const change of [...changes, ...refundChanges]) {
          const event: SimEvent = {
            kind: "order",
            event: {
              eventId: `order-${++envelope}`,
              envelopeId: envelope,
              platform: store.platform,
              storeKey: store.storeKey,
              change,
              order,
              createdAt: clock(),
            },
          };
          const push = encode(event);
          if (!push) continue; // the platform does not push this change
          const outcome = await receiver.deliver(push);
          expect(outcome.verification.ok, change).toBe(true);
          const [normalized] = outcome.verification.ok ? outcome.verification.events : [];
          expect(normalized, change).toMatchObject({
            kind: "order",
            change,
            order: { orderId: order.orderId, status: statusAsSeen(order), buyer: identity(buyer.nick) },
          });
          // A redelivery carries the same event id; another event a different one.
          const again = await receiver.deliver(encode(event, new Date(clock().getTime() + 1000)) as EncodedPush);
          const repeated = again.verification.ok ? again.verification.events[0] : undefined;
          expect(repeated && "eventId" in repeated && repeated.eventId).toBe(
            normalized && "eventId" in normalized && normalized.eventId,
          );
        }
        const orderEventIds = receiver.events.flatMap((e) => (e.kind === "order" ? [e.eventId] : []));
        expect(new Set(orderEventIds).size).toBeGreaterThan(1);

        const read = encode(readEvent(buyer.nick));
        if (read) {
          const outcome = await receiver.deliver(read);
          expect(outcome.verification).toMatchObject({
            ok: true,
            events: [{ kind: "read", buyer: identity(buyer.nick) }],
          });
        }
        for (const [orderId, score] of [
          [order.orderId, 2],
          [null, 5],
        ] as const) {
          const push = encode({
            kind: "evaluation",
            event: {
              eventId: `eval-${++envelope}`,
              envelopeId: envelope,
              platform: store.platform,
              storeKey: store.storeKey,
              buyerNick: buyer.nick,
              orderId,
              score,
              comment: "发货很快",
              createdAt: clock(),
            },
          });
          if (!push) continue;
          const outcome = await receiver.deliver(push);
          const [evaluation] = outcome.verification.ok ? outcome.verification.events : [];
          expect(evaluation).toMatchObject({
            kind: "evaluation",
            buyer: identity(buyer.nick),
            score: scoreAsSeen(score, orderId),
            ...(orderId ? { orderId } : {}),
          });
        }
      });
    });

    function messageOf(nick: string) {
      return {
        msgId: `m-${++envelope}`,
        envelopeId: envelope,
        platform: store.platform,
        storeKey: store.storeKey,
        buyerNick: nick,
        text: "在吗",
        createdAt: clock(),
      };
    }

    describe("send", () => {
      it("sends each content kind, recorded by the platform exactly as sent", async () => {
        const buyer = buyerWithOrders();
        const product = sim.world.products(store.storeKey)[0];
        const contents: OutboundContent[] = [
          { type: "text", text: "亲，有的哦～今天下单明天发货😊" },
          { type: "image", url: setup.imageUrl ?? "https://img.alicdn.com/imgextra/size-chart.jpg" },
          { type: "product_card", productId: product?.id ?? "" },
          { type: "order_card", orderId: buyer.orders[0]?.orderId ?? "" },
        ];
        for (const [i, content] of contents.entries()) {
          const clientMessageId = `conf-${name}-${i}`;
          const sent = await adapter.send(context, { buyer: identity(buyer.nick), content, clientMessageId });
          const call = sim.sendCalls({ storeKey: store.storeKey }).at(-1);
          expect(call, content.type).toMatchObject({
            buyerNick: buyer.nick,
            clientMsgId: clientMessageId,
            platformMsgId: sent.platformMessageId,
            duplicate: false,
          });
          expect(call?.content ?? { type: "text", text: call?.text }).toEqual(content);
        }
      });

      it("deduplicates a repeated send on the client message id", async () => {
        const buyer = identity(buyerWithOrders().nick);
        const message = { buyer, content: { type: "text", text: "重复发送" } as const, clientMessageId: `dup-${name}` };
        const first = await adapter.send(context, message);
        const again = await adapter.send(context, message);
        expect(again.platformMessageId).toBe(first.platformMessageId);
        expect(sim.replies({ storeKey: store.storeKey }).filter((r) => r.clientMsgId === `dup-${name}`)).toHaveLength(
          1,
        );
        const calls = sim.sendCalls({ storeKey: store.storeKey }).filter((r) => r.clientMsgId === `dup-${name}`);
        expect(calls.map((c) => c.duplicate)).toEqual([false, true]);
      });
    });

    describe("orders, logistics, coupons", () => {
      const expectMatches = (got: PlatformOrder | undefined, want: SimOrder) => {
        expect(got, want.orderId).toBeDefined();
        if (!got) return;
        expect(got).toMatchObject({
          orderId: want.orderId,
          buyer: identity(want.buyerNick),
          status: statusAsSeen(want),
          totalCents: want.amountCents,
        });
        expect(got.platformStatus).not.toBe("");
        expect(seconds(got.createdAt)).toBe(seconds(want.createdAt));
        const items = want.items?.length ? want.items : [{ productId: want.productId, quantity: 1 }];
        expect(got.items.map((i) => [i.productId, i.quantity])).toEqual(items.map((i) => [i.productId, i.quantity]));
        // Optional details: when the adapter reports them, they are the world's.
        if (got.paidAt && want.paidAt) expect(seconds(got.paidAt)).toBe(seconds(want.paidAt));
        if (got.shippedAt) expect(seconds(got.shippedAt)).toBe(seconds(want.shippedAt));
        if (got.promisedShipAt) expect(seconds(got.promisedShipAt)).toBe(seconds(want.promisedShipAt));
        if (got.receiverPhone) expect(got.receiverPhone).toBe(want.receiverPhone);
        if (got.logistics) expect(got.logistics.trackingNo).toBe(want.logistics?.trackingNo);
      };

      it("returns a buyer's orders, newest first, as the world has them", async () => {
        const buyer = buyerWithOrders();
        const orders = await adapter.fetchBuyerOrders(context, identity(buyer.nick));
        const world = sim.world.orders(store.storeKey, buyer.nick);
        expect(orders.map((o) => o.orderId).sort()).toEqual(world.map((o) => o.orderId).sort());
        for (const want of world)
          expectMatches(
            orders.find((o) => o.orderId === want.orderId),
            want,
          );
        const times = orders.map((o) => o.createdAt.getTime());
        expect(times).toEqual([...times].sort((a, b) => b - a));
        const stranger = identity(
          sim.buyers({ storeKey: store.storeKey }).find((b) => b.orders.length === 0)?.nick ?? "x",
        );
        expect(await adapter.fetchBuyerOrders(context, stranger)).toEqual([]);
      });

      it("returns one order, and not_found for an unknown one", async () => {
        const want = buyerWithOrders().orders[0] as SimOrder;
        expectMatches(await adapter.fetchOrder(context, want.orderId), want);
        const missing = await platformError(adapter.fetchOrder(context, "1000000000000000001"));
        expect(missing).toMatchObject({ platformCode: "not_found", retryable: false });
      });

      it("returns an order's logistics trace", async () => {
        let order = sim.world.orders(store.storeKey).find((o) => o.logistics && o.logistics.nodes.length > 0);
        if (!order) {
          // The world has not shipped anything yet: ship one order as the fixture.
          order = buyerWithOrders().orders[0] as SimOrder;
          const at = new Date(Math.floor(clock().getTime() / 1000) * 1000 - 3600_000);
          Object.assign(order, {
            status: "shipped",
            shippedAt: at,
            logistics: {
              carrier: "中通快递",
              trackingNo: "ZT7700112233",
              nodes: [
                { at, description: "【杭州市】快件已揽收" },
                { at: new Date(at.getTime() + 1800_000), description: "【杭州市】快件已发往 上海转运中心" },
              ],
            },
          });
        }
        const trace = await adapter.fetchLogistics(context, order.orderId);
        expect(trace).toMatchObject({ carrier: order.logistics?.carrier, trackingNo: order.logistics?.trackingNo });
        expect(trace.nodes.map((n) => [seconds(n.at), n.description])).toEqual(
          order.logistics?.nodes.map((n) => [seconds(n.at), n.description]),
        );
      });

      it("grants a coupon the platform records", async () => {
        const nick = buyerWithOrders().nick;
        const template = setup.couponTemplateId ?? "10001";
        const grant = await adapter.sendCoupon(context, identity(nick), template);
        expect(grant.couponId).not.toBe("");
        const { coupons } = (await control(`coupons?storeKey=${encodeURIComponent(store.storeKey)}`)) as {
          coupons: Array<{ couponId: string; buyerNick: string; templateId: string }>;
        };
        expect(coupons).toContainEqual(
          expect.objectContaining({ couponId: grant.couponId, buyerNick: nick, templateId: template }),
        );
      });
    });

    describe("limits", () => {
      it("refuses too long text and external links before sending", async () => {
        const { limits } = adapter;
        expect(limits.sendsPerSecond).toBeGreaterThan(0);
        const tooLong = { type: "text", text: "好".repeat(limits.maxTextLength + 1) } as const;
        expect(checkOutbound(limits, tooLong)).toMatchObject({ ok: false, code: "text_too_long" });
        expect(checkOutbound(limits, { type: "text", text: "好".repeat(limits.maxTextLength) })).toEqual({ ok: true });
        if (limits.forbidsExternalLinks) {
          expect(checkOutbound(limits, { type: "text", text: "加我 https://evil.example.com/x" })).toMatchObject({
            ok: false,
            code: "external_link",
          });
          const own = limits.allowedLinkHosts[0];
          if (own)
            expect(checkOutbound(limits, { type: "text", text: `店铺 https://shop.${own}/a` })).toEqual({ ok: true });
        }
        const calls = sim.sendCalls().length;
        const buyer = identity(buyerWithOrders().nick);
        const refused = await platformError(
          adapter.send(context, { buyer, content: tooLong, clientMessageId: "long" }),
        );
        expect(refused).toMatchObject({ platformCode: "text_too_long", retryable: false });
        expect(sim.sendCalls()).toHaveLength(calls);
      });
    });

    describe("errors", () => {
      it("tells retryable failures from refusals", async () => {
        const buyer = identity(buyerWithOrders().nick);
        const text = (t: string, id: string) => ({
          buyer,
          content: { type: "text", text: t } as const,
          clientMessageId: id,
        });
        const secrets = context.credentials.signSecret
          ? { appSecret: "wrong", signSecret: "wrong" }
          : { appSecret: "wrong" };
        const forged = { ...context, credentials: { ...context.credentials, ...secrets } };
        expect(await platformError(adapter.send(forged, text("x", "e-1")))).toMatchObject({ retryable: false });

        sim.setFaults({ failNextSends: 1 });
        expect(await platformError(adapter.send(context, text("x", "e-2")))).toMatchObject({ retryable: true });
        await adapter.send(context, text("好了", "e-3"));

        sim.setFaults({ down: true });
        expect(await platformError(adapter.fetchBuyerOrders(context, buyer))).toMatchObject({ retryable: true });
        sim.clearFaults();

        sim.setFaults({ latencyMs: 300 });
        const slow = await platformError(adapter.send({ ...context, timeoutMs: 50 }, text("慢", "e-4")));
        expect(slow).toMatchObject({ platformCode: "timeout", retryable: true });
        sim.clearFaults();
        await new Promise((resolve) => setTimeout(resolve, 350));
      });
    });

    describe("authorization", () => {
      const redirectUri = "https://yunxi.example.com/stores/authorized";
      const authorize = async () => {
        const url = adapter.authorization.authorizeUrl({
          gatewayUrl: sim.url,
          appKey: store.appKey,
          redirectUri,
          state: "st-123",
        });
        const response = await fetch(url, { redirect: "manual" });
        expect(response.status).toBe(302);
        const location = new URL(response.headers.get("location") ?? "");
        expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
        expect(location.searchParams.get("state")).toBe("st-123");
        return location.searchParams.get("code") ?? "";
      };
      const withToken = (accessToken: string) => ({ ...context, credentials: { ...context.credentials, accessToken } });
      const someBuyer = () => identity(buyerWithOrders().nick);

      it("exchanges a code for tokens that work, once", async () => {
        const code = await authorize();
        const tokens = await adapter.authorization.exchangeCode(context, { code, redirectUri });
        expect(tokens.accessToken).not.toBe("");
        expect(tokens.refreshToken).toBeTruthy();
        expect(tokens.expiresAt.getTime()).toBeGreaterThan(clock().getTime());
        expect(tokens.sellerId).toBe(store.sellerId);
        await adapter.fetchBuyerOrders(withToken(tokens.accessToken), someBuyer());
        const reused = await platformError(adapter.authorization.exchangeCode(context, { code, redirectUri }));
        expect(reused.retryable).toBe(false);
      });

      it("refreshes into new tokens; a used refresh token and an expired access token are refused", async () => {
        const first = await adapter.authorization.exchangeCode(context, { code: await authorize(), redirectUri });
        const second = await adapter.authorization.refresh(context, first.refreshToken ?? "");
        expect(second.accessToken).not.toBe(first.accessToken);
        expect(second.refreshToken).not.toBe(first.refreshToken);
        await adapter.fetchBuyerOrders(withToken(second.accessToken), someBuyer());
        const reused = await platformError(adapter.authorization.refresh(context, first.refreshToken ?? ""));
        expect(reused.retryable).toBe(false);

        clockOffsetMs = second.expiresAt.getTime() - Date.now() + 60_000;
        try {
          const expired = await platformError(adapter.fetchBuyerOrders(withToken(second.accessToken), someBuyer()));
          expect(expired.retryable).toBe(false);
          // Refreshing is the cure for an expired access token.
          const third = await adapter.authorization.refresh(context, second.refreshToken ?? "");
          await adapter.fetchBuyerOrders(withToken(third.accessToken), someBuyer());
        } finally {
          clockOffsetMs = 0;
        }
      });

      it("stops everything once the seller revokes, until authorized again", async () => {
        const tokens = await adapter.authorization.exchangeCode(context, { code: await authorize(), redirectUri });
        await control("grants/revoke", { method: "POST", body: { storeKey: store.storeKey } });
        const buyer = someBuyer();
        const content = { type: "text", text: "还在吗" } as const;
        for (const attempt of [
          () => adapter.send(withToken(tokens.accessToken), { buyer, content, clientMessageId: "revoked-1" }),
          () => adapter.fetchBuyerOrders(context, buyer),
          () => adapter.authorization.refresh(context, tokens.refreshToken ?? ""),
        ]) {
          expect((await platformError(attempt())).retryable).toBe(false);
        }
        const again = await adapter.authorization.exchangeCode(context, { code: await authorize(), redirectUri });
        await adapter.send(withToken(again.accessToken), { buyer, content, clientMessageId: "revoked-2" });
      });
    });
  });
}
