import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../../../test/api-client.ts";
import { postgresAvailable, startTestServer, type TestServer, testDb } from "../../../test/harness.ts";
import { type DemoSeed, seedDemoOrg } from "../../cli/seed-demo.ts";
import { verifyChain } from "../audit/index.ts";

const run = testDb === "pglite" || (await postgresAvailable());

describe.runIf(run)(`identity over HTTP (${testDb})`, () => {
  let t: TestServer;
  let demo: DemoSeed;
  let other: DemoSeed;
  const login = (key: string, seed = demo) => {
    const l = seed.logins.find((x) => x.email.startsWith(`${key}@`))!;
    return new ApiClient(t.url).login(l.email, l.password);
  };

  beforeAll(async () => {
    t = await startTestServer();
    demo = await seedDemoOrg(t.server.ctx, { gatewayUrl: "http://127.0.0.1:9" });
    other = await seedDemoOrg(t.server.ctx, {
      gatewayUrl: "http://127.0.0.1:9",
      orgName: "别家",
      emailDomain: "other.test",
    });
  });
  afterAll(() => t?.close());

  it("logs in with a session cookie and answers /me", async () => {
    const agent = await login("agent1");
    expect(agent.cookie).toMatch(/^yunxi_session=/);
    const me = await agent.get("/api/auth/me");
    expect(me.status).toBe(200);
    expect(me.body.user.role).toBe("agent");
    expect(me.body.user).not.toHaveProperty("passwordHash");
  });

  it("refuses a wrong password with the same answer as an unknown e-mail", async () => {
    const c = new ApiClient(t.url);
    const wrong = await c.post("/api/auth/login", { email: demo.logins[1]!.email, password: "nope-nope" });
    const unknown = await c.post("/api/auth/login", { email: "nobody@x.test", password: "nope-nope" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });

  it("locks an account after repeated failures, even for the right password", async () => {
    const target = demo.logins.find((l) => l.email.startsWith("agent2@"))!;
    const c = new ApiClient(t.url);
    for (let i = 0; i < 5; i++) await c.post("/api/auth/login", { email: target.email, password: "wrong-password" });
    const locked = await c.post("/api/auth/login", { email: target.email, password: target.password });
    expect(locked.status).toBe(423);
    expect(locked.body.error.code).toBe("account_locked");
  });

  it("requires the CSRF token on state-changing requests", async () => {
    const agent = await login("agent3");
    const token = agent.csrfToken;
    agent.csrfToken = "";
    const res = await agent.request("POST", "/api/auth/logout", undefined, {});
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("csrf_failed");
    agent.csrfToken = token;
    expect((await agent.post("/api/auth/logout")).status).toBe(204);
    expect((await agent.get("/api/auth/me")).status).toBe(401);
  });

  it("lists and revokes own sessions; a revoked session is signed out at once", async () => {
    const first = await login("supervisor");
    const second = await login("supervisor");
    const list = await second.get("/api/auth/sessions");
    expect(list.body.items.length).toBeGreaterThanOrEqual(2);
    const firstId = list.body.items.find((s: { current: boolean }) => !s.current).id;
    expect((await second.delete(`/api/auth/sessions/${firstId}`)).status).toBe(204);
    expect((await first.get("/api/auth/me")).status).toBe(401);
    expect((await second.get("/api/auth/me")).status).toBe(200);
  });

  it("rejects bad input with the error shape and writes nothing", async () => {
    const owner = await login("owner");
    const before = (await owner.get("/api/users")).body.items.length;
    const cases: unknown[] = [
      { email: "a@b.test", name: "x", role: "agent", password: "short" },
      { email: "not-an-email", name: "x", role: "agent", password: "long-enough-1" },
      { email: "a@b.test", name: "x", role: "god", password: "long-enough-1" },
      { email: "a@b.test", name: "x", role: "agent", password: "long-enough-1", extra: true },
    ];
    for (const body of cases) {
      const res = await owner.post("/api/users", body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("validation_failed");
    }
    const malformed = await owner.request("POST", "/api/users", "{not json", { "content-type": "application/json" });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toHaveProperty("code");
    expect((await owner.get("/api/users")).body.items.length).toBe(before);
  });

  it("lets only admins manage users, and never above their own role", async () => {
    const agent = await login("agent1");
    const denied = await agent.post("/api/users", {
      email: "new@demo.test",
      name: "新人",
      role: "agent",
      password: "long-enough-1",
    });
    expect(denied.status).toBe(403);
    const owner = await login("owner");
    const created = await owner.post("/api/users", {
      email: "new@demo.test",
      name: "新人",
      role: "agent",
      password: "long-enough-1",
      storeIds: [demo.stores[0]!.id],
    });
    expect(created.status).toBe(201);
    const foreignStore = await owner.post("/api/users", {
      email: "new2@demo.test",
      name: "新人2",
      role: "agent",
      password: "long-enough-1",
      storeIds: [other.stores[0]!.id],
    });
    expect(foreignStore.status).toBe(400);
  });

  it("shows an agent only their stores and never another org's, and hides credentials", async () => {
    const agent = await login("agent1");
    const stores = (await agent.get("/api/stores")).body.items;
    expect(stores.map((s: { label: string }) => s.label)).toEqual(["淘宝-旗舰店"]);
    expect(JSON.stringify(stores)).not.toContain(demo.stores[0]!.appSecret);
    const owner = await login("owner");
    expect((await owner.get("/api/stores")).body.items).toHaveLength(2);
    const foreign = await owner.patch(`/api/stores/${other.stores[0]!.id}`, { name: "偷梁换柱" });
    expect(foreign.status).toBe(404);
    expect((await owner.patch("/api/stores/not-a-uuid", { name: "x" })).status).toBe(404);
  });

  it("keeps a tamper-evident audit chain", async () => {
    expect(await verifyChain(t.server.ctx.db, demo.orgId)).toBeNull();
  });
});
