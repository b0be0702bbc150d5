import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoWorld, startDemoWorld } from "../../test/demo-world.ts";
import { postgresAvailable, testDb } from "../../test/harness.ts";
import { waitFor } from "../../test/wait.ts";

const run = testDb === "pglite" || (await postgresAvailable());

describe.runIf(run)(`server lifecycle (${testDb})`, () => {
  let w: DemoWorld;
  beforeAll(async () => {
    w = await startDemoWorld();
  });
  afterAll(() => w?.close());

  it("publishes an OpenAPI document generated from the contracts, and browsable docs", async () => {
    const doc = (await (await fetch(`${w.t.url}/docs/json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/auth/login", "/api/conversations", "/api/conversations/{id}/messages"]),
    );
    expect((await fetch(`${w.t.url}/docs`, { redirect: "follow" })).status).toBe(200);
  });

  it("answers health and readiness", async () => {
    expect(await (await fetch(`${w.t.url}/healthz`)).json()).toEqual({ status: "ok" });
    expect(await (await fetch(`${w.t.url}/readyz`)).json()).toMatchObject({ status: "ready", database: testDb });
  });

  it("finishes an in-flight delivery before a graceful shutdown completes", async () => {
    const agent = await w.login("agent1");
    w.sim.say({ storeKey: w.demo.stores[0]!.storeKey, buyerNick: "tb_关机前", text: "还在吗" });
    const conversation = await waitFor("conversation", async () => {
      const list = await agent.get("/api/conversations");
      return list.body.items.find((c: { customer: { displayName: string } }) => c.customer.displayName === "tb_关机前");
    });
    w.sim.setFaults({ latencyMs: 1500 });
    await agent.post(`/api/conversations/${conversation.id}/messages`, {
      body: "在的，马上好",
      idempotencyKey: "shutdown-01",
    });
    // The worker picks the job up at once; the platform answers only after 1.5 s.
    await new Promise((r) => setTimeout(r, 300));
    const sentBefore = await w.t.server.ctx.metrics.outboundMessages.get();
    // Platforms keep pushing over keep-alive connections during a deploy: shutdown must not wait for them.
    w.sim.setRate(6000);
    const closing = Date.now();
    await w.t.server.close();
    expect(Date.now() - closing).toBeLessThan(10_000);
    const sent = (await w.t.server.ctx.metrics.outboundMessages.get()).values.find((v) => v.labels.status === "sent");
    expect(sent?.value ?? 0).toBeGreaterThan(sentBefore.values.find((v) => v.labels.status === "sent")?.value ?? 0);
    expect(w.sim.replies({ buyerNick: "tb_关机前" }).map((r) => r.text)).toEqual(["在的，马上好"]);
    // close() again from afterAll must be harmless
    w.t.server.close = async () => {};
  });
});
