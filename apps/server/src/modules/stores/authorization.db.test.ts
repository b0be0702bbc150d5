import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeWorld, startFakeWorld } from "../../../test/fake-marketplace.ts";
import { postgresAvailable, testDb } from "../../../test/harness.ts";
import { waitFor } from "../../../test/wait.ts";
import { queryRows, sql } from "../../platform/db/client.ts";
import { AUTHORIZATION_SWEEP_QUEUE } from "./authorization-sweep.ts";
import { sweepAuthorizations } from "./index.ts";

const run = testDb === "pglite" || (await postgresAvailable());

describe.runIf(run)(`store authorization: grant, refresh, lapse (${testDb})`, () => {
  let w: FakeWorld;
  let clock = Date.now();
  const minutes = (n: number) => n * 60_000;

  beforeAll(async () => {
    w = await startFakeWorld({ now: () => new Date(clock), env: { PUBLIC_URL: "https://yunxi.example.com" } });
  });
  afterAll(() => w?.close());

  const storeView = async () => {
    const list = await w.owner.get("/api/stores");
    return list.body.items.find((s: { id: string }) => s.id === w.store.id);
  };
  const callback = (query: Record<string, string>) =>
    fetch(`${w.t.url}/connect/oauth/callback?${new URLSearchParams(query)}`, { redirect: "manual" });

  async function authorize(code = "good-code") {
    const start = await w.owner.post(`/api/stores/${w.store.id}/authorize`);
    expect(start.status).toBe(200);
    return {
      start: start.body as { authorizeUrl: string; state: string },
      res: await callback({ code, state: start.body.state }),
    };
  }

  it("schedules the recurring refresh sweep when the server starts", async () => {
    const jobs = await queryRows(
      w.t.server.ctx.db,
      sql`SELECT id FROM jobs WHERE queue = ${AUTHORIZATION_SWEEP_QUEUE}`,
    );
    expect(jobs.length).toBeGreaterThanOrEqual(1);
  });

  it("lets only admins start the grant, with a signed state and our callback as redirect", async () => {
    expect((await w.agent.post(`/api/stores/${w.store.id}/authorize`)).status).toBe(403);
    const start = await w.owner.post(`/api/stores/${w.store.id}/authorize`);
    expect(start.status).toBe(200);
    const url = new URL(start.body.authorizeUrl);
    expect(url.searchParams.get("redirect_uri")).toBe("https://yunxi.example.com/connect/oauth/callback");
    expect(url.searchParams.get("state")).toBe(start.body.state);
    expect(url.searchParams.get("client_id")).toBe("fake-app");
    const forged = `${start.body.state.split(".")[0]}.${"0".repeat(64)}`;
    const bad = await callback({ code: "good-code", state: forged });
    expect(bad.status).toBe(400);
  });

  it("stores the tokens from the code, redirects to the admin page, and refuses the same state twice", async () => {
    const { start, res } = await authorize();
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/admin/stores?authorized=${w.store.id}`);
    const store = await storeView();
    expect(store.authorization).toMatchObject({ state: "authorized", lastError: null });
    expect(new Date(store.authorization.expiresAt).getTime()).toBe(clock + w.market.tokenLifetimeMs);
    expect(JSON.stringify(store)).not.toContain("access-");
    const again = await callback({ code: "good-code", state: start.state });
    expect(again.status).toBe(400);
    const audit = await queryRows<{ action: string }>(
      w.t.server.ctx.db,
      sql`SELECT action FROM audit_log WHERE org_id = ${w.orgId} AND target_id = ${w.store.id} ORDER BY id`,
    );
    expect(audit.map((a) => a.action)).toContain("store.authorized");
  });

  it("shows a refused code on the store without losing the grant", async () => {
    const { res } = await authorize("stale-code");
    expect(res.headers.get("location")).toContain(`authorizeFailed=${w.store.id}`);
    const store = await storeView();
    expect(store.authorization.state).toBe("authorized");
    expect(store.authorization.lastError).toContain("invalid_grant");
  });

  it("refreshes tokens once less than a fifth of their life is left, and only then", async () => {
    await authorize();
    expect(await sweepAuthorizations(w.t.server.ctx)).toEqual({});
    clock += minutes(50);
    expect((await storeView()).authorization.state).toBe("expiring");
    expect(await sweepAuthorizations(w.t.server.ctx)).toEqual({ refreshed: 1 });
    const store = await storeView();
    expect(store.authorization.state).toBe("authorized");
    expect(new Date(store.authorization.refreshedAt).getTime()).toBe(clock);
    expect(w.market.refreshes).toBe(1);
  });

  it("keeps the grant through a passing platform failure and retries on the next sweep", async () => {
    clock += minutes(50);
    w.market.down = true;
    expect(await sweepAuthorizations(w.t.server.ctx)).toEqual({ retry: 1 });
    const store = await storeView();
    expect(store.authorization.state).toBe("expiring");
    expect(store.authorization.lastError).toContain("timeout");
    w.market.down = false;
    expect(await sweepAuthorizations(w.t.server.ctx)).toEqual({ refreshed: 1 });
    expect((await storeView()).authorization).toMatchObject({ state: "authorized", lastError: null });
  });

  it("lapses a revoked grant: replies fail at once with the reason, and work again after re-authorizing", async () => {
    await w.push([
      {
        kind: "message",
        platformMessageId: "m-auth-1",
        buyer: { platformBuyerId: "jd_授权", displayName: "jd_授权" },
        content: { type: "text", text: "你好" },
        sentAt: new Date(clock).toISOString(),
      },
    ]);
    const conversation = (await w.agent.get("/api/conversations")).body.items[0];
    w.market.revoked = true;
    clock += minutes(50);
    expect(await sweepAuthorizations(w.t.server.ctx)).toEqual({ lapsed: 1 });
    const lapsed = await storeView();
    expect(lapsed.authorization.state).toBe("lapsed");
    expect(lapsed.authorization.lastError).toContain("invalid_session");

    const sentBefore = w.market.sent.length;
    const reply = await w.agent.post(`/api/conversations/${conversation.id}/messages`, {
      body: "在的",
      idempotencyKey: "auth-lapsed-01",
    });
    expect(reply.status).toBe(201);
    const failed = await waitFor("failed", async () => {
      const list = await w.agent.get(`/api/conversations/${conversation.id}/messages`);
      const m = list.body.items.find((x: { id: string }) => x.id === reply.body.id);
      return m.deliveryStatus === "failed" && m;
    });
    expect(failed.deliveryError).toMatch(/^authorization_lapsed: /);
    expect(failed.deliveryAttempts).toBe(1);
    expect(w.market.sent.length).toBe(sentBefore);

    // Pushes are signed by the app, not the grant: still accepted on a lapsed store.
    const push = await w.push([
      {
        kind: "message",
        platformMessageId: "m-auth-2",
        buyer: { platformBuyerId: "jd_授权", displayName: "jd_授权" },
        content: { type: "text", text: "人呢" },
        sentAt: new Date(clock).toISOString(),
      },
    ]);
    expect(push.status).toBe(200);

    w.market.revoked = false;
    await authorize();
    expect((await storeView()).authorization.state).toBe("authorized");
    expect((await w.agent.post(`/api/messages/${reply.body.id}/retry`)).status).toBe(200);
    await waitFor("sent after re-authorizing", async () => {
      const list = await w.agent.get(`/api/conversations/${conversation.id}/messages`);
      return list.body.items.find((x: { id: string }) => x.id === reply.body.id).deliveryStatus === "sent";
    });
    expect(w.market.sent.at(-1)?.accessToken).toMatch(/^access-/);
  });

  it("lapses a grant whose token expired without a successful refresh", async () => {
    w.market.down = true;
    clock += minutes(61);
    expect((await storeView()).authorization.state).toBe("lapsed");
    expect(await sweepAuthorizations(w.t.server.ctx)).toEqual({ lapsed: 1 });
    w.market.down = false;
    expect((await storeView()).authorization.lastError).toContain("refresh failed");
  });
});
