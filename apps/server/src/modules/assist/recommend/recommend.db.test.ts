import type { CannedReply, CannedReplySearchResult, Conversation, KbArticle, Recommendation } from "@yunxi/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../../../../test/api-client.ts";
import { type DemoWorld, startDemoWorld } from "../../../../test/demo-world.ts";
import { postgresAvailable, testDb } from "../../../../test/harness.ts";
import { waitFor } from "../../../../test/wait.ts";
import { allMarketplaceStoreConfigs, demoStoreConfigs } from "../../../cli/seed-demo.ts";
import { queryRows, sql } from "../../../platform/db/client.ts";
import { createOrg, createUser } from "../../identity/index.ts";
import { assertStoresInOrg } from "../../stores/index.ts";
import { buyerWithPaidOrderOnTime, giveOrder, type SimOrderStatus, seededRng } from "../autoreply/testing.ts";

const run = testDb === "pglite" || (await postgresAvailable());

/**
 * The recommended solution against real services: canned replies and articles made
 * through the library's API, buyers writing to the simulated Taobao stores (Yunxi
 * triages them), their orders in the simulator read through the platform adapter, and the
 * auto-reply on in the flagship store. agent1 serves the flagship, agent2 the outlet.
 */
describe.runIf(run)(`recommended solution (${testDb})`, () => {
  let w: DemoWorld;
  let sup: ApiClient;
  let agent1: ApiClient;
  let agent2: ApiClient;
  let stranger: ApiClient;
  let flagship: { id: string; storeKey: string };
  let outlet: { id: string; storeKey: string };
  let pdd: { id: string; storeKey: string };
  const rng = seededRng(20261212);
  let seq = 0;

  const reply = async (body: Record<string, unknown>) => {
    const res = await sup.post("/api/library/replies", body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as CannedReply;
  };
  const article = async (body: Record<string, unknown>) => {
    const res = await sup.post("/api/library/kb/articles", body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as KbArticle;
  };

  beforeAll(async () => {
    const stores = [...demoStoreConfigs(), allMarketplaceStoreConfigs().find((s) => s.platform === "pdd")!];
    w = await startDemoWorld({ stores });
    const store = (name: string) => w.demo.stores.find((s) => s.name === name)!;
    flagship = store("旗舰店");
    outlet = store("折扣店");
    pdd = store("品牌店");
    sup = await w.login("supervisor");
    agent1 = await w.login("agent1");
    agent2 = await w.login("agent2");
    const on = await sup.request("PUT", `/api/assist/autoreply/rules/${flagship.id}`, { enabled: true });
    expect(on.status).toBe(200);

    // The same keyword at every scope: the conversation's store, then its platform, then the org.
    await reply({ keywords: ["退换货"], title: "退换货-通用", text: "亲，收到商品7天内支持无理由退换货～" });
    await reply({
      platform: "taobao",
      keywords: ["退换货"],
      title: "退换货-淘宝",
      text: "亲，可以在淘宝订单页申请退换货哦",
    });
    await reply({
      storeId: flagship.id,
      keywords: ["退换货"],
      title: "退换货-旗舰店",
      text: "亲，订单{订单号}的鞋子支持7天无理由退换，请在订单页申请",
    });
    await reply({ storeId: outlet.id, keywords: ["退换货"], title: "退换货-折扣店", text: "亲，折扣商品也支持退换" });
    await reply({ storeId: pdd.id, keywords: ["退换货"], title: "退换货-拼多多店", text: "拼多多店的退换说明" });
    await reply({ platform: "pdd", keywords: ["退换货"], title: "退换货-拼多多", text: "拼多多的退换说明" });
    await reply({
      keywords: ["物流", "快递"],
      title: "查物流",
      text: "亲，您的包裹由{快递公司}配送，运单号{快递单号}",
    });
    await reply({ keywords: ["退款"], title: "退款进度", text: "亲，退款审核通过后1-3个工作日原路退回" });
    await reply({ keywords: ["投诉", "道歉"], title: "投诉安抚", text: "非常抱歉给您带来不好的体验，我马上为您处理" });
    await reply({ keywords: ["问候"], title: "问候", text: "亲，您好，有什么可以帮您？" });

    await article({ title: "七天无理由退换货政策", tags: ["退换货", "退货"], body: "签收后7天内可申请退货或换货。" });
    await article({ title: "快递物流查询说明", tags: ["物流", "快递"], body: "在订单详情查看物流轨迹。" });
    await article({ title: "退款到账时间", tags: ["退款"], body: "退款审核通过后1-3个工作日到账。" });
    await article({ title: "鞋子尺码表", tags: ["尺码"], body: "36码脚长230毫米。" });
    await article({ storeId: outlet.id, title: "折扣店退货须知", tags: ["退货"], body: "折扣店退货运费自理。" });

    const other = await createOrg(w.t.server.ctx, { name: "别的公司" });
    const login = { email: "owner@other.test", password: "pw-other-123456" };
    await createUser(
      w.t.server.ctx,
      other.id,
      { ...login, name: "别人", role: "owner", storeIds: [] },
      null,
      assertStoresInOrg,
    );
    stranger = await new ApiClient(w.t.url).login(login.email, login.password);
  });
  afterAll(() => w?.close());

  const newBuyer = (label: string) => `tb_rec${++seq}_${label}`;
  const orderOf = (buyer: string, status: SimOrderStatus, store = flagship) =>
    giveOrder(w.sim, rng, store.storeKey, buyer, status);

  /** The buyer writes; resolves with the conversation once triage has tagged it with the intent. */
  async function ask(buyer: string, text: string, intent: string, store = flagship): Promise<string> {
    w.sim.say({ storeKey: store.storeKey, buyerNick: buyer, text });
    const found = await waitFor(`${buyer}'s conversation tagged ${intent}`, async () => {
      const list = await sup.get(`/api/conversations?q=${encodeURIComponent(buyer)}`);
      const items = list.body.items as Conversation[];
      return items.find((c) => c.tags.some((t) => t.startsWith(intent)));
    });
    return found.id;
  }

  async function recommend(client: ApiClient, id: string): Promise<Recommendation> {
    const res = await client.get(`/api/conversations/${id}/recommendation`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as Recommendation;
  }

  const titles = (r: Recommendation) => r.replies.map((x) => x.reply.title);
  const articleTitles = (r: Recommendation) => r.articles.map((x) => x.article.title);

  it("退换货: the store's reply before its platform's and the org's, the policy article, the order, the after-sales group and why the bot stayed out", async () => {
    const buyer = newBuyer("return");
    const order = orderOf(buyer, "delivered");
    const id = await ask(buyer, "鞋子穿着有点小，我想退货换大一码", "售后-退换货");
    // The bot (on in this store) does not answer returns: it records why.
    const r = await waitFor("the bot's decision", async () => {
      const got = await recommend(agent1, id);
      return got.bot ? got : null;
    });

    expect(r).toMatchObject({
      conversationId: id,
      tag: "售后-退换货-鞋子类目",
      intent: "售后-退换货",
      category: "鞋子类目",
      intentSource: "model",
      ordersSource: "platform",
    });
    expect(r.confidence).toBeGreaterThan(0.5);
    expect(r.buyerText).toBe("鞋子穿着有点小，我想退货换大一码");
    expect(titles(r)).toEqual(["退换货-旗舰店", "退换货-淘宝", "退换货-通用"]);
    // Filled with this conversation's order, as the composer fills it.
    expect(r.replies[0]!.filledText).toBe(`亲，订单${order.orderId}的鞋子支持7天无理由退换，请在订单页申请`);
    expect(r.replies[0]!.missing).toEqual([]);
    expect(r.replies[0]!.matchedWords).toContain("退换货");
    expect(articleTitles(r)[0]).toBe("七天无理由退换货政策");
    expect(articleTitles(r)).not.toContain("折扣店退货须知");

    expect(r.order).toMatchObject({ orderNo: order.orderId, status: "delivered" });
    expect(r.actions.map((a) => a.kind)).toEqual(["open_order", "transfer_group"]);
    expect(r.actions[0]).toMatchObject({ reason: "after_sales_return", order: { orderNo: order.orderId } });
    expect(r.actions[1]).toMatchObject({ reason: "after_sales_return", groupName: "售后组" });
    expect(r.bot).toMatchObject({ outcome: "skipped", reason: "out_of_scope", dryRun: false });

    // The agent answers and the buyer writes again: the bot keeps out of a live talk, which is nothing to report.
    const sent = await agent1.post(`/api/conversations/${id}/messages`, {
      body: "亲，可以换的",
      idempotencyKey: "rec-return-1",
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    // Platforms stamp messages to the second: the buyer's next one must be in a later second than the answer.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    w.sim.say({ storeKey: flagship.storeKey, buyerNick: buyer, text: "那我换42码的" });
    await waitFor("the bot keeping out of the agent's talk", async () => {
      const rows = await queryRows<{ reason: string }>(
        w.t.server.ctx.db,
        sql`SELECT reason FROM auto_reply_decisions WHERE conversation_id = ${id} ORDER BY created_at DESC LIMIT 1`,
      );
      return rows[0]?.reason === "agent_active";
    });
    const later = await recommend(agent1, id);
    expect(later.bot).toBeNull();
    expect(later.buyerText).toBe("那我换42码的");
    expect(later.entities.sizes).toEqual(["42码"]);
  });

  it("物流查询 with a shipped order: check the parcel, with its carrier, waybill and latest node", async () => {
    const buyer = newBuyer("parcel");
    const order = orderOf(buyer, "shipped", outlet);
    const parcel = order.logistics!;
    const id = await ask(buyer, "我的快递到哪了", "物流-物流查询", outlet);
    const r = await recommend(agent2, id);

    expect(r.intent).toBe("物流-物流查询");
    const [check] = r.actions;
    expect(check).toMatchObject({
      kind: "check_logistics",
      reason: "parcel_moving",
      order: { orderNo: order.orderId, status: "shipped", carrier: parcel.carrier, trackingNo: parcel.trackingNo },
    });
    expect(check?.kind === "check_logistics" && check.latestNode?.description).toBe(parcel.nodes.at(-1)!.description);
    expect(titles(r)[0]).toBe("查物流");
    expect(r.replies[0]!.filledText).toBe(`亲，您的包裹由${parcel.carrier}配送，运单号${parcel.trackingNo}`);
    expect(r.replies[0]!.missing).toEqual([]);
    expect(articleTitles(r)[0]).toBe("快递物流查询说明");
    expect(r.bot).toBeNull();
  });

  it("flags the variables the conversation lacks exactly as the composer does, and a paid order's ship promise", async () => {
    const { buyer, order } = buyerWithPaidOrderOnTime(w.sim, rng, outlet.storeKey, newBuyer("paid"));
    const id = await ask(buyer, "我的快递到哪了", "物流-物流查询", outlet);
    const r = await recommend(agent2, id);

    const logistics = r.replies.find((x) => x.reply.title === "查物流")!;
    expect(logistics.missing).toEqual(["快递公司", "快递单号"]);
    expect(logistics.filledText).toBe("亲，您的包裹由{快递公司}配送，运单号{快递单号}");
    const composer = await agent2.get(
      `/api/library/replies/search?${new URLSearchParams({ conversationId: id, q: "查物流" })}`,
    );
    const hit = (composer.body as CannedReplySearchResult).items.find((x) => x.reply.id === logistics.reply.id)!;
    expect({ filledText: logistics.filledText, missing: logistics.missing }).toEqual({
      filledText: hit.filledText,
      missing: hit.missing,
    });
    expect(r.actions).toEqual([
      expect.objectContaining({
        kind: "open_order",
        reason: "ship_promise",
        order: expect.objectContaining({ orderNo: order.orderId }),
      }),
    ]);
  });

  it("退款进度 with a refunding order: where the refund stands", async () => {
    const buyer = newBuyer("refund");
    const order = orderOf(buyer, "refunding", outlet);
    const id = await ask(buyer, "退款什么时候到账啊", "售后-退款进度", outlet);
    const r = await recommend(agent2, id);

    expect(r.actions[0]).toMatchObject({
      kind: "refund_status",
      reason: "refund_in_progress",
      order: { orderNo: order.orderId, status: "refunding" },
    });
    expect(titles(r)[0]).toBe("退款进度");
    expect(articleTitles(r)[0]).toBe("退款到账时间");

    // An agent corrects the intent: the recommendation follows (and prefers the outlet's own reply).
    expect((await agent2.post(`/api/conversations/${id}/intent`, { intent: "售后-退换货" })).status).toBe(200);
    const corrected = await recommend(agent2, id);
    expect(corrected).toMatchObject({ intent: "售后-退换货", intentSource: "agent", confidence: null });
    expect(titles(corrected)).toEqual(["退换货-折扣店", "退换货-淘宝", "退换货-通用"]);
    expect(articleTitles(corrected)).toContain("折扣店退货须知");
    expect(corrected.actions.map((a) => a.kind)).toEqual(["refund_status", "open_order", "transfer_group"]);
  });

  it("投诉: escalate to a supervisor, with the apology reply", async () => {
    const buyer = newBuyer("complaint");
    const id = await ask(buyer, "我要投诉你们！东西太差了", "投诉", outlet);
    const r = await recommend(agent2, id);
    expect(r.actions[0]).toEqual({ kind: "escalate", reason: "complaint" });
    expect(titles(r)[0]).toBe("投诉安抚");
    expect(r.order).toBeNull();
  });

  it("is refused for another org, a store the agent does not serve and a conversation that does not exist", async () => {
    const buyer = newBuyer("access");
    const id = await ask(buyer, "这双鞋能退换货吗", "售后-退换货");
    expect((await agent1.get(`/api/conversations/${id}/recommendation`)).status).toBe(200);
    for (const client of [agent2, stranger]) {
      const res = await client.get(`/api/conversations/${id}/recommendation`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("not_found");
    }
    expect((await sup.get("/api/conversations/00000000-0000-4000-8000-000000000000/recommendation")).status).toBe(404);
    expect((await sup.get("/api/conversations/not-an-id/recommendation")).status).toBe(404);
    expect((await new ApiClient(w.t.url).get(`/api/conversations/${id}/recommendation`)).status).toBe(401);
  });
});
