import type { AnalyticsFilters } from "@yunxi/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresAvailable, startTestServer, type TestServer, testDb } from "../../../test/harness.ts";
import type { AppContext } from "../../platform/context.ts";
import { sql } from "../../platform/db/client.ts";
import { dashboard } from "./dashboard.ts";
import { agentReport, dimensionsOf, intentReport, kpiReport, platformReport, rollupTableName } from "./queries.ts";
import { resolveScope, type Scope } from "./scope.ts";
import { type AnalyticsWorld, analyticsWorld, serviceDay } from "./testing.ts";

const run = testDb === "pglite" || (await postgresAvailable());

/**
 * Every report read from the narrowest rollups that answer it (per store, per store ×
 * agent, per store × intent, first lines per day) gives exactly what the full rollups and
 * the conversation rows give, whatever the filters: two service days (Shanghai,
 * 2026-11-30 and 2026-12-01), reports of a day, a week and a month.
 */
describe.runIf(run)(`analytics rollup levels (${testDb})`, () => {
  let t: TestServer;
  let ctx: AppContext;
  let clock = new Date("2026-11-30T01:00:00Z");
  const tick = (seconds: number) => {
    clock = new Date(clock.getTime() + seconds * 1000);
  };
  let w: AnalyticsWorld;

  beforeAll(async () => {
    t = await startTestServer({ now: () => clock, env: { WORKER_CONCURRENCY: "0" } });
    ctx = t.server.ctx;
    w = await analyticsWorld(t, ctx);
    await serviceDay(ctx, w, tick, { consume: true });
    clock = new Date("2026-12-01T01:00:00Z");
    await serviceDay(ctx, w, tick, { consume: true });
  });
  afterAll(() => t?.close());

  const scopeOf = (filters: AnalyticsFilters) =>
    resolveScope(
      ctx.db,
      { orgId: w.orgId, userId: w.admin.id, role: "admin", name: "", sessionId: "", csrfToken: "", storeIds: null },
      filters,
    );
  const filterSets = (): [string, AnalyticsFilters][] => [
    ["the whole org", {}],
    ["a store", { storeId: w.jd.id }],
    ["a platform", { platform: "taobao" }],
    ["an agent", { agentId: w.a.id }],
    ["an intent", { intent: "投诉" }],
    ["not classified", { intent: "-" }],
    ["a category", { category: "鞋子类目" }],
  ];
  const full = (scope: Scope): Scope => ({ ...scope, rollups: "full" });

  it("reads the narrowest level that carries the filters and the grouping", async () => {
    const org = await scopeOf({});
    const table = (scope: Scope, grouping: Parameters<typeof dimensionsOf>[1], time: "minute" | "day" = "day") =>
      rollupTableName(scope, time, dimensionsOf(scope, grouping));
    expect(table(org, "total")).toBe("analytics_store_days");
    expect(table(org, { period: "week" })).toBe("analytics_store_days");
    expect(table(org, "store")).toBe("analytics_store_days");
    expect(table(org, "store", "minute")).toBe("analytics_store_minutes");
    expect(table(org, "agent")).toBe("analytics_store_agent_days");
    expect(table(org, "intentCategory")).toBe("analytics_store_intent_days");
    expect(table(org, "intent", "minute")).toBe("analytics_minute_rollups");
    expect(table(await scopeOf({ agentId: w.a.id }), "total")).toBe("analytics_store_agent_days");
    expect(table(await scopeOf({ agentId: w.a.id }), "intent")).toBe("analytics_daily_rollups");
    expect(table(full(org), "total")).toBe("analytics_daily_rollups");
  });

  it("gives the same KPI, agent, platform and customer-needs reports as the full rollups", async () => {
    const now = clock.getTime();
    const ranges = [
      { from: "2026-12-01", to: "2026-12-01", granularity: "day" as const },
      { from: "2026-11-25", to: "2026-12-01", granularity: "day" as const },
      { from: "2026-11-01", to: "2026-11-30", granularity: "week" as const },
      { from: "2026-12-01", to: "2026-12-31", granularity: "month" as const },
    ];
    let compared = 0;
    for (const [, filters] of filterSets()) {
      const scope = await scopeOf(filters);
      for (const q of ranges) {
        expect(await kpiReport(ctx.db, scope, q, now)).toEqual(await kpiReport(ctx.db, full(scope), q, now));
        expect(await agentReport(ctx.db, scope, q, now)).toEqual(await agentReport(ctx.db, full(scope), q, now));
        expect(await platformReport(ctx.db, scope, q, now)).toEqual(await platformReport(ctx.db, full(scope), q, now));
        expect(await intentReport(ctx.db, scope, q, now)).toEqual(await intentReport(ctx.db, full(scope), q, now));
        compared += 4;
      }
    }
    expect(compared).toBe(filterSets().length * ranges.length * 4);
    // Not vacuous: the figures are there.
    const week = await intentReport(ctx.db, await scopeOf({}), ranges[1]!, now);
    // Day two's buyers mostly write into their conversations of day one: 5 + 3.
    expect(week.items.reduce((n, i) => n + i.conversations, 0)).toBe(8);
    expect(week.items.flatMap((i) => i.topQuestions).length).toBeGreaterThan(0);
    expect(week.complaintReasons).toEqual([{ text: "东西坏了，我要投诉", count: 2 }]);
  });

  it("gives the same live dashboard as the full rollups", async () => {
    const now = clock.getTime();
    for (const filters of [{}, { storeId: w.taobao.id }, { platform: "jd" as const }]) {
      const scope = await scopeOf(filters);
      const narrow = await dashboard(ctx.db, scope, now);
      expect(narrow).toEqual(await dashboard(ctx.db, full(scope), now));
      if (Object.keys(filters).length === 0) {
        expect(narrow.totals.conversations).toBe(3);
        expect(narrow.hotspots.top.flatMap((h) => h.phrasings).length).toBeGreaterThan(0);
        expect(narrow.hotspots.top.flatMap((h) => h.examples).length).toBeGreaterThan(0);
      }
    }
  });

  it("reads the narrow rows indeed: a wrong per-store row shows in the org's KPIs, not in the full ones", async () => {
    const now = clock.getTime();
    const scope = await scopeOf({});
    const q = { from: "2026-12-01", to: "2026-12-01", granularity: "day" as const };
    await ctx.db.execute(
      sql`UPDATE analytics_store_days SET conversations = conversations + 100 WHERE org_id = ${w.orgId}`,
    );
    const narrow = await kpiReport(ctx.db, scope, q, now);
    const wide = await kpiReport(ctx.db, full(scope), q, now);
    expect(narrow.current.conversations).toBe(wide.current.conversations + 200);
  });
});
