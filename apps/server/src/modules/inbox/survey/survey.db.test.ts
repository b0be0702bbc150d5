import type { KpiReport } from "@yunxi/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiClient } from "../../../../test/api-client.ts";
import { type DemoWorld, startDemoWorld } from "../../../../test/demo-world.ts";
import { postgresAvailable, testDb } from "../../../../test/harness.ts";
import { waitFor } from "../../../../test/wait.ts";
import { allMarketplaceStoreConfigs, type DemoStore } from "../../../cli/seed-demo.ts";
import type { AppContext } from "../../../platform/context.ts";
import { queryRows, sql } from "../../../platform/db/client.ts";
import { consumeOrg } from "../../analytics/consumer.ts";
import { rebuildRollups } from "../../analytics/rebuild.ts";
import { analyticsSnapshot } from "../../analytics/testing.ts";
import { localDay } from "../../analytics/time.ts";
import { recordDelivery } from "../replies.ts";

const run = testDb === "pglite" || (await postgresAvailable());

interface Thread {
  id: string;
  status: string;
  customer: { displayName: string };
}

/**
 * Yunxi's own satisfaction survey end to end, through the simulator's Taobao and JD
 * gateways: resolving invites the buyer on the conversation's own platform, a rating
 * within the window is recorded without reopening anything and counts in CSAT; other
 * messages, late ratings and a survey switched off behave as before.
 */
