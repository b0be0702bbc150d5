import { afterEach, describe, expect, it } from "vitest";
import type { OrderEventMessage } from "../personality.ts";
import { createRng } from "../prng.ts";
import { createSimulator, type Simulator } from "../simulator.ts";
import { fakeClock, plainPersonalities, runFor, testStore } from "../test-helpers.ts";
import type { SimOrder, SimOrderStatus } from "../world.ts";
import { evaluate } from "./lifecycle.ts";
import { DAY, HOUR, PROMISED_SHIP_WITHIN } from "./plan.ts";

const stores = [testStore("taobao", "tb-a"), testStore("douyin", "dy-a"), testStore("pdd", "pdd-a")];
const timeScale = 3600; // one simulated hour per second
const cleanup: Simulator[] = [];
afterEach(async () => {
  for (const sim of cleanup.splice(0)) await sim.stop();
});

function newSim(seed = 11) {
  const clock = fakeClock();
  const sim = createSimulator({
    seed,
    stores,
    now: clock.now,
    timeScale,
    buyersPerStore: 40,
    personalities: plainPersonalities,
  });
  cleanup.push(sim);
  return { sim, clock };
}

const ms = (d: Date | undefined) => d?.getTime() ?? Number.NaN;

function expectConsistent(order: SimOrder, now: number): void {
  expect(ms(order.createdAt)).toBeLessThanOrEqual(now);
  expect(order.receiverPhone).toMatch(/^1[3-9]\d{9}$/);
  expect(order.items?.length).toBeGreaterThan(0);
  expect(order.amountCents).toBe(order.items?.reduce((n, i) => n + i.priceCents * i.quantity, 0));
  if (order.status === "unpaid") expect(order.paidAt).toBeUndefined();
  if (order.paidAt) {
    expect(ms(order.paidAt)).toBeGreaterThanOrEqual(ms(order.createdAt));
    expect(ms(order.promisedShipAt) - ms(order.paidAt)).toBe(PROMISED_SHIP_WITHIN / timeScale);
  }
  if (["shipped", "delivered", "completed"].includes(order.status)) {
    expect(ms(order.shippedAt)).toBeGreaterThan(ms(order.paidAt));
    expect(order.logistics?.carrier).toMatch(/顺丰|中通|圆通|韵达|申通|京东|极兔|EMS/);
    expect(order.logistics?.nodes[0]?.description).toContain("揽收");
    const times = order.logistics?.nodes.map((n) => ms(n.at)) ?? [];
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times.at(-1)).toBeLessThanOrEqual(now);
  }
  if (order.status === "delivered" || order.status === "completed") {
    expect(ms(order.deliveredAt)).toBeGreaterThan(ms(order.shippedAt));
    expect(order.logistics?.nodes.at(-1)?.description).toMatch(/签收|代收|取件/);
  }
  if (order.status === "refunding" || order.status === "refunded") expect(order.refund?.reason).toBeTruthy();
  if (order.status === "refunded") expect(ms(order.refund?.agreedAt)).toBeGreaterThan(ms(order.refund?.requestedAt));
}

