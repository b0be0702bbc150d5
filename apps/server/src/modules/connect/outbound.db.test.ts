import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeWorld, startFakeWorld } from "../../../test/fake-marketplace.ts";
import { postgresAvailable, testDb } from "../../../test/harness.ts";
import { waitFor } from "../../../test/wait.ts";
import { queryRows, sql } from "../../platform/db/client.ts";

const run = testDb === "pglite" || (await postgresAvailable());

describe.runIf(run)(`outbound: platform limits, attachments, send rate, test-send (${testDb})`, () => {
  let w: FakeWorld;
  let seq = 0;

  beforeAll(async () => {
    w = await startFakeWorld();
  });
  afterAll(() => w?.close());

  async function conversationWith(buyer: string) {
    await w.push([
      {
        kind: "message",
        platformMessageId: `m-${++seq}`,
        buyer: { platformBuyerId: buyer, displayName: buyer },
        content: { type: "text", text: "你好" },
        sentAt: new Date().toISOString(),
      },
    ]);
    const list = await w.agent.get("/api/conversations");
    return list.body.items.find((c: { customer: { displayName: string } }) => c.customer.displayName === buyer);
  }
  const thread = async (conversationId: string) =>
    (await w.agent.get(`/api/conversations/${conversationId}/messages`)).body.items as {
      id: string;
      kind: string;
      body: string;
      attachment: Record<string, unknown> | null;
      deliveryStatus: string | null;
    }[];
  const counts = async () => {
    const [row] = await queryRows<{ messages: string | number; jobs: string | number }>(
      w.t.server.ctx.db,
      sql`SELECT (SELECT count(*) FROM messages) AS messages,
                 (SELECT count(*) FROM jobs WHERE queue = 'deliver-message') AS jobs`,
    );
    return { messages: Number(row!.messages), jobs: Number(row!.jobs) };
  };

  it("refuses what the platform forbids with 422 platform_limit and writes nothing", async () => {
    const conversation = await conversationWith("jd_限制");
    const before = await counts();
    const long = await w.agent.post(`/api/conversations/${conversation.id}/messages`, {
      body: "亲".repeat(51),
      idempotencyKey: "limit-long-01",
    });
    expect(long.status).toBe(422);
    expect(long.body.error.code).toBe("platform_limit");
    expect(long.body.error.message).toContain("50");
    const link = await w.agent.post(`/api/conversations/${conversation.id}/messages`, {
      body: "去这里买更便宜 https://elsewhere.example.com/x",
      idempotencyKey: "limit-link-01",
    });
    expect(link.status).toBe(422);
    expect(link.body.error.message).toContain("elsewhere.example.com");
    expect(await counts()).toEqual(before);
    const allowed = await w.agent.post(`/api/conversations/${conversation.id}/messages`, {
      body: "店铺首页 https://fake-market.example/shop/1",
      idempotencyKey: "limit-ok-01",
    });
    expect(allowed.status).toBe(201);
  });

  it("sends images and cards with a text rendering, the attachment before its text", async () => {
    const conversation = await conversationWith("jd_图片");
    await w.push([
      {
        kind: "order",
        eventId: "card-e1",
        change: "paid",
        order: {
          orderId: "O-card",
          buyer: { platformBuyerId: "jd_图片", displayName: "jd_图片" },
          status: "paid",
          platformStatus: "WAIT_SELLER_STOCK_OUT",
          items: [{ productId: "P-9", title: "儿童保温杯", quantity: 2, priceCents: 4900 }],
          totalCents: 9800,
          createdAt: new Date().toISOString(),
        },
        at: new Date().toISOString(),
      },
    ]);
    const [order] = (await w.agent.get(`/api/conversations/${conversation.id}/orders`)).body.items;
    const image = await w.agent.post(`/api/conversations/${conversation.id}/messages`, {
      body: "这是实物图",
      attachment: { type: "image", url: "https://img.fake-market.example/cup.jpg" },
      idempotencyKey: "attach-image-01",
    });
    expect(image.status).toBe(201);
    expect(image.body).toMatchObject({
      kind: "image",
      body: "[图片]",
      attachment: { type: "image", url: "https://img.fake-market.example/cup.jpg" },
    });
    const card = await w.agent.post(`/api/conversations/${conversation.id}/messages`, {
      attachment: { type: "order_card", orderId: order.id },
      idempotencyKey: "attach-order-01",
    });
    expect(card.body.attachment).toEqual({
      type: "order_card",
      orderId: "O-card",
      title: "儿童保温杯",
      status: "paid",
      totalCents: 9800,
    });
    const product = await w.agent.post(`/api/conversations/${conversation.id}/messages`, {
      attachment: { type: "product_card", productId: "P-9" },
      idempotencyKey: "attach-product-01",
    });
    expect(product.body.kind).toBe("product_card");
    // A repeat of the image request answers the first message and sends nothing new.
    const repeat = await w.agent.post(`/api/conversations/${conversation.id}/messages`, {
      body: "这是实物图",
      attachment: { type: "image", url: "https://img.fake-market.example/cup.jpg" },
      idempotencyKey: "attach-image-01",
    });
    expect(repeat.status).toBe(200);
    expect(repeat.body.id).toBe(image.body.id);

    await waitFor("all sent", async () => {
      const items = (await thread(conversation.id)).filter((m) => m.kind !== "system");
      return items.length === 5 && items.slice(1).every((m) => m.deliveryStatus === "sent");
    });
    const sent = w.market.sent
      .filter((s) => s.message.buyer.platformBuyerId === "jd_图片")
      .map((s) => s.message.content);
    expect(sent).toEqual([
      { type: "image", url: "https://img.fake-market.example/cup.jpg" },
      { type: "text", text: "这是实物图" },
      { type: "order_card", orderId: "O-card" },
      { type: "product_card", productId: "P-9" },
    ]);
  });

  it("spaces a store's sends to the platform's rate, across conversations", async () => {
    w.market.sendsPerSecond = 4;
    const conversations = [await conversationWith("jd_限速1"), await conversationWith("jd_限速2")];
    const startAt = w.market.sent.length;
    await Promise.all(
      [0, 1, 2].flatMap((i) =>
        conversations.map((c, j) =>
          w.agent.post(`/api/conversations/${c.id}/messages`, {
            body: `第${i}条`,
            idempotencyKey: `rate-${j}-${i}-xx`,
          }),
        ),
      ),
    );
    await waitFor("six sends", () => w.market.sent.length - startAt >= 6, 20_000);
    const times = w.market.sent.slice(startAt).map((s) => s.at);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // 4 per second: on average at least 250 ms apart; single gaps vary with request latency.
    expect((times.at(-1)! - times[0]!) / gaps.length).toBeGreaterThanOrEqual(250);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(150);
    w.market.sendsPerSecond = 0;
  });

  it("test-sends through the platform for admins, not stored, audited; platform errors are 502", async () => {
    const before = await counts();
    expect(
      (await w.agent.post(`/api/stores/${w.store.id}/test-send`, { buyerId: "jd_测试", text: "测试" })).status,
    ).toBe(403);
    const ok = await w.owner.post(`/api/stores/${w.store.id}/test-send`, { buyerId: "jd_测试", text: "测试消息" });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ ok: true, platformMessageId: expect.stringMatching(/^fake-/) });
    expect(w.market.sent.at(-1)?.message.content).toEqual({ type: "text", text: "测试消息" });
    const tooLong = await w.owner.post(`/api/stores/${w.store.id}/test-send`, {
      buyerId: "jd_测试",
      text: "长".repeat(60),
    });
    expect(tooLong.status).toBe(422);
    w.market.down = true;
    const down = await w.owner.post(`/api/stores/${w.store.id}/test-send`, { buyerId: "jd_测试", text: "测试" });
    w.market.down = false;
    expect(down.status).toBe(502);
    expect(down.body.error).toEqual({ code: "platform_error", message: "timeout: platform timed out" });
    expect((await counts()).messages).toBe(before.messages);
    const audit = await queryRows<{ action: string }>(
      w.t.server.ctx.db,
      sql`SELECT action FROM audit_log WHERE org_id = ${w.orgId} AND action = 'store.test_send'`,
    );
    expect(audit).toHaveLength(2);
    await w.owner.patch(`/api/stores/${w.store.id}`, { status: "disabled" });
    const disabled = await w.owner.post(`/api/stores/${w.store.id}/test-send`, { buyerId: "jd_测试", text: "测试" });
    expect(disabled.status).toBe(409);
    await w.owner.patch(`/api/stores/${w.store.id}`, { status: "active" });
  });
});
