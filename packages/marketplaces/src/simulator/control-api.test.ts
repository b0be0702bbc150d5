import { afterEach, describe, expect, it } from "vitest";
import { createSimulator, type Simulator } from "./simulator.ts";
import { fakeClock, plainPersonalities, runFor, testStore } from "./test-helpers.ts";

const MINUTE = 60_000;
const cleanup: Simulator[] = [];
afterEach(async () => {
  for (const sim of cleanup.splice(0)) await sim.stop();
});

async function startedSim() {
  const clock = fakeClock();
  const sim = createSimulator({
    port: 0,
    seed: 4,
    stores: [testStore("taobao", "tb-c"), testStore("douyin", "dy-c")],
    now: clock.now,
    personalities: plainPersonalities,
  });
  cleanup.push(sim);
  await sim.start();
  const api = async (path: string, init?: { method: string; body?: unknown }) => {
    const response = await fetch(`${sim.url}/sim/api/${path}`, {
      method: init?.method ?? "GET",
      ...(init?.body === undefined
        ? {}
        : { headers: { "content-type": "application/json" }, body: JSON.stringify(init.body) }),
    });
    // Keep a byte-order mark visible (Excel needs it for Chinese CSV).
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());
    const isJson = response.headers.get("content-type")?.includes("json");
    return { status: response.status, headers: response.headers, text, body: isJson ? JSON.parse(text) : undefined };
  };
  return { sim, clock, api };
}