describe.runIf(run)(`satisfaction survey (${testDb})`, () => {
  let w: DemoWorld;
  let ctx: AppContext;
  let owner: ApiClient;
  let agent: ApiClient;
  let supervisor: ApiClient;
  let jd: DemoStore;
  let taobao: DemoStore;
  /** The server's clock runs this far from the simulator's (a survey sent earlier). */
  let offsetMs = 0;

  beforeAll(async () => {
    const stores = allMarketplaceStoreConfigs().filter((s) => s.platform === "taobao" || s.platform === "jd");
    w = await startDemoWorld({ stores, now: () => new Date(Date.now() + offsetMs) });
    ctx = w.t.server.ctx;
    owner = await w.login("owner");
    agent = await w.login("agent1");
    supervisor = await w.login("supervisor");
    jd = w.demo.stores.find((s) => s.platform === "jd")!;
    taobao = w.demo.stores.find((s) => s.platform === "taobao")!;
    const settings = {
      enabled: true,
      invitation: "亲，请为本次服务打分：回复 1-5（5 非常满意）",
      thanks: "感谢评价！",
    };
    expect((await supervisor.request("PUT", "/api/survey-settings", { ...settings, windowHours: 1 })).status).toBe(403);
    const saved = await owner.request("PUT", "/api/survey-settings", { ...settings, windowHours: 1 });
    expect(saved.status).toBe(200);
    expect((await supervisor.get("/api/survey-settings")).body).toMatchObject({ enabled: true, windowHours: 1 });
  });
  afterAll(() => w?.close());

  const threads = async (buyer: string): Promise<Thread[]> =>
    ((await agent.get("/api/conversations")).body.items as Thread[]).filter((c) => c.customer.displayName === buyer);
  const said = (store: DemoStore, buyer: string) => w.sim.replies({ storeKey: store.storeKey, buyerNick: buyer });
  const survey = async (conversationId: string) =>
    (
      await queryRows<{ status: string; score: number | null; agent_id: string | null; store_id: string }>(
        ctx.db,
        sql`SELECT status, score, agent_id, store_id FROM satisfaction_surveys WHERE conversation_id = ${conversationId}`,
      )
    )[0];

  /**
   * A buyer asks on a store, agent1 answers (delivered), and resolves (`agoMs` earlier on the
   * server's clock; negative: later), after `beforeResolve`.
   */
  async function servedAndResolved(
    store: DemoStore,
    buyer: string,
    agoMs = 0,
    beforeResolve: () => unknown = () => {},
  ): Promise<Thread> {
    w.sim.say({ storeKey: store.storeKey, buyerNick: buyer, text: "请问什么时候发货" });
    const [thread] = await waitFor("the conversation", async () => {
      const found = await threads(buyer);
      return found.length > 0 ? found : null;
    });
    const reply = await agent.post(`/api/conversations/${thread!.id}/messages`, {
      body: "亲，今天就发货哦",
      idempotencyKey: `reply-${buyer}`,
    });
    expect(reply.status).toBe(201);
    await waitFor("the reply to reach the buyer", () => said(store, buyer).length === 1);
    await beforeResolve();
    // Only the resolution is moved: the platforms' pushes are checked against the present.
    offsetMs = -agoMs;
    const resolved = await agent.patch(`/api/conversations/${thread!.id}`, { status: "resolved" });
    offsetMs = 0;
    expect(resolved.status).toBe(200);
    return thread!;
  }

  it("invites on the conversation's platform, records a rating without reopening, and counts it in CSAT", async () => {
    const buyer = "jd_打分的买家";
    // Our clock 3 s ahead of JD's when resolving: the buyer's answer, in JD's time, reads
    // earlier than the invitation, as one within the invitation's second does (JD gives seconds).
    const thread = await servedAndResolved(jd, buyer, -3000);
    const invited = await waitFor("the invitation on JD", () => said(jd, buyer).find((r) => r.text.includes("打分")));
    expect(invited.text).toBe("亲，请为本次服务打分：回复 1-5（5 非常满意）");
    expect(said(taobao, buyer)).toHaveLength(0);
    expect(await survey(thread.id)).toMatchObject({ status: "sent", score: null, store_id: jd.id });

    w.sim.say({ storeKey: jd.storeKey, buyerNick: buyer, text: "5分" });
    await waitFor("the answer", async () => (await survey(thread.id))?.status === "answered");
    const recorded = (await survey(thread.id))!;
    expect(recorded.score).toBe(5);
    // It rates the conversation's owner (routing assigned it; agent1 answered).
    const held = (await agent.get(`/api/conversations/${thread.id}`)).body as { assigneeId: string | null };
    expect(held.assigneeId).not.toBeNull();
    expect(recorded.agent_id).toBe(held.assigneeId);
    await waitFor("the thanks", () => said(jd, buyer).some((r) => r.text === "感谢评价！"));
    // Still one conversation, still resolved, nothing queued.
    const after = await threads(buyer);
    expect(after.map((c) => [c.id, c.status])).toEqual([[thread.id, "resolved"]]);
    const messages = (await agent.get(`/api/conversations/${thread.id}/messages`)).body.items as {
      senderType: string;
      body: string;
      attachment: { event?: string } | null;
    }[];
    // In thread order: the answer after the invitation it answers, the thank-you after both.
    expect(messages.map((m) => `${m.senderType} ${m.attachment?.event ?? ""}`)).toEqual([
      "buyer ",
      "agent ",
      "system survey.invited",
      "buyer survey.answered",
      "system survey.thanked",
    ]);
    // A repeated resolve sends no second invitation.
    expect((await agent.patch(`/api/conversations/${thread.id}`, { status: "open" })).status).toBe(200);
    expect((await agent.patch(`/api/conversations/${thread.id}`, { status: "resolved" })).status).toBe(200);
    expect(said(jd, buyer).filter((r) => r.text.includes("打分"))).toHaveLength(1);

    await consumeOrg(ctx, w.demo.orgId);
    const today = localDay(ctx.now().getTime(), "Asia/Shanghai");
    const kpis = await supervisor.get(`/api/analytics/kpis?from=${today}&to=${today}&storeId=${jd.id}`);
    expect(kpis.status).toBe(200);
    const k = (kpis.body as KpiReport).current;
    expect(k).toMatchObject({ surveysSent: 1, surveyResponses: 1, csatSurvey: 1, csat: 1, csatPlatform: null });
    expect(k.surveyResponseRate).toBe(1);
    // The survey's messages are no service: one buyer line, one reply, one round.
    expect(k).toMatchObject({ inboundMessages: 1, humanMessages: 1, rounds: 1, responseRate: 1 });
  });

  it("lets any other message reopen the service as before, and lapses the survey", async () => {
    const buyer = "jd_还有问题";
    const thread = await servedAndResolved(jd, buyer);
    await waitFor("the invitation", () => said(jd, buyer).length === 2);
    w.sim.say({ storeKey: jd.storeKey, buyerNick: buyer, text: "还有个问题，5号能到吗" });
    const open = await waitFor("a new open conversation", async () =>
      (await threads(buyer)).find((c) => c.status === "open"),
    );
    expect(open.id).not.toBe(thread.id);
    expect(await survey(thread.id)).toMatchObject({ status: "lapsed", score: null });
    // A rating after that is an ordinary message of the open conversation.
    w.sim.say({ storeKey: jd.storeKey, buyerNick: buyer, text: "5" });
    await waitFor("the second line", async () => {
      const items = (await agent.get(`/api/conversations/${open.id}/messages`)).body.items as unknown[];
      return items.length === 2;
    });
    expect(await survey(thread.id)).toMatchObject({ status: "lapsed", score: null });
  });

  it("takes a rating after the window for an ordinary message", async () => {
    const buyer = "tb_迟到的评分";
    // Resolved two hours ago; the window is one hour.
    const thread = await servedAndResolved(taobao, buyer, 2 * 3_600_000);
    await waitFor("the invitation", () => said(taobao, buyer).length === 2);
    w.sim.say({ storeKey: taobao.storeKey, buyerNick: buyer, text: "⭐⭐⭐⭐⭐" });
    await waitFor("a new open conversation", async () => (await threads(buyer)).find((c) => c.status === "open"));
    expect(await survey(thread.id)).toMatchObject({ status: "lapsed", score: null });
  });

  it("counts no survey sent while the invitation is pending, nor when its delivery failed", async () => {
    const buyer = "jd_没收到邀评";
    const sent = async () => {
      await consumeOrg(ctx, w.demo.orgId);
      const today = localDay(ctx.now().getTime(), "Asia/Shanghai");
      const kpis = await supervisor.get(`/api/analytics/kpis?from=${today}&to=${today}&storeId=${jd.id}`);
      return (kpis.body as KpiReport).current.surveysSent;
    };
    const before = await sent();
    // JD is down from the resolution on: the invitation waits, retried.
    const thread = await servedAndResolved(jd, buyer, 0, () => w.sim.setFaults({ down: true }));
    try {
      const [invitation] = await queryRows<{ id: string }>(
        ctx.db,
        sql`SELECT invitation_message_id AS id FROM satisfaction_surveys WHERE conversation_id = ${thread.id}`,
      );
      expect(invitation).toBeDefined();
      expect(await sent()).toBe(before);
      // The delivery worker's last attempt fails it.
      await recordDelivery(ctx, w.demo.orgId, invitation!.id, { status: "failed", error: "simulated outage" });
      const [message] = await queryRows<{ delivery_status: string }>(
        ctx.db,
        sql`SELECT delivery_status FROM messages WHERE id = ${invitation!.id}`,
      );
      expect(message?.delivery_status).toBe("failed");
      expect(await sent()).toBe(before);
      expect(await survey(thread.id)).toMatchObject({ status: "lapsed", score: null });
    } finally {
      w.sim.clearFaults();
    }
  });

  it("lapses the survey when the platform refuses the invitation: a later rating reopens the service", async () => {
    const buyer = "tb_邀评被拒";
    const good = { appKey: taobao.appKey, appSecret: taobao.appSecret, accessToken: taobao.accessToken };
    const withSecret = async (appSecret: string) =>
      expect((await owner.patch(`/api/stores/${taobao.id}`, { credentials: { ...good, appSecret } })).status).toBe(200);
    // A wrong secret from the resolution on: Taobao refuses the invitation's signature, for good.
    const thread = await servedAndResolved(taobao, buyer, 0, () => withSecret("wrong-secret"));
    try {
      const refused = await waitFor("the invitation refused", async () => {
        const [m] = await queryRows<{ delivery_status: string; delivery_error: string | null }>(
          ctx.db,
          sql`SELECT m.delivery_status, m.delivery_error FROM satisfaction_surveys s
              JOIN messages m ON m.id = s.invitation_message_id WHERE s.conversation_id = ${thread.id}`,
        );
        return m?.delivery_status === "failed" ? m : null;
      });
      expect(refused.delivery_error).toMatch(/25|signature/i);
    } finally {
      await withSecret(good.appSecret);
    }
    expect(said(taobao, buyer)).toHaveLength(1);
    expect(await survey(thread.id)).toMatchObject({ status: "lapsed", score: null });

    // The buyer never saw the question: their "5" is an ordinary message and reopens the service.
    w.sim.say({ storeKey: taobao.storeKey, buyerNick: buyer, text: "5" });
    const open = await waitFor("a new open conversation", async () =>
      (await threads(buyer)).find((c) => c.status === "open"),
    );
    expect(open.id).not.toBe(thread.id);
    expect(await survey(thread.id)).toMatchObject({ status: "lapsed", score: null });
    const events = await queryRows<{ event: string | null }>(
      ctx.db,
      sql`SELECT attachment->>'event' AS event FROM messages WHERE conversation_id = ${thread.id} ORDER BY created_at`,
    );
    expect(events.map((m) => m.event)).toEqual([null, null, "survey.invited"]);
  });

  it("sends nothing when the survey is off", async () => {
    const off = { enabled: false, invitation: "请打分", thanks: "谢谢", windowHours: 24 };
    expect((await owner.request("PUT", "/api/survey-settings", off)).status).toBe(200);
    const buyer = "tb_不邀评";
    const thread = await servedAndResolved(taobao, buyer);
    await new Promise((r) => setTimeout(r, 300));
    expect(said(taobao, buyer)).toHaveLength(1);
    expect(await survey(thread.id)).toBeUndefined();
    const audit = await queryRows<{ action: string }>(
      ctx.db,
      sql`SELECT action FROM audit_log WHERE org_id = ${w.demo.orgId} AND action = 'survey_settings.updated'`,
    );
    expect(audit).toHaveLength(2);
  });

  it("rebuilds the survey figures from raw rows exactly as the consumer kept them", async () => {
    await consumeOrg(ctx, w.demo.orgId);
    const live = await analyticsSnapshot(ctx, w.demo.orgId);
    // Three surveys (a survey sent in one minute and answered in the next has a fact row for each).
    const surveys = new Set(live.facts.filter((f) => f.source_kind === "survey").map((f) => f.source_id));
    expect(surveys.size).toBe(3);
    const now = Date.now();
    await rebuildRollups(ctx, w.demo.orgId, new Date(now - 2 * 86_400_000), new Date(now + 86_400_000));
    expect(await analyticsSnapshot(ctx, w.demo.orgId)).toEqual(live);
  });
});
