import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeWorld, startFakeWorld } from "../../../test/fake-marketplace.ts";
import { postgresAvailable, testDb } from "../../../test/harness.ts";
import { queueSettled } from "../../../test/wait.ts";
import { queryRows, sql } from "../../platform/db/client.ts";
import { eventsSince, latestSeq } from "../../platform/events/log.ts";
import { syncBuyerOrders } from "./sync.ts";

const run = testDb === "pglite" || (await postgresAvailable());

const t0 = Date.now() - 60_000;
const at = (offsetSeconds: number) => new Date(t0 + offsetSeconds * 1000).toISOString();

// Each buyer their own receiver phone: orders sharing a phone link their buyers into one customer.
const phoneOf = (buyer: string) =>
  buyer === "jd_小鹿" ? "+86 138-0013-8000" : `139${String(buyer.codePointAt(3)).padStart(8, "0")}`;

function platformOrder(buyer: string, orderId: string, over: Record<string, unknown> = {}) {
  return {
    orderId,
    buyer: { platformBuyerId: buyer, displayName: buyer },
    status: "unpaid",
    platformStatus: "WAIT_BUYER_PAY",
    items: [{ productId: "P-1", title: "透气跑步鞋", sku: "42码", quantity: 1, priceCents: 19900 }],
    totalCents: 19900,
    createdAt: at(0),
    receiverPhone: phoneOf(buyer),
    ...over,
  };
}

const message = (buyer: string, id: string, text: string, sentAt = at(1)) => ({
  kind: "message",
  platformMessageId: id,
  buyer: { platformBuyerId: buyer, displayName: buyer },
  content: { type: "text", text },
  sentAt,
});

