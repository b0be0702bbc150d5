import { afterEach, describe, expect, it } from "vitest";
import { nagLines } from "../phrases.ts";
import { createSimulator, type Simulator } from "../simulator.ts";
import { type FakeClock, fakeClock, plainPersonalities, runFor, testStore } from "../test-helpers.ts";
import { orderChance } from "./behaviour.ts";

const MINUTE = 60_000;
const stores = [testStore("taobao", "tb-b"), testStore("douyin", "dy-b")];
const cleanup: Simulator[] = [];
afterEach(async () => {
  for (const sim of cleanup.splice(0)) await sim.stop();
});

async function started(options: { seed?: number; rate?: number; presaleOnly?: boolean } = {}) {
  const clock = fakeClock();
  const sim = createSimulator({
    port: 0,
    seed: options.seed ?? 21,
    stores,
    now: clock.now,
    personalities: plainPersonalities,
  });
  cleanup.push(sim);
  await sim.start();
  if (options.presaleOnly) sim.setMix({ kinds: { presale: 1 } });
  sim.setRate(options.rate ?? 30);
  return { sim, clock };
}

/** Conversion of presale visits that began in the first `minutes`, run long enough for all to end. */
async function conversion(replyAfterMs: number | null): Promise<number> {
  const { sim, clock } = await started({ presaleOnly: true });
  const start = clock.ms();
  runFor(sim, clock, 20 * MINUTE, { replyAfterMs, stepMs: 2000 });
  sim.setRate(0);
  runFor(sim, clock, 30 * MINUTE, { replyAfterMs, stepMs: 5000 });
  const summary = sim.recordSummary({ from: new Date(start), to: new Date(start + 20 * MINUTE) });
  expect(summary.presale).toBeGreaterThan(300);
  expect(summary.waiting).toBe(0);
  return summary.conversion ?? 0;
}

describe("buyers", () => {
  it("buy more often the faster they are answered, and never when ignored", async () => {
    expect(orderChance(5_000, 0)).toBeGreaterThan(orderChance(5 * MINUTE, 1));
    const fast = await conversion(5_000);
    const slow = await conversion(3 * MINUTE);
    const none = await conversion(null);
    expect(fast).toBeGreaterThan(0.3);
    expect(slow).toBeLessThan(fast * 0.7);
    expect(none).toBe(0);
  });

  it("nag when unanswered, then leave", async () => {
    const { sim, clock } = await started({ rate: 20 });
    runFor(sim, clock, 5 * MINUTE);
    sim.setRate(0);
    runFor(sim, clock, 15 * MINUTE);
    const sessions = sim.record();
    expect(sessions.length).toBeGreaterThan(50);
    const nags = new Set(nagLines.flat());
    for (const s of sessions) {
      expect(s).toMatchObject({ left: true, followedUp: true, firstReplyAt: null, outcome: "left", replies: 0 });
      // Opening question, two nags, sometimes a parting shot.
      expect(s.messageLog.filter((q) => q.nag).length).toBe(2);
      expect(nags.has(s.messageLog[1]?.text ?? "")).toBe(true);
      const gaps = s.messageLog.slice(1).map((q, i) => Date.parse(q.at) - Date.parse(s.messageLog[i]?.at ?? ""));
      for (const gap of gaps.slice(0, 2)) expect(gap).toBeGreaterThanOrEqual(45_000);
    }
    expect(sessions.some((s) => s.complained)).toBe(true);
    const summary = sim.recordSummary();
    expect(summary).toMatchObject({ missed: sessions.length, answered: 0, left: sessions.length, waiting: 0 });
    // What they said reached the store as pushes.
    expect(sim.pushes().length).toBe(sessions.reduce((n, s) => n + s.messages, 0));
  });

  it("answered buyers stay, read the reply and go on talking", async () => {
    const { sim, clock } = await started({ rate: 20 });
    runFor(sim, clock, 10 * MINUTE, { replyAfterMs: 10_000 });
    sim.setRate(0);
    runFor(sim, clock, 10 * MINUTE, { replyAfterMs: 10_000 });
    const sessions = sim.record();
    expect(sessions.filter((s) => s.firstReplyWaitMs === null || s.firstReplyWaitMs > 12_000)).toEqual([]);
    expect(sessions.filter((s) => s.left)).toEqual([]);
    expect(sessions.some((s) => s.messageLog.filter((m) => m.expectsAnswer && !m.nag).length > 1)).toBe(true);
    expect(sessions.some((s) => s.outcome === "satisfied")).toBe(true);
    expect(sim.events({ kind: "read" }).length).toBeGreaterThan(0);
    expect(sim.recordSummary().medianFirstReplyMs).toBeLessThanOrEqual(12_000);
  });

  it("ask about the orders they really have", async () => {
    const { sim, clock } = await started({ rate: 60 });
    sim.setMix({ kinds: { logistics: 1, aftersale: 1 } });
    runFor(sim, clock, 3 * MINUTE);
    const want: Record<string, string[]> = {
      "物流-发货时间": ["paid"],
      "物流-查件": ["shipped"],
      "物流-签收未收到": ["delivered"],
      "售后-退款进度": ["refunding", "refunded"],
      "售后-质量问题": ["delivered", "completed"],
    };
    const sessions = sim.record().filter((s) => want[s.intent]);
    expect(sessions.length).toBeGreaterThan(30);
    // At 1× nothing has moved since they asked.
    for (const s of sessions) {
      const order = sim.world.order(s.orderId ?? "");
      expect(order?.buyerNick).toBe(s.buyerNick);
      expect(want[s.intent]).toContain(order?.status);
    }
    expect(sessions.some((s) => s.messageLog[0]?.text.includes(s.orderId ?? "-"))).toBe(true);
  });

  it("are the same for the same seed", async () => {
    const transcript = async (seed: number, clock?: FakeClock) => {
      const { sim, clock: c } = await started({ seed });
      runFor(sim, clock ?? c, 10 * MINUTE, { replyAfterMs: 20_000 });
      return sim.pushes().map((p) => `${p.storeKey}/${p.buyerNick}/${p.createdAt}: ${p.text}`);
    };
    const a = await transcript(7);
    const b = await transcript(7);
    expect(a.length).toBeGreaterThan(100);
    expect(b).toEqual(a);
    expect((await transcript(8)).slice(0, 20)).not.toEqual(a.slice(0, 20));
  });
});

