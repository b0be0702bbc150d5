import type { Dashboard, KpiReport } from "@yunxi/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresAvailable, startTestServer, type TestServer, testDb } from "../../../test/harness.ts";
import type { AppContext } from "../../platform/context.ts";
import { queryRows, sql } from "../../platform/db/client.ts";
import { consumeOrg } from "./consumer.ts";
import { kpisFrom } from "./kpis.ts";
import { sumRollups } from "./queries.ts";
import { resolveRange, resolveScope } from "./scope.ts";
import { type AnalyticsWorld, analyticsWorld, buyerWrites, type Person, serviceDay } from "./testing.ts";

const run = testDb === "pglite" || (await postgresAvailable());

/** The actor behind a test person (for calling services directly). */
const actorOf = (p: Person) => ({ orgId: "", userId: p.id, name: "", sessionId: "", csrfToken: "" });

/**
 * The data hub's API on the service day of testing.ts (Shanghai, Tuesday 2026-12-01,
 * 09:00–10:19): the KPIs as docs/metrics.md defines them, who may see what, what is
 * refused, drill-down, the live dashboard, quality rules and settings.
 */
describe.runIf(run)(`analytics API (${testDb})`, () => {
  let t: TestServer;
  let ctx: AppContext;
  let clock = new Date("2026-12-01T01:00:00Z");
  const tick = (seconds: number) => {
    clock = new Date(clock.getTime() + seconds * 1000);
  };
  let w: AnalyticsWorld;
  let day: Awaited<ReturnType<typeof serviceDay>>;
  const today = "from=2026-12-01&to=2026-12-01";

  beforeAll(async () => {
    t = await startTestServer({ now: () => clock, env: { WORKER_CONCURRENCY: "0" } });
    ctx = t.server.ctx;
    w = await analyticsWorld(t, ctx);
    day = await serviceDay(ctx, w, tick, { consume: true });
  });
  afterAll(() => t?.close());

  it("computes the day's KPIs as defined, against the day before", async () => {
    const res = await w.sup.client.get(`/api/analytics/kpis?${today}`);
    expect(res.status).toBe(200);
    const report = res.body as KpiReport;
    expect(report.timezone).toBe("Asia/Shanghai");
    expect(report.range).toMatchObject({ start: "2026-11-30T16:00:00.000Z", end: "2026-12-01T16:00:00.000Z" });
    expect(report.previousRange).toMatchObject({ from: "2026-11-30", to: "2026-11-30" });
    const k = report.current;
    expect(k.conversations).toBe(5);
    expect(k.inboundMessages).toBe(6);
    expect(k.rounds).toBe(6);
    expect(k.responseRate3m).toBe(3 / 6);
    expect(k.responseRate).toBe(4 / 6);
    // First responses: 40 s (agent), 5 s (bot), 600 s (the complaint): 215 s on average.
    expect(k.firstResponseAvgSeconds).toBe(215);
    expect(k.firstResponseMaxSeconds).toBe(600);
    // The two questions of 10:19 are not an hour old yet: not missed, not counted.
    expect(k.missedRate).toBe(0);
    expect(k.humanResponseRate3m).toBe(1 / 5);
    expect(k.inquiryConversionRate).toBe(2 / 5);
    expect(k.convertedAmountCents).toBe(19_900 + 9_900);
    expect(k.csat).toBe(0.5);
    expect(k.complaintRate).toBe(0.2);
    expect(k.repurchaseRate).toBe(0.5);
    expect(k.autoReplyCoverage).toBe(2 / 6);
    expect(k.handoverRate).toBe(1);
    expect(k.slaBreaches).toBe(1);
    expect(k.qcChecked).toBe(3);
    // Each platform's own rule over its own stores: 淘宝's 4 rounds, 3 within 3 min.
    expect(k.platformVariants.taobao3m).toBe(3 / 4);
    expect(k.platformVariants.jdFirst30s).toBe(0);
    expect(k.platformVariants.douyinHuman3m).toBeNull();
    expect(report.previous.conversations).toBe(0);
    expect(report.previous.responseRate3m).toBeNull();
    expect(report.series).toHaveLength(1);
    expect(report.series[0]!.kpis.conversations).toBe(5);

    const weekly = await w.sup.client.get("/api/analytics/kpis?from=2026-11-01&to=2026-12-31&granularity=month");
    expect(weekly.status).toBe(200);
    expect(weekly.body.series.map((p: { period: string }) => p.period)).toEqual(["2026-11-01", "2026-12-01"]);
    expect(weekly.body.previousRange).toMatchObject({ from: "2026-09-01", to: "2026-10-31" });
  });

  it("documents its routes in the OpenAPI document", async () => {
    const doc = (await (await fetch(`${t.url}/docs/json`)).json()) as { paths: Record<string, unknown> };
    for (const route of [
      "/api/analytics/kpis",
      "/api/analytics/dashboard",
      "/api/analytics/drilldown",
      "/api/analytics/exports",
    ]) {
      expect(doc.paths[route]).toBeDefined();
    }
  });

  it("reads whole past days from the daily rollups, with the same figures as the minute rollups", async () => {
    const scope = await resolveScope(
      ctx.db,
      { ...actorOf(w.sup), orgId: w.orgId, role: "supervisor", storeIds: null },
      {},
    );
    const range = resolveRange("2026-12-01", "2026-12-01", "Asia/Shanghai");
    const later = Date.parse("2026-12-03T04:00:00Z");
    for (const now of [later, clock.getTime()]) {
      for (const grouping of ["total", "agent", "store", "intent", "intentCategory", { period: "week" }] as const) {
        // A start off a day boundary is read from the minute rows; whole days from the daily ones
        // (today's with the last hour's rounds taken out of the mature counts).
        const minutes = await sumRollups(ctx.db, scope, range.startMs + 1, range.endMs, now, grouping);
        const days = await sumRollups(ctx.db, scope, range.startMs, range.endMs, now, grouping);
        expect(days).toEqual(minutes);
        expect(days.size).toBeGreaterThan(0);
      }
    }
    const k = kpisFrom(
      (await sumRollups(ctx.db, scope, range.startMs, range.endMs, later)).get("")!.counters,
      (await sumRollups(ctx.db, scope, range.startMs, range.endMs, later)).get("")!.mature,
    );
    // Two days later the two questions nobody answered have had their hour: missed.
    expect(k.missedRate).toBe(2 / 6);
    expect(k.conversations).toBe(5);
  });

  it("filters by store, platform, agent, group, intent and category", async () => {
    const kpis = async (q: string) => {
      const res = await w.sup.client.get(`/api/analytics/kpis?${today}&${q}`);
      expect(res.status).toBe(200);
      return (res.body as KpiReport).current;
    };
    expect((await kpis(`storeId=${w.jd.id}`)).conversations).toBe(2);
    expect((await kpis("platform=taobao")).conversations).toBe(3);
    expect((await kpis(`agentId=${w.a.id}`)).handled).toBe(2);
    expect((await kpis("intent=投诉")).complaints).toBe(1);
    expect((await kpis("intent=-")).conversations).toBe(2); // not classified
    expect((await kpis("category=鞋子类目")).conversations).toBe(1);
    const group = await w.sup.client.post("/api/groups", { name: "售后组", memberIds: [w.b.id, w.sup.id] });
    expect(group.status).toBe(201);
    expect((await kpis(`groupId=${group.body.id}`)).handled).toBe(1);
  });

  it("shows an agent their own figures only, and refuses anything else", async () => {
    const own = await w.a.client.get(`/api/analytics/kpis?${today}`);
    expect(own.status).toBe(200);
    expect(own.body.current.handled).toBe(2);
    expect(own.body.current.humanMessages).toBe(2);
    const other = await w.a.client.get(`/api/analytics/kpis?${today}&agentId=${w.b.id}`);
    expect(other.status).toBe(403);
    // 小李 serves the Taobao store only.
    const unserved = await w.b.client.get(`/api/analytics/kpis?${today}&storeId=${w.jd.id}`);
    expect(unserved.status).toBe(403);
    expect(unserved.body.error.code).toBe("forbidden");
    expect((await w.a.client.get("/api/analytics/dashboard")).status).toBe(403);
    expect((await w.a.client.get(`/api/analytics/drilldown?${today}&metric=handled`)).body.items).toHaveLength(2);
  });

  it("refuses bad ranges, unknown dimensions and other orgs' stores with a clear 4xx", async () => {
    const get = async (q: string) => w.sup.client.get(`/api/analytics/kpis?${q}`);
    const reversed = await get("from=2026-12-07&to=2026-12-01");
    expect(reversed.status).toBe(400);
    expect(reversed.body.error.message).toMatch(/ends before it starts/);
    const long = await get("from=2020-01-01&to=2026-12-01");
    expect(long.status).toBe(400);
    expect(long.body.error.message).toMatch(/at most 366 days/);
    expect((await get("from=2026-13-01&to=2026-12-01")).status).toBe(400);
    expect((await get(`${today}&dimension=colour`)).status).toBe(400);
    expect((await get(`${today}&granularity=hour`)).status).toBe(400);
    const intent = await get(`${today}&intent=天气`);
    expect(intent.status).toBe(400);
    expect(intent.body.error.message).toMatch(/Unknown intent/);
    const unknownStore = await get(`${today}&storeId=00000000-0000-4000-8000-000000000001`);
    expect(unknownStore.status).toBe(404);
    expect(unknownStore.body.error.code).toBe("unknown_store");
    const elsewhere = await analyticsWorld(t, ctx);
    const foreign = await get(`${today}&storeId=${elsewhere.taobao.id}`);
    expect(foreign.status).toBe(404);
    expect((await get(`${today}&agentId=${elsewhere.a.id}`)).body.error.code).toBe("unknown_agent");
    expect((await get(`${today}&groupId=00000000-0000-4000-8000-000000000001`)).body.error.code).toBe("unknown_group");
    expect((await w.sup.client.get(`/api/analytics/drilldown?${today}&metric=everything`)).status).toBe(400);
  });

  it("reports per agent, per platform and store, and on customer needs", async () => {
    const agents = (await w.sup.client.get(`/api/analytics/reports/agents?${today}`)).body;
    const zhang = agents.items.find((a: { name: string }) => a.name === "小张");
    expect(zhang.kpis.handled).toBe(2);
    expect(zhang.onlineSeconds).toBe(377); // online 09:00:00, away 09:06:17
    // Replies in two minutes (09:00, 09:16) of 377 s online.
    expect(zhang.utilisation).toBeCloseTo(2 / (377 / 60), 6);
    expect(agents.items.find((a: { name: string }) => a.name === "小李").kpis.handled).toBe(1);

    const platforms = (await w.sup.client.get(`/api/analytics/reports/platforms?${today}`)).body;
    const taobao = platforms.platforms.find((p: { platform: string }) => p.platform === "taobao");
    expect(taobao.label).toBe("淘宝");
    expect(taobao.platformKpi).toEqual({ name: "3分钟响应率", value: 3 / 4 });
    const jd = platforms.platforms.find((p: { platform: string }) => p.platform === "jd");
    expect(jd.platformKpi).toEqual({ name: "首次30秒应答率", value: 0 });
    expect(platforms.stores.map((s: { label: string }) => s.label).sort()).toEqual(["京东-自营店", "淘宝-旗舰店"]);

    const needs = (await w.sup.client.get(`/api/analytics/reports/intents?${today}`)).body;
    const size = needs.items.find((i: { intent: string }) => i.intent === "售前-尺码推荐");
    expect(size.conversations).toBe(1);
    expect(size.categories).toEqual([{ category: "鞋子类目", conversations: 1 }]);
    expect(size.topQuestions).toEqual([{ text: "这双鞋有42码吗", count: 1 }]);
    expect(needs.items.find((i: { intent: string }) => i.intent === "").conversations).toBe(2);
    expect(needs.complaintReasons).toEqual([{ text: "东西坏了，我要投诉", count: 1 }]);

    const quality = (await w.sup.client.get(`/api/analytics/reports/quality?${today}`)).body;
    expect(quality.agents.reduce((n: number, a: { checked: number }) => n + a.checked, 0)).toBe(3);
    const complaint = quality.conversations.find((c: { conversationId: string }) => c.conversationId === day.c3.id);
    // Ten minutes' wait, but it apologised (非常抱歉); no greeting, no closing, "马上" and then
    // nothing (resolved), no invitation to rate.
    expect(complaint.findings.map((f: { rule: string }) => f.rule)).toEqual([
      "no_greeting",
      "closing_not_standard",
      "hold_without_return",
      "no_evaluation_invite",
    ]);
  });

  it("drills down from a number to the conversations behind it", async () => {
    const drill = async (metric: string) => {
      const res = await w.sup.client.get(`/api/analytics/drilldown?${today}&metric=${metric}`);
      expect(res.status).toBe(200);
      return res.body.items.map((i: { conversationId: string }) => i.conversationId).sort();
    };
    expect(await drill("slow_rounds")).toEqual([day.c3.id, day.c4.id, day.c5.id].sort());
    expect(await drill("unanswered_rounds")).toEqual([day.c4.id, day.c5.id].sort());
    expect(await drill("complaints")).toEqual([day.c3.id]);
    expect(await drill("handovers")).toEqual([day.c2.id]);
    expect(await drill("sla_breaches")).toEqual([day.c3.id]);
    expect(await drill("converted_buyers")).toEqual([day.c1.id, day.c4.id].sort());
    const first = await w.sup.client.get(`/api/analytics/drilldown?${today}&metric=conversations&limit=2`);
    expect(first.body.total).toBe(5);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.items[0]).toMatchObject({ storeLabel: expect.stringMatching(/^(淘宝|京东)-/) });
  });

  it("serves the live dashboard: agents, platforms, hotspots and the queue", async () => {
    const res = await w.sup.client.get("/api/analytics/dashboard");
    expect(res.status).toBe(200);
    const d = res.body as Dashboard;
    expect(d.today).toBe("2026-12-01");
    expect(d.lagSeconds).toBe(0);
    expect(d.totals.conversations).toBe(5);
    expect(d.agents.map((a) => a.name).sort()).toEqual(["小张", "小李"]);
    expect(d.agents.find((a) => a.name === "小张")).toMatchObject({ handledToday: 2, status: "offline" });
    expect(d.platforms.map((p) => p.platform).sort()).toEqual(["jd", "taobao"]);
    const taobao = d.platforms.find((p) => p.platform === "taobao")!;
    expect(taobao.trend.length).toBe(Math.floor((10 * 60 + 19) / 5) + 1); // 00:00 … 10:15 local
    expect(taobao.trend.reduce((n, p) => n + p.conversations, 0)).toBe(3);
    expect(taobao.spike).toBe(false);
    expect(d.hotspots.top.map((h) => h.intent).sort()).toEqual(["售前-尺码推荐", "投诉", "物流-发货时间"]);
    expect(d.hotspots.top.find((h) => h.intent === "投诉")?.phrasings).toEqual([
      { text: "东西坏了，我要投诉", count: 1 },
    ]);
    expect(d.queue).toMatchObject({ unanswered: 2, slaBreachesToday: 1 });
  });

  it("flags a platform whose volume jumps (a live-stream spike)", async () => {
    const s = await analyticsWorld(t, ctx);
    const start = clock;
    // A quiet hour on Taobao, then 30 buyers within ten minutes.
    for (let i = 0; i < 4; i++) {
      clock = new Date(start.getTime() + (i * 15 + 5) * 60_000);
      await buyerWrites(ctx, s.taobao, `tb_q${i}`, "在吗");
    }
    for (let i = 0; i < 30; i++) {
      clock = new Date(start.getTime() + 65 * 60_000 + i * 20_000);
      await buyerWrites(ctx, s.taobao, `tb_live${i}`, "直播间的链接在哪");
    }
    await buyerWrites(ctx, s.jd, "jd_x", "你好");
    await consumeOrg(ctx, s.orgId);
    const d = (await s.sup.client.get("/api/analytics/dashboard")).body as Dashboard;
    const taobao = d.platforms.find((p) => p.platform === "taobao")!;
    expect(taobao.last15).toBe(30);
    expect(taobao.previousHourPer15).toBe(1);
    expect(taobao.spike).toBe(true);
    expect(d.platforms.find((p) => p.platform === "jd")!.spike).toBe(false);
    clock = start;
  });

  it("lets supervisors set the quality rules and admins the conversion window, with an audit entry", async () => {
    const rules = await w.sup.client.get("/api/analytics/quality/rules");
    expect(rules.status).toBe(200);
    expect(rules.body.rules).toHaveLength(6);
    const changed = rules.body.rules.map((r: { id: string }) =>
      r.id === "no_evaluation_invite" ? { ...r, enabled: false } : r,
    );
    expect((await w.a.client.request("PUT", "/api/analytics/quality/rules", { rules: changed })).status).toBe(403);
    const duplicate = await w.sup.client.request("PUT", "/api/analytics/quality/rules", {
      rules: [changed[0], changed[0]],
    });
    expect(duplicate.status).toBe(400);
    const saved = await w.sup.client.request("PUT", "/api/analytics/quality/rules", { rules: changed });
    expect(saved.status).toBe(200);
    expect(saved.body.rules.find((r: { id: string }) => r.id === "no_evaluation_invite").enabled).toBe(false);

    expect((await w.sup.client.get("/api/analytics/settings")).body).toEqual({ conversionWindowHours: 24 });
    expect((await w.sup.client.request("PUT", "/api/analytics/settings", { conversionWindowHours: 48 })).status).toBe(
      403,
    );
    expect((await w.admin.client.request("PUT", "/api/analytics/settings", { conversionWindowHours: 0 })).status).toBe(
      400,
    );
    const set = await w.admin.client.request("PUT", "/api/analytics/settings", { conversionWindowHours: 48 });
    expect(set.status).toBe(200);
    const audit = await queryRows<{ action: string }>(
      ctx.db,
      sql`SELECT action FROM audit_log WHERE org_id = ${w.orgId} AND action LIKE 'analytics.%' ORDER BY id`,
    );
    expect(audit.map((a) => a.action)).toEqual(["analytics.quality_rules_changed", "analytics.settings_changed"]);
    // Each change queues a recompute of the last 31 days.
    const jobs = await queryRows(
      ctx.db,
      sql`SELECT 1 FROM jobs WHERE org_id = ${w.orgId} AND queue = 'analytics-rebuild'`,
    );
    expect(jobs).toHaveLength(2);
    // The quality result of one conversation, with the lines behind it.
    const one = await w.sup.client.get(`/api/analytics/quality/conversations/${day.c3.id}`);
    expect(one.status).toBe(200);
    expect(one.body.findings[0].lines[0].text).toBe("非常抱歉，马上为您处理");
    expect((await w.b.client.get(`/api/analytics/quality/conversations/${day.c3.id}`)).status).toBe(404);
  });
});