describe.runIf(run)(`orders, read receipts and ratings from pushes; the orders API (${testDb})`, () => {
  let w: FakeWorld;

  beforeAll(async () => {
    w = await startFakeWorld();
  });
  afterAll(() => w?.close());

  async function conversationOf(buyer: string) {
    const list = await w.agent.get("/api/conversations");
    return list.body.items.find((c: { customer: { displayName: string } }) => c.customer.displayName === buyer);
  }
  const threadOf = async (conversationId: string) =>
    (await w.agent.get(`/api/conversations/${conversationId}/messages`)).body.items as {
      kind: string;
      senderType: string;
      body: string;
      attachment: { type: string; event?: string; orderId?: string } | null;
    }[];
  const loggedTypes = async (afterSeq = 0) =>
    (await eventsSince(w.t.server.ctx.db, w.orgId, afterSeq, null, 1000)).map((e) => e.type);

  it("creates and advances an order once per event, with notices in the buyer's open conversation", async () => {
    expect((await w.push([message("jd_小鹿", "m-1", "我的鞋什么时候发货")])).status).toBe(200);
    const conversation = await conversationOf("jd_小鹿");
    const created = {
      kind: "order",
      eventId: "e-1",
      change: "created",
      order: platformOrder("jd_小鹿", "O-1"),
      at: at(2),
    };
    expect((await w.push([created])).status).toBe(200);
    expect((await w.push([created])).status).toBe(200); // the platform's retry: a no-op
    const paid = {
      kind: "order",
      eventId: "e-2",
      change: "paid",
      order: platformOrder("jd_小鹿", "O-1", {
        status: "paid",
        platformStatus: "WAIT_SELLER_STOCK_OUT",
        paidAt: at(3),
      }),
      at: at(3),
    };
    const shipped = {
      kind: "order",
      eventId: "e-3",
      change: "shipped",
      order: platformOrder("jd_小鹿", "O-1", {
        status: "shipped",
        platformStatus: "WAIT_GOODS_RECEIVE_CONFIRM",
        shippedAt: at(4),
        logistics: { carrier: "京东快递", trackingNo: "JD0001" },
      }),
      at: at(4),
    };
    // Shipped arrives before paid: the late "paid" must not move the order back.
    expect((await w.push([shipped, paid])).status).toBe(200);

    const thread = await threadOf(conversation.id);
    const notices = thread.filter((m) => m.kind === "system");
    expect(notices.map((m) => m.attachment?.event).sort()).toEqual(["order.created", "order.paid", "order.shipped"]);
    expect(notices.every((m) => m.senderType === "system" && m.attachment?.orderId === "O-1")).toBe(true);
    expect(notices.find((m) => m.attachment?.event === "order.shipped")?.body).toContain("京东快递 JD0001");

    const orders = await queryRows<{
      status: string;
      paid_at: Date | null;
      receiver_phone_hash: string;
      carrier: string;
    }>(w.t.server.ctx.db, sql`SELECT * FROM orders WHERE org_id = ${w.orgId} AND platform_order_id = 'O-1'`);
    expect(orders).toHaveLength(1);
    expect(orders[0]!.status).toBe("shipped");
    expect(orders[0]!.paid_at).not.toBeNull();
    expect(orders[0]!.carrier).toBe("京东快递");
    // Only a keyed hash of the phone is kept, the same for any spelling of the number.
    expect(orders[0]!.receiver_phone_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(orders[0]!.receiver_phone_hash).toBe(w.t.server.ctx.vault.keyedHash("phone:13800138000"));
    // Neither the phone as given nor its digits are stored in clear (a bare "138" could be part of a uuid or time).
    for (const clear of ["13800138000", "138-0013-8000", "0013-8000"])
      expect(JSON.stringify(orders[0])).not.toContain(clear);

    const types = await loggedTypes();
    expect(types.filter((t) => t === "order.changed")).toHaveLength(3);
  });

  it("records an order of a buyer without a conversation, without opening one", async () => {
    await queueSettled(w.t.server.ctx);
    const before = (await eventsSince(w.t.server.ctx.db, w.orgId, 0, null, 10_000)).at(-1)?.seq ?? 0;
    const res = await w.push([
      { kind: "order", eventId: "e-10", change: "created", order: platformOrder("jd_路人", "O-10"), at: at(5) },
    ]);
    expect(res.status).toBe(200);
    expect(await conversationOf("jd_路人")).toBeUndefined();
    expect(await loggedTypes(before)).toEqual(["order.changed"]);
  });

  it("applies read receipts: the latest wins, and agents are told", async () => {
    await w.push([message("jd_已读", "m-20", "在吗")]);
    const conversation = await conversationOf("jd_已读");
    expect(conversation.buyerReadAt).toBeNull();
    const read = (readAt: string) => ({
      kind: "read",
      buyer: { platformBuyerId: "jd_已读", displayName: "jd_已读" },
      readAt,
    });
    await queueSettled(w.t.server.ctx);
    const before = (await eventsSince(w.t.server.ctx.db, w.orgId, 0, null, 10_000)).at(-1)!.seq;
    expect((await w.push([read(at(10))])).status).toBe(200);
    expect((await w.push([read(at(8))])).status).toBe(200); // older: nothing changes
    const after = (await w.agent.get(`/api/conversations/${conversation.id}`)).body;
    expect(after.buyerReadAt).toBe(at(10));
    expect(await loggedTypes(before)).toEqual(["conversation.updated"]);
    // A receipt from a buyer we never met creates nothing.
    const stranger = { ...read(at(9)), buyer: { platformBuyerId: "jd_陌生人", displayName: "x" } };
    expect((await w.push([stranger])).status).toBe(200);
    expect(await conversationOf("jd_陌生人")).toBeUndefined();
  });

  it("stores a rating once and tells agents", async () => {
    const rating = {
      kind: "evaluation",
      eventId: "ev-1",
      buyer: { platformBuyerId: "jd_小鹿", displayName: "jd_小鹿" },
      orderId: "O-1",
      score: 5,
      comment: "鞋子很舒服，客服很耐心",
      at: at(20),
    };
    await queueSettled(w.t.server.ctx);
    const before = (await eventsSince(w.t.server.ctx.db, w.orgId, 0, null, 10_000)).at(-1)!.seq;
    await w.push([rating]);
    await w.push([rating]);
    const rows = await queryRows<{ score: number; platform_order_id: string }>(
      w.t.server.ctx.db,
      sql`SELECT * FROM evaluations WHERE org_id = ${w.orgId}`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ score: 5, platform_order_id: "O-1" });
    expect(await loggedTypes(before)).toEqual(["evaluation.created"]);
  });

  it("lists a conversation's orders synced from the platform, and stored ones when the platform is down", async () => {
    await w.push([message("jd_同步", "m-30", "查下订单")]);
    const conversation = await conversationOf("jd_同步");
    w.market.setOrders("jd_同步", [
      platformOrder("jd_同步", "O-31", { status: "paid", platformStatus: "WAIT_SELLER_STOCK_OUT", createdAt: at(30) }),
      platformOrder("jd_同步", "O-30", { status: "completed", platformStatus: "FINISHED_L", createdAt: at(29) }),
    ]);
    const synced = await w.agent.request("GET", `/api/conversations/${conversation.id}/orders`);
    expect(synced.status).toBe(200);
    expect(synced.body.items.map((o: { orderId: string }) => o.orderId)).toEqual(["O-31", "O-30"]);
    expect(synced.body.items[0]).toMatchObject({ status: "paid", storeLabel: "京东-自营店", totalCents: 19900 });
    expect(synced.body.items[0]).not.toHaveProperty("receiverPhoneHash");

    w.market.down = true;
    w.market.setOrders("jd_同步", []);
    const res = await fetch(`${w.t.url}/api/conversations/${conversation.id}/orders`, {
      headers: { cookie: w.agent.cookie },
    });
    w.market.down = false;
    expect(res.status).toBe(200);
    expect(res.headers.get("x-orders-source")).toBe("stored");
    expect(((await res.json()) as { items: unknown[] }).items).toHaveLength(2);

    expect((await w.outsider.get(`/api/conversations/${conversation.id}/orders`)).status).toBe(404);
  });

  it("announces what a sync changed, once, in the store; a sync that changes nothing announces nothing", async () => {
    await w.push([message("jd_补单", "m-40", "订单呢")]);
    const conversation = await conversationOf("jd_补单");
    const sync = () => w.agent.get(`/api/conversations/${conversation.id}/orders`);
    const newEvents = async (afterSeq: number) =>
      (await eventsSince(w.t.server.ctx.db, w.orgId, afterSeq, null, 1000)).filter((e) => e.type === "order.changed");

    w.market.setOrders("jd_补单", [platformOrder("jd_补单", "O-40", { createdAt: at(40) })]);
    let before = await latestSeq(w.t.server.ctx.db, w.orgId);
    expect((await sync()).status).toBe(200);
    const created = await newEvents(before);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      storeId: conversation.storeId,
      payload: { change: "synced", order: { orderId: "O-40", customerId: conversation.customer.id, status: "unpaid" } },
    });

    before = await latestSeq(w.t.server.ctx.db, w.orgId);
    expect((await sync()).status).toBe(200);
    expect(await newEvents(before)).toEqual([]);

    w.market.setOrders("jd_补单", [
      platformOrder("jd_补单", "O-40", { status: "paid", platformStatus: "WAIT_SELLER_STOCK_OUT", paidAt: at(41) }),
    ]);
    before = await latestSeq(w.t.server.ctx.db, w.orgId);
    expect((await sync()).status).toBe(200);
    expect((await newEvents(before)).map((e) => e.payload.order)).toMatchObject([{ orderId: "O-40", status: "paid" }]);
  });

  it("reuses a recent sync when asked to, and asks the platform again when not", async () => {
    await w.push([message("jd_复用", "m-50", "发货了吗")]);
    const conversation = await conversationOf("jd_复用");
    const [row] = await queryRows<{ customer_id: string; identity_id: string }>(
      w.t.server.ctx.db,
      sql`SELECT customer_id, identity_id FROM conversations WHERE id = ${conversation.id}`,
    );
    const owner = {
      orgId: w.orgId,
      storeId: conversation.storeId,
      customerId: row!.customer_id,
      identityId: row!.identity_id,
    };
    const buyer = { platformBuyerId: "jd_复用", displayName: "jd_复用" };
    const statuses = async (options?: { reuseWithinMs: number }) =>
      (await syncBuyerOrders(w.t.server.ctx, owner, buyer, options)).rows.map((o) => o.status);

    w.market.setOrders("jd_复用", [platformOrder("jd_复用", "O-50", { createdAt: at(50) })]);
    expect(await statuses({ reuseWithinMs: 60_000 })).toEqual(["unpaid"]);
    w.market.setOrders("jd_复用", [
      platformOrder("jd_复用", "O-50", { status: "paid", platformStatus: "WAIT_SELLER_STOCK_OUT", paidAt: at(51) }),
    ]);
    // Within the window: what is stored, the platform not asked.
    expect(await statuses({ reuseWithinMs: 60_000 })).toEqual(["unpaid"]);
    // Without it (the bot, the orders panel): the platform's latest.
    expect(await statuses()).toEqual(["paid"]);
  });

  it("lists a customer's orders across the stores the actor may see", async () => {
    const conversation = await conversationOf("jd_小鹿");
    const mine = await w.agent.get(`/api/customers/${conversation.customer.id}/orders`);
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((o: { orderId: string }) => o.orderId)).toEqual(["O-1"]);
    const theirs = await w.outsider.get(`/api/customers/${conversation.customer.id}/orders`);
    expect(theirs.body.items).toEqual([]);
    expect((await w.agent.get("/api/customers/00000000-0000-4000-8000-000000000000/orders")).status).toBe(404);
  });

  it("answers an order's logistics from the platform, 502 when the platform fails", async () => {
    const conversation = await conversationOf("jd_小鹿");
    const [order] = (await w.agent.get(`/api/customers/${conversation.customer.id}/orders`)).body.items;
    w.market.logistics.set("O-1", {
      carrier: "京东快递",
      trackingNo: "JD0001",
      nodes: [
        { at: new Date(at(4)), description: "您的订单已出库" },
        { at: new Date(at(40)), description: "快递员正在派送" },
      ],
    });
    const trace = await w.agent.get(`/api/orders/${order.id}/logistics`);
    expect(trace.status).toBe(200);
    expect(trace.body).toEqual({
      carrier: "京东快递",
      trackingNo: "JD0001",
      nodes: [
        { at: at(4), description: "您的订单已出库" },
        { at: at(40), description: "快递员正在派送" },
      ],
    });
    w.market.down = true;
    const failed = await w.agent.get(`/api/orders/${order.id}/logistics`);
    w.market.down = false;
    expect(failed.status).toBe(502);
    expect(failed.body.error.code).toBe("platform_error");
    expect((await w.outsider.get(`/api/orders/${order.id}/logistics`)).status).toBe(404);
  });
});
