import type { Conversation, RealtimeEvent } from "@yunxi/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../../../../test/api-client.ts";
import { postgresAvailable, startTestServer, type TestServer, testDb } from "../../../../test/harness.ts";
import { waitFor } from "../../../../test/wait.ts";
import type { AppContext } from "../../../platform/context.ts";
import { queryRows, sql } from "../../../platform/db/client.ts";
import type { LoggedEvent } from "../../../platform/events/log.ts";
import { createOrg, createUser, login, SESSION_COOKIE } from "../../identity/index.ts";
import { assertStoresInOrg, createStore } from "../../stores/index.ts";
import { ingestInbound } from "../ingest.ts";
import { suggestedPriorityRules } from "./priority.ts";
import { triageAndRoute } from "./queue.ts";
import { seedPriorityRules } from "./settings.ts";
import { sweepOrg } from "./sweep.ts";

const run = testDb === "pglite" || (await postgresAvailable());

/**
 * The workspace end to end on a real database, with the clock under the test's
 * control and no background workers: each step (triage, routing, the sweep) runs
 * when the test says so.
 */
describe.runIf(run)(`workspace: routing, actions and SLA (${testDb})`, () => {
  let t: TestServer;
  let ctx: AppContext;
  let clock = new Date("2026-12-01T02:00:00Z"); // 10:00 in Shanghai, a Tuesday
  const events: LoggedEvent[] = [];
  let seq = 0;

  beforeAll(async () => {
    t = await startTestServer({ now: () => clock, env: { WORKER_CONCURRENCY: "0" } });
    ctx = t.server.ctx;
    ctx.bus.subscribe((batch) => events.push(...batch));
  });
  afterAll(() => t?.close());

  const tick = (seconds: number) => {
    clock = new Date(clock.getTime() + seconds * 1000);
  };

  async function freshOrg() {
    const org = await createOrg(ctx, { name: `路由${++seq}` });
    const store = async (name: string) =>
      createStore(ctx, null, org.id, {
        platform: "taobao",
        name,
        gatewayUrl: "http://127.0.0.1:9",
        sellerId: `${name}${seq}`,
        credentials: { appKey: "k", appSecret: "s".repeat(16) },
      });
    const flagship = await store("旗舰店");
    const outlet = await store("折扣店");
    const user = async (name: string, login: string, role: "agent" | "supervisor", storeIds: string[]) => {
      const email = `${login}-${seq}@example.com`;
      const row = await createUser(
        ctx,
        org.id,
        { email, name, role, password: "password-123", storeIds },
        null,
        assertStoresInOrg,
      );
      return { id: row.id, client: await signedIn(email) };
    };
    return {
      orgId: org.id,
      flagship,
      outlet,
      a: await user("小张", "zhang", "agent", [flagship.id]),
      b: await user("小李", "li", "agent", [flagship.id]),
      c: await user("小王", "wang", "agent", [outlet.id]),
      sup: await user("主管", "sup", "supervisor", []),
    };
  }

  type Org = Awaited<ReturnType<typeof freshOrg>>;

  /** A client with a session made by the identity service (HTTP login is rate limited per address). */
  async function signedIn(email: string): Promise<ApiClient> {
    const { token, session } = await login(ctx, {
      email,
      password: "password-123",
      ip: "127.0.0.1",
      userAgent: "test",
    });
    const client = new ApiClient(t.url);
    client.cookie = `${SESSION_COOKIE}=${token}`;
    client.csrfToken = session.csrfToken;
    return client;
  }

  /** A buyer writes, then triage and routing run as the job would. */
  async function buyerWrites(org: Org, storeId: string, buyer: string, text: string) {
    const store = { id: storeId, orgId: org.orgId, platform: "taobao", name: "店" };
    const result = await ingestInbound(ctx, store, [
      {
        kind: "message",
        platformMessageId: `m-${buyer}-${clock.getTime()}-${Math.random()}`,
        buyer: { platformBuyerId: buyer, displayName: buyer },
        content: { type: "text", text },
        sentAt: clock,
      },
    ]);
    const conversation = (
      result.events.find((e) => e.type === "message.created")!.payload as { conversation: Conversation }
    ).conversation;
    await triageAndRoute(ctx, org.orgId);
    return get(org.sup.client, conversation.id);
  }

  async function get(client: ApiClient, id: string): Promise<Conversation> {
    const res = await client.get(`/api/conversations/${id}`);
    expect(res.status).toBe(200);
    return res.body;
  }

  const online = async (...agents: { client: ApiClient }[]) => {
    for (const agent of agents) {
      expect((await agent.client.request("PUT", "/api/agents/me/status", { status: "online" })).status).toBe(200);
    }
  };

  it("queues a conversation while nobody is online, and assigns it when an agent comes online", async () => {
    const org = await freshOrg();
    const waiting = await buyerWrites(org, org.flagship.id, "tb_q1", "在吗");
    expect(waiting.assigneeId).toBeNull();
    expect(waiting.queuedAt).not.toBeNull();
    // The SLA target is set from the first message: 3 minutes by default.
    expect(waiting.sla.firstResponseDueAt).toBe(new Date(clock.getTime() + 180_000).toISOString());

    await online(org.c); // serves the other store only
    expect((await get(org.sup.client, waiting.id)).assigneeId).toBeNull();
    await online(org.a);
    const assigned = await get(org.sup.client, waiting.id);
    expect(assigned.assigneeId).toBe(org.a.id);
    expect(assigned.queuedAt).toBeNull();
  });

  it("spreads conversations least-busy first and respects each agent's capacity", async () => {
    const org = await freshOrg();
    await online(org.a, org.b);
    expect((await org.sup.client.patch(`/api/agents/${org.a.id}`, { capacity: 1 })).status).toBe(200);
    const got = [];
    for (const buyer of ["tb_1", "tb_2", "tb_3", "tb_4"])
      got.push((await buyerWrites(org, org.flagship.id, buyer, "你好")).assigneeId);
    expect(got.filter((id) => id === org.a.id)).toHaveLength(1);
    expect(got.filter((id) => id === org.b.id)).toHaveLength(3);
    const agents = (await org.sup.client.get("/api/agents")).body.items as { userId: string; load: number }[];
    expect(agents.find((x) => x.userId === org.a.id)?.load).toBe(1);
  });

  it("orders the queue by priority (after-sales first), then by wait", async () => {
    const org = await freshOrg();
    await seedPriorityRules(ctx.db, org.orgId, suggestedPriorityRules);
    const pre = await buyerWrites(org, org.flagship.id, "tb_pre", "有42码吗");
    tick(5);
    const after = await buyerWrites(org, org.flagship.id, "tb_after", "鞋子开胶了我要退货");
    expect(after.priority).toBeGreaterThan(pre.priority);
    expect(after.priorityReasons).toContain("售后(关键词)");
    // AI pre-review tagged both before anyone read them; the intent rule counts too.
    expect(after.tags[0]).toMatch(/^售后-/);
    expect(after.priorityReasons).toContain("售后");
    expect(pre.tags.some((t) => t.startsWith("售后"))).toBe(false);
    const queue = await org.sup.client.get("/api/conversations?assignee=unassigned&sort=priority&status=open");
    expect(queue.body.items.map((c: Conversation) => c.id)).toEqual([after.id, pre.id]);
    // One free seat goes to the after-sales buyer although they came later.
    await org.sup.client.patch(`/api/agents/${org.a.id}`, { capacity: 1 });
    await online(org.a);
    expect((await get(org.sup.client, after.id)).assigneeId).toBe(org.a.id);
    expect((await get(org.sup.client, pre.id)).assigneeId).toBeNull();
  });

  it("weighs a VIP buyer and a long wait: buyer tags and wait rules raise the priority", async () => {
    const org = await freshOrg();
    await seedPriorityRules(ctx.db, org.orgId, suggestedPriorityRules);
    const c = await buyerWrites(org, org.flagship.id, "tb_vip", "你好");
    expect(c.priority).toBe(0);
    const tagged = await org.a.client.request("PUT", `/api/customers/${c.customer.id}/tags`, { tags: ["VIP"] });
    expect(tagged.status).toBe(200);
    expect(tagged.body.customer.tags).toEqual(["VIP"]);
    await triageAndRoute(ctx, org.orgId);
    const vip = await get(org.sup.client, c.id);
    expect(vip.priority).toBe(20);
    expect(vip.priorityReasons).toContain("VIP");
    // Waiting: +2 per minute in the queue, weighed again by the sweep (before the SLA target breaches).
    tick(150);
    await sweepOrg(ctx, org.orgId);
    const waited = await get(org.sup.client, c.id);
    expect(waited.priority).toBe(24);
    expect(waited.priorityReasons).toContain("等待时长");
    // Another store's agent may not tag this buyer.
    expect((await org.c.client.request("PUT", `/api/customers/${c.customer.id}/tags`, { tags: [] })).status).toBe(404);
  });

  it("sticky routing sends a returning buyer back to their last agent", async () => {
    const org = await freshOrg();
    expect(
      (await org.sup.client.request("PUT", `/api/routing/stores/${org.flagship.id}`, { strategy: "sticky" })).status,
    ).toBe(200);
    await online(org.a, org.b);
    const first = await buyerWrites(org, org.flagship.id, "tb_sticky", "在吗");
    const served = first.assigneeId!;
    expect((await org.sup.client.patch(`/api/conversations/${first.id}`, { status: "resolved" })).status).toBe(200);
    // Make the other agent the least busy one, then the buyer comes back.
    const other = served === org.a.id ? org.b : org.a;
    const self = served === org.a.id ? org.a : org.b;
    await buyerWrites(org, org.flagship.id, "tb_filler", "你好");
    void other;
    const again = await buyerWrites(org, org.flagship.id, "tb_sticky", "我又来了");
    expect(again.id).not.toBe(first.id);
    expect(again.assigneeId).toBe(self.id);
  });

  it("lets exactly one of two concurrent claims win, and tells the other who holds it", async () => {
    const org = await freshOrg();
    const c = await buyerWrites(org, org.flagship.id, "tb_claim", "在吗");
    const [ra, rb] = await Promise.all([
      org.a.client.post(`/api/conversations/${c.id}/claim`),
      org.b.client.post(`/api/conversations/${c.id}/claim`),
    ]);
    expect([ra.status, rb.status].sort()).toEqual([200, 409]);
    const loser = ra.status === 409 ? ra : rb;
    expect(loser.body.error.code).toBe("already_assigned");
    expect(loser.body.error.message).toMatch(ra.status === 409 ? "小李" : "小张");
    // An agent of another store cannot even see it.
    expect((await org.c.client.post(`/api/conversations/${c.id}/claim`)).status).toBe(404);
  });

  it("transfers to an agent of the store with a note, and refuses one who does not serve it", async () => {
    const org = await freshOrg();
    const c = await buyerWrites(org, org.flagship.id, "tb_tr", "尺码问题");
    await org.a.client.post(`/api/conversations/${c.id}/claim`);
    const refused = await org.a.client.post(`/api/conversations/${c.id}/transfer`, { toUserId: org.c.id, note: "x" });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe("not_serving_store");
    expect((await get(org.sup.client, c.id)).assigneeId).toBe(org.a.id);

    const moved = await org.a.client.post(`/api/conversations/${c.id}/transfer`, {
      toUserId: org.b.id,
      note: "老客户，尺码偏大",
    });
    expect(moved.status).toBe(200);
    expect(moved.body.assigneeId).toBe(org.b.id);
    const thread = (await org.b.client.get(`/api/conversations/${c.id}/messages`)).body.items;
    const note = thread.find((m: { kind: string }) => m.kind === "note");
    expect(note).toMatchObject({ direction: "internal", deliveryStatus: null });
    expect(note.body).toContain("老客户，尺码偏大");
    // The previous holder may no longer hand it on.
    expect((await org.a.client.post(`/api/conversations/${c.id}/unassign`)).status).toBe(403);
    // Bad input: both or neither target.
    expect((await org.b.client.post(`/api/conversations/${c.id}/transfer`, { note: "?" })).status).toBe(400);
  });

  it("transfers to a group: back to the queue for that group's members only", async () => {
    const org = await freshOrg();
    const group = await org.sup.client.post("/api/groups", { name: "售后组", memberIds: [org.b.id] });
    expect(group.status).toBe(201);
    const c = await buyerWrites(org, org.flagship.id, "tb_grp", "退货");
    await org.a.client.post(`/api/conversations/${c.id}/claim`);
    await online(org.a);
    const moved = await org.a.client.post(`/api/conversations/${c.id}/transfer`, { toGroupId: group.body.id });
    expect(moved.body.assigneeId).toBeNull();
    expect(moved.body.groupId).toBe(group.body.id);
    await online(org.b);
    expect((await get(org.sup.client, c.id)).assigneeId).toBe(org.b.id);
  });

  it("re-queues an agent's unanswered conversations when they go offline", async () => {
    const org = await freshOrg();
    await online(org.a);
    const c = await buyerWrites(org, org.flagship.id, "tb_off", "在吗");
    expect(c.assigneeId).toBe(org.a.id);
    await org.a.client.request("PUT", "/api/agents/me/status", { status: "offline" });
    const after = await get(org.sup.client, c.id);
    expect(after.assigneeId).toBeNull();
    expect(after.queuedAt).not.toBeNull();
  });

  it("takes a store's conversations away from an agent whose membership is removed, at once", async () => {
    const org = await freshOrg();
    await online(org.a);
    const c = await buyerWrites(org, org.flagship.id, "tb_mem", "在吗");
    expect(c.assigneeId).toBe(org.a.id);
    const admin = await createUser(
      ctx,
      org.orgId,
      { email: `admin-${seq}@example.com`, name: "管理员", role: "admin", password: "password-123", storeIds: [] },
      null,
      assertStoresInOrg,
    );
    void admin;
    const adminClient = await signedIn(`admin-${seq}@example.com`);
    expect((await adminClient.patch(`/api/users/${org.a.id}`, { storeIds: [org.outlet.id] })).status).toBe(200);
    expect((await org.a.client.get(`/api/conversations/${c.id}`)).status).toBe(404);
    await waitFor("re-queued", async () => (await get(org.sup.client, c.id)).assigneeId === null);
    expect((await get(org.sup.client, c.id)).queuedAt).not.toBeNull();
  });

  it("warns, breaches, records and escalates the SLA as the clock moves", async () => {
    const org = await freshOrg();
    await online(org.a);
    const c = await buyerWrites(org, org.flagship.id, "tb_sla", "什么时候发货");
    const before = events.length;
    tick(119);
    await sweepOrg(ctx, org.orgId);
    expect(events.slice(before).filter((e) => e.type === "sla.alert")).toHaveLength(0);
    tick(2); // 121 s: within the 60 s warning window
    await sweepOrg(ctx, org.orgId);
    const warned = events.slice(before).filter((e) => e.type === "sla.alert") as unknown as RealtimeEvent[];
    expect(warned.map((e) => (e as unknown as LoggedEvent).payload.level)).toEqual(["warning"]);
    tick(60); // past the 3-minute target
    await sweepOrg(ctx, org.orgId);
    await sweepOrg(ctx, org.orgId); // raised once, not on every sweep
    const alerts = events
      .slice(before)
      .filter((e) => e.type === "sla.alert")
      .map((e) => e.payload.level);
    expect(alerts).toEqual(["warning", "breached"]);
    const breached = await get(org.sup.client, c.id);
    expect(breached.sla.breaches).toEqual(["first_response"]);
    expect(breached.priority).toBe(20);
    expect(breached.priorityReasons).toContain("SLA");
    const rows = await queryRows<{ kind: string }>(
      ctx.db,
      sql`SELECT kind FROM sla_breaches WHERE conversation_id = ${c.id}`,
    );
    expect(rows.map((r) => r.kind)).toEqual(["first_response"]);
    // The supervisors' missed-reply list shows it.
    const list = await org.sup.client.get("/api/conversations?sla=breached");
    expect(list.body.items.map((x: Conversation) => x.id)).toEqual([c.id]);
    const counts = await org.sup.client.get("/api/conversations/counts");
    expect(counts.body).toMatchObject({ total: 1, breached: 1, waiting: 1, unassigned: 0 });
  });

  it("counts SLA in business hours: a message at night is due the next morning", async () => {
    const org = await freshOrg();
    const hours = {
      alwaysOpen: false,
      windows: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: "09:00", end: "18:00" })),
    };
    const res = await org.sup.client.request("PUT", `/api/routing/stores/${org.flagship.id}`, { businessHours: hours });
    expect(res.status).toBe(200);
    const saved = clock;
    clock = new Date("2026-12-01T15:50:00Z"); // 23:50 in Shanghai
    const c = await buyerWrites(org, org.flagship.id, "tb_night", "在吗");
    expect(c.sla.firstResponseDueAt).toBe("2026-12-02T01:03:00.000Z"); // 09:03 the next morning
    clock = saved;
  });

  it("snoozes until a time, then wakes the conversation up for its agent", async () => {
    const org = await freshOrg();
    await online(org.a);
    const c = await buyerWrites(org, org.flagship.id, "tb_snooze", "我考虑一下");
    const until = new Date(clock.getTime() + 30 * 60_000).toISOString();
    const snoozed = await org.a.client.post(`/api/conversations/${c.id}/snooze`, { until });
    expect(snoozed.body).toMatchObject({ status: "pending", snoozedUntil: until });
    expect((await org.a.client.post(`/api/conversations/${c.id}/snooze`, { until: clock.toISOString() })).status).toBe(
      400,
    );
    tick(31 * 60);
    await sweepOrg(ctx, org.orgId);
    expect(await get(org.sup.client, c.id)).toMatchObject({ status: "open", snoozedUntil: null, assigneeId: org.a.id });
  });

  it("merges two conversations of the same buyer", async () => {
    const org = await freshOrg();
    const first = await buyerWrites(org, org.flagship.id, "tb_merge", "第一句");
    tick(1);
    const second = await buyerWrites(org, org.outlet.id, "tb_merge", "第二句");
    expect(second.customer.id).toBe(first.customer.id);
    const other = await buyerWrites(org, org.flagship.id, "tb_someone", "别人");
    expect(
      (await org.sup.client.post(`/api/conversations/${first.id}/merge`, { conversationId: other.id })).status,
    ).toBe(422);
    const merged = await org.sup.client.post(`/api/conversations/${first.id}/merge`, { conversationId: second.id });
    expect(merged.status).toBe(200);
    expect(merged.body.lastMessagePreview).toBe("第二句");
    const thread = (await org.sup.client.get(`/api/conversations/${first.id}/messages`)).body.items;
    expect(thread.map((m: { body: string }) => m.body)).toEqual(["第一句", "第二句"]);
    expect(await get(org.sup.client, second.id)).toMatchObject({ status: "resolved", mergedIntoId: first.id });
  });

  it("keeps internal notes with mentions apart from the buyer's thread delivery", async () => {
    const org = await freshOrg();
    const c = await buyerWrites(org, org.flagship.id, "tb_note", "在吗");
    const note = await org.a.client.post(`/api/conversations/${c.id}/notes`, {
      body: "@小李 这位是老客户",
      mentions: [org.b.id],
      idempotencyKey: "note-key-1",
    });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ kind: "note", direction: "internal", mentions: [org.b.id] });
    const again = await org.a.client.post(`/api/conversations/${c.id}/notes`, {
      body: "@小李 这位是老客户",
      mentions: [org.b.id],
      idempotencyKey: "note-key-1",
    });
    expect(again.body.id).toBe(note.body.id);
    const refused = await org.a.client.post(`/api/conversations/${c.id}/notes`, {
      body: "@小王",
      mentions: [org.c.id],
      idempotencyKey: "note-key-2",
    });
    expect(refused.body.error.code).toBe("unknown_mention");
    const jobs = await queryRows<{ n: number }>(
      ctx.db,
      sql`SELECT count(*)::int AS n FROM jobs WHERE queue = 'deliver-message' AND payload->>'messageId' = ${note.body.id}`,
    );
    expect(jobs[0]!.n).toBe(0);
    // The conversation's preview is the buyer's, not the note.
    expect((await get(org.sup.client, c.id)).lastMessagePreview).toBe("在吗");
  });

  it("filters and searches the list, and refuses what a user may not configure", async () => {
    const org = await freshOrg();
    await buyerWrites(org, org.flagship.id, "tb_find_me", "请问有没有红色");
    await buyerWrites(org, org.outlet.id, "tb_other", "发票怎么开");
    const byText = await org.sup.client.get(`/api/conversations?q=${encodeURIComponent("红色")}`);
    expect(byText.body.items.map((x: Conversation) => x.customer.platformBuyerId)).toEqual(["tb_find_me"]);
    const byName = await org.sup.client.get("/api/conversations?q=find_me");
    expect(byName.body.items).toHaveLength(1);
    const counts = await org.sup.client.get("/api/conversations/counts");
    expect(counts.body.byStore).toEqual({ [org.flagship.id]: 1, [org.outlet.id]: 1 });
    const agentCounts = await org.a.client.get("/api/conversations/counts");
    expect(agentCounts.body.byStore).toEqual({ [org.flagship.id]: 1 });
    expect(
      (await org.a.client.request("PUT", `/api/routing/stores/${org.flagship.id}`, { strategy: "sticky" })).status,
    ).toBe(403);
    expect(
      (await org.sup.client.request("PUT", `/api/routing/stores/${org.flagship.id}`, { strategy: "fastest" })).status,
    ).toBe(400);
    expect((await org.a.client.post("/api/groups", { name: "x", memberIds: [] })).status).toBe(403);
  });
});
