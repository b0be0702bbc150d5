import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiClient } from "../../../test/api-client.ts";
import { type DemoWorld, startDemoWorld } from "../../../test/demo-world.ts";
import { postgresAvailable, testDb } from "../../../test/harness.ts";
import { waitFor } from "../../../test/wait.ts";
import { refreshAuthorization } from "./index.ts";

const run = testDb === "pglite" || (await postgresAvailable());

/** The grant flow end to end over HTTP against the simulator's Taobao OAuth (authorize → code → token). */
describe.runIf(run)(`Taobao authorization against the simulator (${testDb})`, () => {
  let w: DemoWorld;
  let owner: ApiClient;
  let agent: ApiClient;
  let storeId: string;
  let storeKey: string;

  beforeAll(async () => {
    w = await startDemoWorld();
    owner = await w.login("owner");
    agent = await w.login("agent1");
    storeId = w.demo.stores[0]!.id;
    storeKey = w.demo.stores[0]!.storeKey;
  });
  afterAll(() => w?.close());

  const storeView = async () =>
    (await owner.get("/api/stores")).body.items.find((s: { id: string }) => s.id === storeId);

  async function authorize() {
    const start = await owner.post(`/api/stores/${storeId}/authorize`);
    expect(start.status).toBe(200);
    expect(start.body.authorizeUrl.startsWith(`${w.sim.url}/authorize?`)).toBe(true);
    // The seller consents on the platform, which sends the browser back to our callback with a code.
    const consent = await fetch(start.body.authorizeUrl, { redirect: "manual" });
    expect(consent.status).toBe(302);
    const back = new URL(consent.headers.get("location")!);
    expect(back.pathname).toBe("/connect/oauth/callback");
    expect(back.searchParams.get("state")).toBe(start.body.state);
    const callback = await fetch(`${w.t.url}${back.pathname}${back.search}`, { redirect: "manual" });
    expect(callback.status).toBe(302);
    return callback.headers.get("location");
  }

  async function replyAndSettle(conversationId: string, key: string) {
    const sent = await agent.post(`/api/conversations/${conversationId}/messages`, {
      body: "亲，在的",
      idempotencyKey: key,
    });
    expect(sent.status).toBe(201);
    return waitFor("delivery settled", async () => {
      const list = await agent.get(`/api/conversations/${conversationId}/messages`);
      const m = list.body.items.find((x: { id: string }) => x.id === sent.body.id);
      return m.deliveryStatus !== "pending" && m;
    });
  }

  it("authorizes, sends with the new token, lapses on revoke and says why", async () => {
    expect(await authorize()).toBe(`/admin/stores?authorized=${storeId}`);
    const authorized = await storeView();
    expect(authorized.authorization.state).toBe("authorized");
    expect(authorized.authorization.expiresAt).not.toBeNull();

    w.sim.say({ storeKey, buyerNick: "tb_授权买家", text: "在吗" });
    const conversation = await waitFor("conversation", async () =>
      (await agent.get("/api/conversations")).body.items.find(
        (c: { customer: { displayName: string } }) => c.customer.displayName === "tb_授权买家",
      ),
    );
    expect((await replyAndSettle(conversation.id, "sim-auth-0001")).deliveryStatus).toBe("sent");

    // The refresh the sweep would run before expiry.
    expect(await refreshAuthorization(w.t.server.ctx, w.demo.orgId, storeId)).toBe("refreshed");
    expect((await replyAndSettle(conversation.id, "sim-auth-0002")).deliveryStatus).toBe("sent");

    // The seller cancels the app in the platform's back-office.
    const revoke = await fetch(`${w.sim.url}/sim/api/taobao/grants/revoke?storeKey=${storeKey}`, { method: "POST" });
    expect(revoke.status).toBe(200);
    const refused = await replyAndSettle(conversation.id, "sim-auth-0003");
    expect(refused.deliveryStatus).toBe("failed");
    expect(refused.deliveryError).toMatch(/27|session/i);
    // The refusal made Yunxi check the grant: the store is lapsed, with the platform's word.
    const lapsed = await waitFor("lapsed", async () => {
      const s = await storeView();
      return s.authorization.state === "lapsed" && s;
    });
    expect(lapsed.authorization.lastError).toContain("invalid_grant");
    const repliesBefore = w.sim.replies({ buyerNick: "tb_授权买家" }).length;
    const fast = await replyAndSettle(conversation.id, "sim-auth-0004");
    expect(fast.deliveryStatus).toBe("failed");
    expect(fast.deliveryError).toMatch(/^authorization_lapsed: /);
    expect(w.sim.replies({ buyerNick: "tb_授权买家" })).toHaveLength(repliesBefore);

    // Re-authorizing brings it back.
    expect(await authorize()).toBe(`/admin/stores?authorized=${storeId}`);
    expect((await storeView()).authorization.state).toBe("authorized");
    expect((await agent.post(`/api/messages/${fast.id}/retry`)).status).toBe(200);
    await waitFor("sent after re-authorizing", async () => {
      const list = await agent.get(`/api/conversations/${conversation.id}/messages`);
      return list.body.items.find((x: { id: string }) => x.id === fast.id).deliveryStatus === "sent";
    });
  });

  it("syncs a buyer's orders from the simulator and answers their logistics", async () => {
    const sent = ["shipped", "delivered"];
    const buyer = w.sim.buyers({ storeKey }).find((b) => b.orders.some((o) => sent.includes(o.status)))!;
    expect(buyer).toBeDefined();
    w.sim.say({ storeKey, buyerNick: buyer.nick, text: "我的快递到哪了" });
    const conversation = await waitFor("conversation", async () =>
      (await agent.get("/api/conversations")).body.items.find(
        (c: { customer: { displayName: string } }) => c.customer.displayName === buyer.nick,
      ),
    );
    const orders = await agent.get(`/api/conversations/${conversation.id}/orders`);
    expect(orders.status).toBe(200);
    expect(orders.body.items.map((o: { orderId: string }) => o.orderId).sort()).toEqual(
      buyer.orders.map((o) => o.orderId).sort(),
    );
    const shipped = orders.body.items.find((o: { status: string }) => sent.includes(o.status));
    expect(shipped.trackingNo).toBeTruthy();
    const trace = await agent.get(`/api/orders/${shipped.id}/logistics`);
    expect(trace.status).toBe(200);
    expect(trace.body.nodes.length).toBeGreaterThan(0);
  });
});