describe("orders and logistics", () => {
  it("seeds orders in every state with timestamps that agree with it", () => {
    const { sim, clock } = newSim();
    const orders = sim.orders();
    const statuses = new Set(orders.map((o) => o.status));
    const all: SimOrderStatus[] = [
      "unpaid",
      "paid",
      "shipped",
      "delivered",
      "completed",
      "closed",
      "refunding",
      "refunded",
    ];
    expect([...statuses].sort()).toEqual([...all].sort());
    for (const order of orders) expectConsistent(order, clock.ms());
  });

  it("advances orders over accelerated time and pushes each change", () => {
    const { sim, clock } = newSim();
    const open = sim.orders().filter((o) => !["completed", "closed", "refunded"].includes(o.status));
    expect(open.length).toBeGreaterThan(10);
    // 30 simulated days = 12 real minutes at 3600×.
    runFor(sim, clock, (30 * DAY) / timeScale, { stepMs: 5000 });
    for (const order of sim.orders()) {
      expect(["completed", "closed", "refunded"]).toContain(order.status);
      expectConsistent(order, clock.ms());
    }
    const events = sim.events({ kind: "order" }).map((e) => e.event as OrderEventMessage);
    // Each order's changes come in the order of its life.
    const rank = {
      created: 0,
      paid: 1,
      shipped: 2,
      delivered: 3,
      refund_requested: 4,
      refund_agreed: 5,
      refund_closed: 5,
      completed: 6,
      closed: 6,
    };
    for (const order of open) {
      const changes = events.filter((e) => e.order.orderId === order.orderId).map((e) => rank[e.change]);
      expect(changes.length).toBeGreaterThan(0);
      expect(changes).toEqual([...changes].sort((a, b) => a - b));
    }
    const shipped = events.find((e) => e.change === "shipped");
    // The event carries the order as it was then, not as it is now.
    expect(shipped?.order.status).toBe("shipped");
    expect(shipped?.order.logistics?.trackingNo).toBeTruthy();
    // Pushed through the queue like messages, with their own ids.
    const pushed = sim.pushes({ kind: "order" });
    expect(pushed).toHaveLength(events.length);
    expect(new Set(pushed.map((p) => p.msgId)).size).toBe(pushed.length);
    expect(sim.state().counts.pushesByKind.order).toBe(events.length);
    // Some buyers rate what they received.
    const evaluations = sim.events({ kind: "evaluation" });
    expect(evaluations.length).toBeGreaterThan(0);
    for (const e of evaluations) {
      if (e.kind !== "evaluation") continue;
      expect(e.event.score).toBeGreaterThanOrEqual(1);
      expect(e.event.score).toBeLessThanOrEqual(5);
      expect(e.event.comment).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it("pushes nothing for events a platform does not encode, but still records them", () => {
    const clock = fakeClock();
    const silent = { ...plainPersonalities.taobao, encodeEvent: undefined };
    const sim = createSimulator({
      seed: 2,
      stores: [stores[0] as (typeof stores)[0]],
      now: clock.now,
      timeScale,
      personalities: { taobao: silent },
    });
    cleanup.push(sim);
    runFor(sim, clock, (5 * DAY) / timeScale, { stepMs: 5000 });
    expect(sim.events({ kind: "order" }).length).toBeGreaterThan(0);
    expect(sim.pushes({ kind: "all" })).toEqual([]);
    expect(sim.state().counts.pending).toBe(0);
  });

  it("places live orders that start unpaid and are pushed as created", async () => {
    const { sim, clock } = newSim(5);
    await sim.start();
    sim.setMix({ kinds: { presale: 1 } });
    sim.setRate(120);
    // Buyers answered within five seconds buy often.
    runFor(sim, clock, 20 * 60_000, { replyAfterMs: 5000, stepMs: 2000 });
    const placed = sim.record().filter((s) => s.placedOrderId);
    expect(placed.length).toBeGreaterThan(0);
    const created = sim.events({ kind: "order" }).filter((e) => e.kind === "order" && e.event.change === "created");
    expect(created.map((e) => (e.event as OrderEventMessage).order.orderId).sort()).toEqual(
      placed.map((s) => s.placedOrderId).sort(),
    );
    const first = created[0]?.event as OrderEventMessage;
    expect(first.order.status).toBe("unpaid");
  });

  it("gives the same person the same phone on two platforms", () => {
    const { sim } = newSim();
    const world = sim.world;
    const shared = world
      .buyerList("taobao")
      .filter((b) => world.buyersByPhone(b.phone).some((o) => o.platform !== "taobao"));
    expect(shared.length).toBeGreaterThan(0);
    const buyer = shared[0];
    const twin = world.buyersByPhone(buyer?.phone ?? "").find((b) => b.platform !== "taobao");
    expect(twin?.nick).not.toBe(buyer?.nick);
    const storeKey = stores.find((s) => s.platform === twin?.platform)?.storeKey ?? "";
    const rng = createRng(1);
    const product = world.products(storeKey)[0];
    if (!twin || !product) throw new Error("no twin");
    const order = world.addOrder(world.store(storeKey) as never, twin.nick, product, rng, "paid");
    expect(order.receiverPhone).toBe(buyer?.phone);
  });
});

describe("evaluations", () => {
  const order = (late: boolean): SimOrder => {
    const paidAt = new Date(0);
    return {
      orderId: "1",
      storeKey: "s",
      buyerNick: "b",
      productId: "p",
      title: "t",
      status: "completed",
      amountCents: 100,
      createdAt: paidAt,
      paidAt,
      promisedShipAt: new Date(48 * HOUR),
      shippedAt: new Date(late ? 60 * HOUR : 10 * HOUR),
    };
  };
  const mean = (late: boolean, experience: { longestWaitMs: number; complained: boolean; ignored: boolean }) => {
    const rng = createRng(9);
    let total = 0;
    for (let i = 0; i < 200; i++) total += evaluate(order(late), experience, rng).score;
    return total / 200;
  };

  it("scores lower when shipping was late or the buyer waited, complained or was ignored", () => {
    const happy = mean(false, { longestWaitMs: 10_000, complained: false, ignored: false });
    const late = mean(true, { longestWaitMs: 10_000, complained: false, ignored: false });
    const ignored = mean(false, { longestWaitMs: 20 * 60_000, complained: true, ignored: true });
    expect(happy).toBeGreaterThan(4.5);
    expect(late).toBeLessThan(happy);
    expect(ignored).toBeLessThan(late);
    expect(
      evaluate(order(true), { longestWaitMs: 0, complained: false, ignored: false }, createRng(1)).comment,
    ).toMatch(/发货太慢|好评|满意|好|一致/);
  });
});
