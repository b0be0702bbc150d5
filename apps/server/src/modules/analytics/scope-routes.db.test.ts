import type { AnalyticsFilterScope } from "@yunxi/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../../../test/api-client.ts";
import { postgresAvailable, startTestServer, type TestServer, testDb } from "../../../test/harness.ts";
import { type AnalyticsWorld, analyticsWorld } from "./testing.ts";

const run = testDb === "pglite" || (await postgresAvailable());

/**
 * The report filters' choices: 小张 (Taobao and JD) in group A with its supervisor, 小李
 * (Taobao) in group B; the world's own 客服组 holds both agents and its supervisor.
 */
describe.runIf(run)(`analytics filter scope (${testDb})`, () => {
  let t: TestServer;
  let w: AnalyticsWorld;
  let groupA: string;
  let supA: ApiClient;

  beforeAll(async () => {
    t = await startTestServer({ env: { WORKER_CONCURRENCY: "0" } });
    w = await analyticsWorld(t, t.server.ctx);
    groupA = (await w.admin.client.post("/api/groups", { name: "A组", memberIds: [w.a.id] })).body.id;
    expect((await w.admin.client.post("/api/groups", { name: "B组", memberIds: [w.b.id] })).status).toBe(201);
    const email = `supA-${w.orgId.slice(0, 8)}@example.com`;
    const created = await w.admin.client.post("/api/users", {
      email,
      name: "主管A",
      role: "supervisor",
      password: "password-123",
    });
    expect(created.status).toBe(201);
    const put = await w.admin.client.request("PUT", `/api/groups/${groupA}`, {
      name: "A组",
      memberIds: [w.a.id, created.body.id],
    });
    expect(put.status).toBe(200);
    supA = await new ApiClient(t.url).login(email, "password-123");
  });
  afterAll(() => t?.close());

  const scopeOf = async (client: ApiClient) => {
    const res = await client.get("/api/analytics/scope");
    expect(res.status).toBe(200);
    const body = res.body as AnalyticsFilterScope;
    return { ...body, agents: body.agents.map((a) => a.name).sort(), groups: body.groups.map((g) => g.name).sort() };
  };

  it("offers a supervisor the members of their groups, their groups and their members' stores", async () => {
    const scope = await scopeOf(supA);
    expect(scope).toMatchObject({ oversight: "groups", agents: ["主管A", "小张"].sort(), groups: ["A组"] });
    expect([...(scope.storeIds ?? [])].sort()).toEqual([w.taobao.id, w.jd.id].sort());
    // Every choice offered is accepted by the reports.
    const kpis = await supA.get(
      `/api/analytics/kpis?from=2026-12-01&to=2026-12-01&agentId=${w.a.id}&groupId=${groupA}`,
    );
    expect(kpis.status).toBe(200);
    expect((await scopeOf(w.sup.client)).groups).toEqual(["客服组"]);
    expect((await scopeOf(w.sup.client)).agents).toEqual(["主管", "小张", "小李"].sort());
  });

  it("offers an admin every agent and group, an agent only themselves", async () => {
    const admin = await scopeOf(w.admin.client);
    expect(admin).toMatchObject({ oversight: "all", storeIds: null, groups: ["A组", "B组", "客服组"].sort() });
    expect(admin.agents).toEqual(["主管", "主管A", "小张", "小李", "管理员"].sort());
    expect(await scopeOf(w.b.client)).toMatchObject({ oversight: "own", agents: ["小李"], groups: [] });
  });

  it("needs a session", async () => {
    expect((await new ApiClient(t.url).get("/api/analytics/scope")).status).toBe(401);
  });
});