describe("profiles", () => {
  const arrivals = (sim: Simulator, from: number, to: number) =>
    sim.record({ from: new Date(from), to: new Date(to) }).length;

  it("Double 11 multiplies the rate for hours, and switching back restores it", async () => {
    const { sim, clock } = await started({ rate: 60 });
    let t0 = clock.ms();
    runFor(sim, clock, 10 * MINUTE, { stepMs: 5000 });
    const steady = arrivals(sim, t0, clock.ms());

    const profile = sim.setProfile("double11");
    expect(profile).toMatchObject({ name: "double11", phase: "预热", rateMultiplier: 2 });
    expect(sim.state().effectiveRatePerMinute).toBe(120);
    runFor(sim, clock, 60 * MINUTE, { stepMs: 10_000 });
    expect(sim.profile()).toMatchObject({ phase: "零点高峰", rateMultiplier: 5 });
    t0 = clock.ms();
    runFor(sim, clock, 10 * MINUTE, { stepMs: 5000 });
    const peak = arrivals(sim, t0, clock.ms());
    expect(peak / steady).toBeGreaterThan(3.5);
    expect(peak / steady).toBeLessThan(7);

    sim.setProfile("steady");
    expect(sim.state().effectiveRatePerMinute).toBe(60);
    sim.setRate(0);
    t0 = clock.ms();
    runFor(sim, clock, 5 * MINUTE, { stepMs: 5000 });
    expect(arrivals(sim, t0, clock.ms())).toBe(0);
  });

  it("a Douyin live stream brings mostly Douyin presale buyers, and the mix can be set by hand", async () => {
    const { sim, clock } = await started({ rate: 60 });
    sim.setProfile("livestream");
    runFor(sim, clock, 15 * MINUTE, { stepMs: 10_000 });
    expect(sim.profile().phase).toBe("直播中");
    const t0 = clock.ms();
    runFor(sim, clock, 10 * MINUTE, { stepMs: 5000 });
    const live = sim.record({ from: new Date(t0), to: new Date(clock.ms()) });
    const douyin = live.filter((s) => s.platform === "douyin").length / live.length;
    const presale = live.filter((s) => s.kind === "presale").length / live.length;
    expect(douyin).toBeGreaterThan(0.85);
    expect(presale).toBeGreaterThan(0.6);

    sim.setProfile("steady");
    sim.setMix({ platforms: { douyin: 0 }, kinds: { complaint: 1 } });
    const t1 = clock.ms();
    runFor(sim, clock, 5 * MINUTE, { stepMs: 5000 });
    const mixed = sim.record({ from: new Date(t1), to: new Date(clock.ms()) });
    expect(mixed.length).toBeGreaterThan(100);
    expect(mixed.every((s) => s.platform === "taobao" && s.kind === "complaint")).toBe(true);
  });
});
