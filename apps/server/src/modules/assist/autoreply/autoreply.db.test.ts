import type { AutoReplyDecision, AutoReplyMetrics } from "@yunxi/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiClient } from "../../../../test/api-client.ts";
import { type DemoWorld, startDemoWorld } from "../../../../test/demo-world.ts";
import { postgresAvailable, testDb } from "../../../../test/harness.ts";
import { waitFor } from "../../../../test/wait.ts";
import { queryRows, sql } from "../../../platform/db/client.ts";
import { formatChineseTime } from "./decide.ts";
import { buyerWithPaidOrderOnTime, giveOrder, type SimOrderStatus, seededRng } from "./testing.ts";

const run = testDb === "pglite" || (await postgresAvailable());

interface DecisionRow {
  conversation_id: string;
  outcome: string;
  reason: string;
  intent: string;
  text: string;
  order_id: string | null;
  dry_run: boolean;
}

/**
 * The order-aware auto-reply against the simulator's real order state: a buyer asks in
 * the simulated Taobao store, Yunxi triages, the bot looks the buyer's orders up through
 * the platform adapter and answers (or hands over), and the buyer receives it.
 */
describe.runIf(run)(`auto-reply by order status (${testDb})`, () => {
  let w: DemoWorld;
  let sup: ApiClient;
  let agent1: ApiClient;
  let agent2: ApiClient;
  let flagship: { id: string; storeKey: string };
  let outlet: { id: string; storeKey: string };
  const rng = seededRng(20261111);
  let seq = 0;
  const startedAt = new Date();

  beforeAll(async () => {
    w = await startDemoWorld();
    flagship = w.demo.stores.find((s) => s.name === "旗舰店")!;
    outlet = w.demo.stores.find((s) => s.name === "折扣店")!;
    sup = await w.login("supervisor");
    agent1 = await w.login("agent1");
    agent2 = await w.login("agent2");
    const on = await sup.request("PUT", `/api/assist/autoreply/rules/${flagship.id}`, { enabled: true });
    expect(on.status).toBe(200);
  });
  afterAll(() => w?.close());

  const newBuyer = (label: string) => `tb_bot${++seq}_${label}`;

  /** A new buyer with one paid order still within its promised ship time (the bot answers it). */
  const paidBuyer = (label: string, store = flagship) =>
    buyerWithPaidOrderOnTime(w.sim, rng, store.storeKey, newBuyer(label));

  /** The buyer has an order in this status in the simulator (back-dated along a real plan). */
  const orderOf = (buyer: string, status: SimOrderStatus, store = flagship) =>
    giveOrder(w.sim, rng, store.storeKey, buyer, status);

  async function decisionsOf(buyer: string): Promise<DecisionRow[]> {
    return queryRows<DecisionRow>(
      w.t.server.ctx.db,
      sql`SELECT d.* FROM auto_reply_decisions d
          JOIN conversations c ON c.id = d.conversation_id
          JOIN customer_identities i ON i.id = c.identity_id
          WHERE d.org_id = ${w.demo.orgId} AND i.platform_buyer_id = ${buyer}
          ORDER BY d.created_at`,
    );
  }

  /** The buyer writes; resolves with the bot's decision on it. */
  async function ask(buyer: string, text: string, store = flagship): Promise<DecisionRow> {
    const before = (await decisionsOf(buyer)).length;
    w.sim.say({ storeKey: store.storeKey, buyerNick: buyer, text });
    return waitFor(`the bot's decision on "${text}" of ${buyer}`, async () => {
      const all = await decisionsOf(buyer);
      return all.length > before ? all.at(-1)! : null;
    });
  }

  /** What the buyer received from the store, as the simulated platform recorded it. */
  const received = (buyer: string) => w.sim.replies({ buyerNick: buyer }).map((r) => r.text);
  const waitReceived = (buyer: string, count: number) =>
    waitFor(`${count} replies to ${buyer}`, () => (received(buyer).length >= count ? received(buyer) : null));

  async function thread(conversationId: string) {
    const res = await sup.get(`/api/conversations/${conversationId}/messages`);
    expect(res.status).toBe(200);
    return res.body.items as { direction: string; senderType: string; kind: string; body: string }[];
  }
  const conversation = async (id: string) => (await sup.get(`/api/conversations/${id}`)).body;

  /** Let in-flight work finish, so "nothing was sent" is not just "not sent yet". */
  async function settled() {
    await waitFor("the auto-reply and delivery jobs to finish", async () => {
      const rows = await queryRows(
        w.t.server.ctx.db,
        sql`SELECT 1 FROM jobs WHERE queue IN ('assist-autoreply', 'delivery', 'inbox-triage') AND status <> 'failed' LIMIT 1`,
      );
      return rows.length === 0;
    });
  }

  describe("answers from the order's status", () => {
    it("unpaid", async () => {
      const buyer = newBuyer("unpaid");
      const order = orderOf(buyer, "unpaid");
      const d = await ask(buyer, "什么时候发货");
      expect(d).toMatchObject({ outcome: "answered", reason: "order_status", order_id: order.orderId });
      expect(d.text).toContain("还没有付款");
      expect((await waitReceived(buyer, 1))[0]).toBe(d.text);
    });

    it("paid, awaiting shipment, with the promised ship time", async () => {
      const { buyer, order } = paidBuyer("paid");
      const d = await ask(buyer, "亲，我的鞋什么时候发货呀");
      expect(d.outcome).toBe("answered");
      expect(d.text).toContain(order.orderId);
      expect(d.text).toContain(`${formatChineseTime(order.promisedShipAt!, "Asia/Shanghai")}前为您发货`);
      expect((await waitReceived(buyer, 1))[0]).toBe(d.text);
      // The agent's thread shows the answer, marked as the bot's.
      const messages = await thread(d.conversation_id);
      expect(messages.some((m) => m.senderType === "bot" && m.direction === "outbound" && m.body === d.text)).toBe(
        true,
      );
    });

    it("shipped, with carrier, tracking number and the latest logistics node", async () => {
      const buyer = newBuyer("shipped");
      const order = orderOf(buyer, "shipped");
      const d = await ask(buyer, "我的快递到哪了");
      expect(d.outcome).toBe("answered");
      const parcel = order.logistics!;
      expect(d.text).toContain(order.orderId);
      expect(d.text).toContain(parcel.carrier);
      expect(d.text).toContain(parcel.trackingNo);
      expect(d.text).toContain(parcel.nodes.at(-1)!.description);
      expect((await waitReceived(buyer, 1))[0]).toBe(d.text);
    });

    it("delivered", async () => {
      const buyer = newBuyer("delivered");
      const order = orderOf(buyer, "delivered");
      const d = await ask(buyer, "物流怎么不动了");
      expect(d.outcome).toBe("answered");
      expect(d.text).toContain("已签收");
      expect(d.text).toContain(order.logistics!.nodes.at(-1)!.description);
      await waitReceived(buyer, 1);
    });

    it("refunding", async () => {
      const buyer = newBuyer("refunding");
      const order = orderOf(buyer, "refunding");
      const d = await ask(buyer, "发货了吗");
      expect(d).toMatchObject({ outcome: "answered", order_id: order.orderId });
      expect(d.text).toContain("正在退款处理中");
      await waitReceived(buyer, 1);
    });

    it.each([
      ["completed", "已完成交易"],
      ["closed", "已关闭"],
      ["refunded", "已退款成功"],
    ] as const)("%s, when the buyer names the order", async (status, words) => {
      const buyer = newBuyer(status);
      const order = orderOf(buyer, status);
      const d = await ask(buyer, `订单 ${order.orderId} 什么时候发货呀`);
      expect(d).toMatchObject({ outcome: "answered", order_id: order.orderId });
      expect(d.text).toContain(words);
      await waitReceived(buyer, 1);
    });
  });

  describe("several orders", () => {
    it("asks which one, then answers the one the buyer picks", async () => {
      const buyer = newBuyer("two");
      const paid = orderOf(buyer, "paid");
      const shipped = orderOf(buyer, "shipped");
      const asked = await ask(buyer, "什么时候发货");
      expect(asked.outcome).toBe("asked");
      expect(asked.text).toContain(paid.orderId);
      expect(asked.text).toContain(shipped.orderId);
      await waitReceived(buyer, 1);
      // The buyer answers with the index the list gave the shipped order.
      const index = asked.text
        .split("\n")
        .find((line) => line.includes(shipped.orderId))!
        .slice(0, 1);
      const answered = await ask(buyer, index);
      expect(answered).toMatchObject({ outcome: "answered", order_id: shipped.orderId, intent: asked.intent });
      expect(answered.text).toContain(shipped.logistics!.trackingNo);
      expect((await waitReceived(buyer, 2))[1]).toBe(answered.text);
    });

    it("hands over when the buyer is asked twice", async () => {
      const buyer = newBuyer("twice");
      orderOf(buyer, "paid");
      orderOf(buyer, "paid");
      expect((await ask(buyer, "什么时候发货")).outcome).toBe("asked");
      await waitReceived(buyer, 1);
      const d = await ask(buyer, "怎么还没发货");
      expect(d).toMatchObject({ outcome: "handed_over", reason: "still_ambiguous" });
      expect((await conversation(d.conversation_id)).tags).toContain("转人工");
    });

    it("hands over when the buyer has no order", async () => {
      const buyer = newBuyer("none");
      const d = await ask(buyer, "什么时候发货");
      expect(d).toMatchObject({ outcome: "handed_over", reason: "no_order" });
    });
  });

  describe("hand-over to a human", () => {
    it("when the buyer asks for a person: note, 转人工 tag, nothing sent", async () => {
      const buyer = newBuyer("human");
      orderOf(buyer, "paid");
      const d = await ask(buyer, "转人工");
      expect(d).toMatchObject({ outcome: "handed_over", reason: "asked_for_human" });
      const shown = await conversation(d.conversation_id);
      expect(shown.tags).toContain("转人工");
      const notes = (await thread(d.conversation_id)).filter((m) => m.direction === "internal");
      expect(notes.map((m) => m.body).join("\n")).toContain("买家要求人工客服");
      await settled();
      expect(received(buyer)).toEqual([]);
      // Once a human has it, the bot keeps out of the conversation.
      w.sim.say({ storeKey: flagship.storeKey, buyerNick: buyer, text: "什么时候发货" });
      await waitFor("the buyer's second message", async () => (await thread(d.conversation_id)).length >= 3);
      await settled();
      expect(await decisionsOf(buyer)).toHaveLength(1);
      expect(received(buyer)).toEqual([]);
    });

    it("when the intent is unsure after a bot answer — and leaves it to routing without one", async () => {
      const { buyer } = paidBuyer("unsure");
      expect((await ask(buyer, "什么时候发货")).outcome).toBe("answered");
      await waitReceived(buyer, 1);
      const d = await ask(buyer, "这衣服有XL吗");
      expect(d).toMatchObject({ outcome: "handed_over", reason: "low_confidence" });
      expect((await conversation(d.conversation_id)).tags).toContain("转人工");

      const fresh = newBuyer("unsure-first");
      const skipped = await ask(fresh, "这衣服有XL吗");
      expect(skipped).toMatchObject({ outcome: "skipped", reason: "low_confidence" });
      expect((await conversation(skipped.conversation_id)).tags).not.toContain("转人工");
      expect((await thread(skipped.conversation_id)).some((m) => m.direction === "internal")).toBe(false);
    });

    it("when the bot has answered N times in a row", async () => {
      const { buyer } = paidBuyer("streak");
      expect((await ask(buyer, "什么时候发货")).outcome).toBe("answered");
      await waitReceived(buyer, 1);
      expect((await ask(buyer, "发货了吗")).outcome).toBe("answered");
      await waitReceived(buyer, 2);
      const d = await ask(buyer, "怎么还没发货");
      expect(d).toMatchObject({ outcome: "handed_over", reason: "max_consecutive" });
      await settled();
      expect(received(buyer)).toHaveLength(2);
    });

    it("when a paid order is past its promised ship time: no second promise", async () => {
      const buyer = newBuyer("late");
      const order = orderOf(buyer, "paid");
      // The warehouse missed the promise (the simulator's order, changed in place).
      order.promisedShipAt = new Date(Date.now() - 2 * 3600_000);
      const d = await ask(buyer, "怎么还没发货");
      expect(d).toMatchObject({ outcome: "handed_over", reason: "ship_overdue", order_id: order.orderId });
      expect(d.text).toContain(formatChineseTime(order.promisedShipAt, "Asia/Shanghai"));
      await settled();
      expect(received(buyer)).toEqual([]);
    });

    it("when the order lookup fails at the platform: never guesses", async () => {
      const buyer = newBuyer("outage");
      orderOf(buyer, "paid");
      w.sim.setFaults({ down: true });
      try {
        const d = await ask(buyer, "什么时候发货");
        expect(d).toMatchObject({ outcome: "handed_over", reason: "lookup_failed" });
        expect(d.text).toContain("查询订单失败");
      } finally {
        w.sim.clearFaults();
      }
      await settled();
      expect(received(buyer)).toEqual([]);
    });
  });

  describe("modes", () => {
    it("dry-run records what would have been sent and sends nothing", async () => {
      const set = await sup.request("PUT", `/api/assist/autoreply/rules/${outlet.id}`, { enabled: true, dryRun: true });
      expect(set.body).toMatchObject({ enabled: true, dryRun: true });
      const { buyer, order } = paidBuyer("dry", outlet);
      const d = await ask(buyer, "什么时候发货", outlet);
      expect(d).toMatchObject({ outcome: "dry_run", reason: "order_status", order_id: order.orderId, dry_run: true });
      expect(d.text).toContain(order.orderId);
      // A would-be hand-over is only recorded too: no note, no tag.
      const human = await ask(buyer, "转人工", outlet);
      expect(human).toMatchObject({ outcome: "handed_over", dry_run: true });
      await settled();
      expect(received(buyer)).toEqual([]);
      const messages = await thread(d.conversation_id);
      expect(messages.some((m) => m.senderType === "bot")).toBe(false);
      expect((await conversation(d.conversation_id)).tags).not.toContain("转人工");
    });

    it("business-hours-only answers only while the store is open", async () => {
      await sup.request("PUT", `/api/assist/autoreply/rules/${outlet.id}`, { dryRun: false, mode: "business_hours" });
      const closed = await sup.request("PUT", `/api/routing/stores/${outlet.id}`, {
        businessHours: { alwaysOpen: false, windows: [] },
      });
      expect(closed.status).toBe(200);
      const { buyer } = paidBuyer("hours", outlet);
      const night = await ask(buyer, "什么时候发货", outlet);
      expect(night).toMatchObject({ outcome: "skipped", reason: "out_of_hours" });
      await settled();
      expect(received(buyer)).toEqual([]);

      await sup.request("PUT", `/api/routing/stores/${outlet.id}`, {
        businessHours: { alwaysOpen: true, windows: [] },
      });
      const day = await ask(buyer, "在吗？什么时候发货", outlet);
      expect(day.outcome).toBe("answered");
      await waitReceived(buyer, 1);
    });
  });

  describe("intent corrections", () => {
    it("lets an agent who sees the conversation correct its intent tag in one click, and keeps the correction", async () => {
      const buyer = newBuyer("correct");
      w.sim.say({ storeKey: flagship.storeKey, buyerNick: buyer, text: "鞋子开胶了，我要退货" });
      const tagged = await waitFor("the conversation tagged by pre-review", async () => {
        const rows = await queryRows<{ id: string; tags: string[] }>(
          w.t.server.ctx.db,
          sql`SELECT c.id, c.tags FROM conversations c JOIN customer_identities i ON i.id = c.identity_id
              WHERE c.org_id = ${w.demo.orgId} AND i.platform_buyer_id = ${buyer}`,
        );
        const row = rows[0];
        return row?.tags.some((t) => t.startsWith("售后-")) ? row : null;
      });
      const before = tagged.tags.find((t) => t.startsWith("售后-"))!;
      expect(before).toMatch(/^售后-退换货-鞋子类目$/);

      const corrected = await agent1.post(`/api/conversations/${tagged.id}/intent`, { intent: "售后-质量问题" });
      expect(corrected.status).toBe(200);
      // The category stays; the sentiment tag and any other tag stay too.
      expect(corrected.body.tags[0]).toBe("售后-质量问题-鞋子类目");
      expect(corrected.body.tags).not.toContain(before);
      const kept = await queryRows<{ text: string; predicted: string; corrected: string; corrected_by: string }>(
        w.t.server.ctx.db,
        sql`SELECT * FROM intent_corrections WHERE conversation_id = ${tagged.id}`,
      );
      expect(kept).toHaveLength(1);
      expect(kept[0]).toMatchObject({
        text: "鞋子开胶了，我要退货",
        predicted: "售后-退换货",
        corrected: "售后-质量问题",
      });

      // Not someone who cannot see it; not a label outside the taxonomy; not a malformed id.
      expect((await agent2.post(`/api/conversations/${tagged.id}/intent`, { intent: "投诉" })).status).toBe(404);
      const bad = await agent1.post(`/api/conversations/${tagged.id}/intent`, { intent: "售后-随便" });
      expect(bad.status).toBe(400);
      expect((await agent1.post("/api/conversations/not-an-id/intent", { intent: "投诉" })).status).toBe(404);
      // Choosing the intent the tag already has records nothing new to learn from.
      await agent1.post(`/api/conversations/${tagged.id}/intent`, { intent: "售后-质量问题" });
      const after = await queryRows(
        w.t.server.ctx.db,
        sql`SELECT 1 FROM intent_corrections WHERE conversation_id = ${tagged.id}`,
      );
      expect(after).toHaveLength(1);
    });
  });

  describe("rules, decisions and figures over HTTP", () => {
    it("lets supervisors change the rules (audited), not agents; validates templates", async () => {
      const list = await agent1.get("/api/assist/autoreply/rules");
      expect(list.status).toBe(200);
      // An agent reads the rules of the stores they serve only.
      expect(list.body.items.map((r: { storeId: string }) => r.storeId)).toEqual([flagship.id]);
      expect(list.body.items[0]).toMatchObject({
        enabled: true,
        intents: ["物流-发货时间", "物流-物流查询"],
        confidenceThreshold: 0.6,
        maxConsecutive: 2,
      });
      const refused = await agent1.request("PUT", `/api/assist/autoreply/rules/${flagship.id}`, { enabled: false });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe("forbidden");
      const bad = await sup.request("PUT", `/api/assist/autoreply/rules/${flagship.id}`, {
        templates: { unpaid: "单号{快递单号}" },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe("validation_failed");
      const unknownStore = await sup.request(
        "PUT",
        "/api/assist/autoreply/rules/00000000-0000-4000-8000-000000000000",
        {
          enabled: true,
        },
      );
      expect(unknownStore.status).toBe(404);
      const audit = await queryRows<{ target_id: string }>(
        w.t.server.ctx.db,
        sql`SELECT target_id FROM audit_log WHERE org_id = ${w.demo.orgId} AND action = 'autoreply.updated'`,
      );
      expect(audit.map((a) => a.target_id)).toContain(flagship.id);
    });

    it("lists decisions only in the stores the user serves", async () => {
      const mine = await agent1.get(`/api/assist/autoreply/decisions?storeId=${flagship.id}&limit=200`);
      expect(mine.status).toBe(200);
      expect(mine.body.items.length).toBeGreaterThan(5);
      expect(mine.body.items.every((d: AutoReplyDecision) => d.storeId === flagship.id)).toBe(true);
      const notMine = await agent2.get(`/api/assist/autoreply/decisions?storeId=${flagship.id}`);
      expect(notMine.body.items).toEqual([]);
      const theirs = await agent2.get("/api/assist/autoreply/decisions");
      expect(theirs.body.items.every((d: AutoReplyDecision) => d.storeId === outlet.id)).toBe(true);
    });

    it("measures answered share, hand-over rate and re-asks per store", async () => {
      const from = new Date(startedAt.getTime() - 60_000).toISOString();
      const to = new Date(Date.now() + 60_000).toISOString();
      const res = await sup.get(
        `/api/assist/autoreply/metrics?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
      );
      expect(res.status).toBe(200);
      const metrics = res.body as AutoReplyMetrics;
      const flag = metrics.stores.find((s) => s.storeId === flagship.id)!;
      const rows = await queryRows<{ outcome: string; dry_run: boolean; in_scope: boolean }>(
        w.t.server.ctx.db,
        sql`SELECT outcome, dry_run, in_scope FROM auto_reply_decisions WHERE store_id = ${flagship.id}`,
      );
      const count = (f: (r: (typeof rows)[number]) => boolean) => rows.filter(f).length;
      expect(flag.answered).toBe(count((r) => r.outcome === "answered"));
      expect(flag.handedOver).toBe(count((r) => r.outcome === "handed_over" && !r.dry_run));
      expect(flag.inquiries).toBe(count((r) => r.in_scope));
      expect(flag.answeredShare).toBeCloseTo(flag.answered / flag.inquiries, 3);
      expect(flag.handOverRate).toBeCloseTo(flag.handedOver / (flag.answered + flag.asked + flag.handedOver), 3);
      // The streak buyer asked the same thing again within minutes of each answer; so did the unsure one.
      expect(flag.reAsks).toBeGreaterThanOrEqual(2);
      const out = metrics.stores.find((s) => s.storeId === outlet.id)!;
      expect(out.dryRun).toBe(1);
      expect(metrics.total.answered).toBe(flag.answered + out.answered);

      const agent = await agent1.get(
        `/api/assist/autoreply/metrics?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
      );
      expect(agent.status).toBe(403);
      const backwards = await sup.get(
        `/api/assist/autoreply/metrics?from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`,
      );
      expect(backwards.status).toBe(400);
    });
  });
});