/** A minimal CSV reader for the export (quoted cells with "" escapes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\n") {
      row.push(cell.replace(/\r$/, ""));
      rows.push(row);
      row = [];
      cell = "";
    } else cell += c;
  }
  return rows;
}

describe("buyer-side record over the control API", () => {
  it("exports what buyers experienced for a time range, as JSON and CSV, with a summary", async () => {
    const { sim, clock, api } = await startedSim();
    const t0 = clock.ms();
    sim.setRate(30);
    // First ten minutes answered in 20 s, the next ten ignored.
    runFor(sim, clock, 10 * MINUTE, { replyAfterMs: 20_000 });
    const t1 = clock.ms();
    runFor(sim, clock, 10 * MINUTE);
    sim.setRate(0);
    runFor(sim, clock, 15 * MINUTE, { stepMs: 5000 });

    const first = await api(`record?from=${new Date(t0).toISOString()}&to=${new Date(t1).toISOString()}`);
    expect(first.status).toBe(200);
    const sessions = first.body.sessions as Array<{ startedAt: string; firstReplyWaitMs: number | null }>;
    expect(sessions.length).toBeGreaterThan(100);
    expect(sessions.every((s) => Date.parse(s.startedAt) >= t0 && Date.parse(s.startedAt) < t1)).toBe(true);
    expect(sessions.length).toBe(sim.record({ from: new Date(t0), to: new Date(t1) }).length);
    expect(first.body.summary).toMatchObject({ sessions: sessions.length, waiting: 0 });
    // Visits still going when the store stopped answering were left unanswered; earlier ones not.
    const early = await api(`record/summary?from=${t0}&to=${t0 + 4 * MINUTE}`);
    expect(early.body).toMatchObject({ missed: 0, left: 0 });
    expect(early.body.sessions).toBeGreaterThan(50);
    expect(first.body.summary.medianFirstReplyMs).toBeGreaterThanOrEqual(20_000);
    expect(first.body.summary.medianFirstReplyMs).toBeLessThanOrEqual(21_000);
    expect(first.body.summary.conversion).toBeGreaterThan(0);

    // Epoch ms work too; the ignored half is all missed, no one bought.
    const second = await api(`record/summary?from=${t1}&to=${t1 + 10 * MINUTE}`);
    expect(second.body).toMatchObject({ answered: 0, ordered: 0, conversion: 0, medianFirstReplyMs: null });
    expect(second.body.missed).toBe(second.body.sessions);
    expect(second.body.followedUp).toBe(second.body.sessions);

    const csv = await api(`record?from=${t0}&to=${t1}&format=csv&platform=douyin`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.headers.get("content-disposition")).toContain("attachment");
    expect(csv.text.startsWith("\uFEFF")).toBe(true);
    const [header, ...rows] = parseCsv(csv.text.slice(1));
    expect(header?.slice(0, 5)).toEqual(["sessionId", "source", "platform", "storeKey", "buyerNick"]);
    const douyin = sim.record({ from: new Date(t0), to: new Date(t1), platform: "douyin" });
    expect(rows).toHaveLength(douyin.length);
    expect(rows.every((r) => r[2] === "douyin" && r.length === header?.length)).toBe(true);
    expect(rows.map((r) => r[header?.indexOf("firstQuestion") ?? -1])).toEqual(douyin.map((s) => s.firstQuestion));

    expect((await api("record?from=yesterday")).status).toBe(400);
    expect((await api("record?format=xml")).status).toBe(400);
  });

  it("records injected messages and the replies they got", async () => {
    const { sim, clock, api } = await startedSim();
    sim.say({ storeKey: "tb-c", buyerNick: "tb_手动", text: "在吗" });
    clock.set(clock.ms() + 30_000);
    sim.world.recordSend({
      platform: "taobao",
      storeKey: "tb-c",
      buyerNick: "tb_手动",
      text: "在的",
      clientMsgId: "m-1",
      platformMsgId: "m-1",
      receivedAt: clock.now().toISOString(),
    });
    const { body } = await api("record?storeKey=tb-c");
    expect(body.sessions).toEqual([
      expect.objectContaining({ source: "injected", buyerNick: "tb_手动", firstReplyWaitMs: 30_000, replies: 1 }),
    ]);
    // No behaviour for injected buyers: no nags however long it stays quiet.
    runFor(sim, clock, 30 * MINUTE, { stepMs: 10_000 });
    expect(sim.pushes().map((p) => p.text)).toEqual(["在吗"]);
    // But they read the reply.
    expect(sim.events({ kind: "read" })).toHaveLength(1);
  });
});

describe("profile and mix over the control API", () => {
  it("switches the profile and the mix at runtime", async () => {
    const { sim, api } = await startedSim();
    expect((await api("rate", { method: "PUT", body: { ratePerMinute: 40 } })).body).toEqual({ ratePerMinute: 40 });
    const d11 = await api("profile", { method: "PUT", body: { profile: "double11" } });
    expect(d11.body.profile).toMatchObject({ name: "double11", label: "双十一", rateMultiplier: 2 });
    expect((await api("state")).body).toMatchObject({ ratePerMinute: 40, effectiveRatePerMinute: 80 });
    expect((await api("profile", { method: "PUT", body: { profile: "black-friday" } })).status).toBe(400);

    const mix = await api("mix", { method: "PUT", body: { platforms: { douyin: 3 }, kinds: { presale: 1 } } });
    expect(mix.body.profile.platformWeights).toEqual({ taobao: 1, douyin: 3 });
    expect(mix.body.profile.kindWeights).toEqual({ presale: 1, logistics: 0, aftersale: 0, complaint: 0 });
    expect((await api("mix", { method: "PUT", body: { kinds: { gossip: 1 } } })).status).toBe(400);
    const cleared = await api("mix", { method: "DELETE" });
    expect(cleared.body.profile.platformWeights).toEqual({ taobao: 1, douyin: 1 });
    expect(sim.profile().name).toBe("double11");

    expect((await api("orders?storeKey=tb-c")).body.orders.length).toBe(sim.orders({ storeKey: "tb-c" }).length);
    expect((await api("events?kind=order")).status).toBe(200);
    expect((await api("pushes?kind=nope")).status).toBe(400);
    const page = await fetch(`${sim.url}/sim/`);
    expect(await page.text()).toContain("买家体验记录");
  });
});
