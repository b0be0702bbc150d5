import type { KpiReport } from "@yunxi/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../../../test/api-client.ts";
import { postgresAvailable, startTestServer, type TestServer, testDb } from "../../../test/harness.ts";
import type { AppContext } from "../../platform/context.ts";
import { type AnalyticsWorld, analyticsWorld, serviceDay } from "./testing.ts";

const run = testDb === "pglite" || (await postgresAvailable());

/**
 * Who sees which figures (scope.ts) on the service day of testing.ts: 小张 (Taobao and JD)
 * is in group A, 小李 (Taobao) in group B; a supervisor of each group, one in no group,
 * and the admin. A supervisor sees their group's agents and the bot's and unassigned
 * figures of the stores those agents serve; nothing of the other group.
 */
describe.runIf(run)(`analytics scope: agents, groups, everyone (${testDb})`, () => {
  let t: TestServer;
  let ctx: AppContext;
  let clock = new Date("2026-12-01T01:00:00Z");
  let w: AnalyticsWorld;
  let day: Awaited<ReturnType<typeof serviceDay>>;
  let groupA: string;
  let groupB: string;
  let supA: ApiClient;
  let supB: ApiClient;
  let loner: ApiClient;
  const today = "from=2026-12-01&to=2026-12-01";

  async function supervisor(key: string, groupId: string | null): Promise<ApiClient> {
    const email = `${key}-${w.orgId.slice(0, 8)}@example.com`;
    const created = await w.admin.client.post("/api/users", {
      email,
      name: key,
      role: "supervisor",
      password: "password-123",
    });
    expect(created.status).toBe(201);
    if (groupId) {
      const members = (await w.admin.client.get("/api/groups")).body.items.find((g: { id: string }) => g.id === groupId)
        .memberIds as string[];
      const put = await w.admin.client.request("PUT", `/api/groups/${groupId}`, {
        name: groupId === groupA ? "A组" : "B组",
        memberIds: [...members, created.body.id],
      });
      expect(put.status).toBe(200);
    }
    return new ApiClient(t.url).login(email, "password-123");
  }

  beforeAll(async () => {
    t = await startTestServer({ now: () => clock, env: { WORKER_CONCURRENCY: "0" } });
    ctx = t.server.ctx;
    w = await analyticsWorld(t, ctx);
    day = await serviceDay(ctx, w, (s) => (clock = new Date(clock.getTime() + s * 1000)), { consume: true });
    groupA = (await w.admin.client.post("/api/groups", { name: "A组", memberIds: [w.a.id] })).body.id;
    groupB = (await w.admin.client.post("/api/groups", { name: "B组", memberIds: [w.b.id] })).body.id;
    supA = await supervisor("supA", groupA);
    supB = await supervisor("supB", groupB);
    loner = await supervisor("loner", null);
  });
  afterAll(() => t?.close());

  const agentsSeenBy = async (client: ApiClient) =>
    ((await client.get(`/api/analytics/reports/agents?${today}`)).body.items as { name: string }[])
      .map((a) => a.name)
      .sort();
  const kpis = async (client: ApiClient, q = "") => {
    const res = await client.get(`/api/analytics/kpis?${today}${q}`);
    return { status: res.status, k: (res.body as KpiReport).current };
  };

  it("shows a supervisor their group's agents and not the other group's", async () => {
    expect(await agentsSeenBy(supA)).toEqual(["小张"]);
    expect(await agentsSeenBy(supB)).toEqual(["小李"]);
    // 小张 handled two conversations, 小李 one; the bot's lines count for both groups' stores.
    expect((await kpis(supA)).k).toMatchObject({ handled: 2, humanMessages: 2, botMessages: 2 });
    expect((await kpis(supB)).k).toMatchObject({ handled: 1, humanMessages: 1, botMessages: 2 });
    expect((await kpis(supA, `&groupId=${groupA}`)).k.handled).toBe(2);
    expect((await kpis(supA, `&agentId=${w.a.id}`)).k.handled).toBe(2);
    // Drill-down and the quality detail: 小张's conversations, not 小李's.
    const handled = await supA.get(`/api/analytics/drilldown?${today}&metric=handled`);
    expect(handled.body.items.map((i: { conversationId: string }) => i.conversationId).sort()).toEqual(
      [day.c1.id, day.c3.id].sort(),
    );
    expect((await supA.get(`/api/analytics/quality/conversations/${day.c1.id}`)).status).toBe(200);
    expect((await supA.get(`/api/analytics/quality/conversations/${day.c2.id}`)).status).toBe(403);
    const dashboard = await supA.get("/api/analytics/dashboard");
    expect(dashboard.status).toBe(200);
    expect(dashboard.body.agents.map((a: { name: string }) => a.name)).toEqual(["小张"]);
  });

  it("refuses another group's group, agent and store filters with 403", async () => {
    for (const q of [`&groupId=${groupB}`, `&agentId=${w.b.id}`]) {
      const res = await kpis(supA, q);
      expect(res.status).toBe(403);
    }
    // 小李 serves Taobao only: JD is not a store of group B.
    expect((await kpis(supB, `&storeId=${w.jd.id}`)).status).toBe(403);
    expect((await kpis(supB, `&storeId=${w.taobao.id}`)).status).toBe(200);
    expect((await supA.get(`/api/analytics/drilldown?${today}&metric=handled&agentId=${w.b.id}`)).status).toBe(403);
    const exported = await supA.post("/api/analytics/exports", {
      from: "2026-12-01",
      to: "2026-12-01",
      format: "xlsx",
      filters: { groupId: groupB },
    });
    expect(exported.status).toBe(403);
  });

  it("shows a supervisor in no group their own figures only", async () => {
    // Their own row, like an agent's, empty: they answered nobody.
    expect(await agentsSeenBy(loner)).toEqual(["loner"]);
    expect((await kpis(loner)).k).toMatchObject({ handled: 0, conversations: 0, botMessages: 0 });
    expect((await kpis(loner, `&groupId=${groupA}`)).status).toBe(403);
    expect((await kpis(loner, `&agentId=${w.a.id}`)).status).toBe(403);
  });

  it("shows admins everything, any group", async () => {
    expect(await agentsSeenBy(w.admin.client)).toEqual(["小张", "小李"].sort());
    expect((await kpis(w.admin.client)).k).toMatchObject({ handled: 3, conversations: 5 });
    expect((await kpis(w.admin.client, `&groupId=${groupB}`)).k.handled).toBe(1);
    // The test world's supervisor leads both agents: the whole centre.
    expect((await kpis(w.sup.client)).k).toMatchObject({ handled: 3, conversations: 5 });
  });
});
