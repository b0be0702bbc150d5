import type { PlatformId } from "@yunxi/contracts";
import type { PlatformOrder } from "@yunxi/marketplaces";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../../../test/api-client.ts";
import { FakeMarketplace } from "../../../test/fake-marketplace.ts";
import { postgresAvailable, startTestServer, type TestServer, testDb } from "../../../test/harness.ts";
import { queryRows, sql } from "../../platform/db/client.ts";
import { verifyChain } from "../audit/index.ts";
import { signIdentity } from "../channels/webchat/identity-signature.ts";
import { createOrg, createUser } from "../identity/index.ts";
import { applyOrderEvent } from "../orders/index.ts";
import { assertStoresInOrg, createStore, type StoreRow } from "../stores/index.ts";
import { findOrCreateIdentity } from "./index.ts";

const run = testDb === "pglite" || (await postgresAvailable());

const t0 = Date.now() - 3600_000;
const at = (offsetSeconds: number) => new Date(t0 + offsetSeconds * 1000).toISOString();

const PHONE = "13800138000";

function order(buyer: string, orderId: string, phone: string | null, over: Record<string, unknown> = {}) {
  return {
    orderId,
    buyer: { platformBuyerId: buyer, displayName: buyer },
    status: "paid",
    platformStatus: "WAIT_SELLER_SEND_GOODS",
    items: [{ productId: "P-1", title: "保温杯", sku: "500ml", quantity: 1, priceCents: 8900 }],
    totalCents: 8900,
    createdAt: at(0),
    ...(phone && { receiverPhone: phone }),
    ...over,
  };
}

const orderEvent = (eventId: string, o: ReturnType<typeof order>, atSeconds: number) => ({
  kind: "order",
  eventId,
  change: "paid",
  order: o,
  at: at(atSeconds),
});

const message = (buyer: string, id: string, text: string, atSeconds = 1) => ({
  kind: "message",
  platformMessageId: id,
  buyer: { platformBuyerId: buyer, displayName: buyer },
  content: { type: "text", text },
  sentAt: at(atSeconds),
});

interface Profile {
  customer: { id: string; displayName: string };
  identities: {
    id: string;
    platform: PlatformId;
    platformBuyerId: string;
    store: { id: string; label: string } | null;
    stores: { id: string; label: string }[];
    link: { reason: string; detail: string | null; by: { id: string; name: string } | null };
  }[];
  conversations: { id: string; storeId: string; platform: PlatformId; storeLabel: string; status: string }[];
  orders: { orderId: string; storeId: string; status: string; customerId: string }[];
  tags: string[];
}

/**
 * One org with a Taobao store (global buyer nicks), a PDD store (per-shop open ids) and
 * two web-chat stores; an owner, a supervisor, an agent of the Taobao store only; and
 * another org with its own owner.
 */
describe.runIf(run)(`one customer across platforms (${testDb})`, () => {
  let t: TestServer;
  let uninstall: (() => void)[] = [];
  let orgId: string;
  let taobao: StoreRow;
  let pdd: StoreRow;
  let web1: StoreRow;
  let web2: StoreRow;
  let supervisor: ApiClient;
  let agent: ApiClient;
  let stranger: ApiClient;
  let supervisorId: string;

  const push = (store: StoreRow, events: unknown[]) =>
    fetch(`${t.url}/connect/${store.platform}/${store.storeKey}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-fake-sign": "fake-secret" },
      body: JSON.stringify({ events }),
    }).then((res) => {
      expect(res.status).toBe(200);
    });

  const conversationOf = async (buyer: string) => {
    const list = await supervisor.get("/api/conversations?limit=500");
    const found = list.body.items.find(
      (c: { customer: { platformBuyerId: string } }) => c.customer.platformBuyerId === buyer,
    );
    expect(found, `conversation of ${buyer}`).toBeDefined();
    return found as { id: string; storeId: string; customer: { id: string } };
  };
  const profileOf = async (client: ApiClient, customerId: string) => {
    const res = await client.get(`/api/customers/${customerId}`);
    expect(res.status).toBe(200);
    return res.body as Profile;
  };
  const auditActions = async () =>
    (
      await queryRows<{ action: string; target_id: string; details: unknown; actor_id: string }>(
        t.server.ctx.db,
        sql`SELECT action, target_id, details, actor_id FROM audit_log WHERE org_id = ${orgId} AND action LIKE 'customer.%' ORDER BY id`,
      )
    ).map((r) => ({ ...r, details: typeof r.details === "string" ? JSON.parse(r.details) : r.details }));

  beforeAll(async () => {
    uninstall = [new FakeMarketplace("taobao"), new FakeMarketplace("pdd")].map((m) => m.install());
    t = await startTestServer();
    const ctx = t.server.ctx;
    const org = await createOrg(ctx, { name: "跨平台公司" });
    const otherOrg = await createOrg(ctx, { name: "别的公司" });
    orgId = org.id;
    const credentials = { appKey: "fake-app", appSecret: "fake-secret", accessToken: "seed-token" };
    const store = (org: string, platform: PlatformId, name: string, sellerId: string, secret = "fake-secret") =>
      createStore(ctx, null, org, {
        platform,
        name,
        gatewayUrl: "http://127.0.0.1:9/fake",
        sellerId,
        credentials: { ...credentials, appSecret: secret },
      });
    taobao = await store(orgId, "taobao", "旗舰店", "tb-seller-1");
    pdd = await store(orgId, "pdd", "专卖店", "pdd-seller-1");
    web1 = await store(orgId, "webchat", "官网商城", "web-1", "web-secret-1");
    web2 = await store(orgId, "webchat", "会员站", "web-2", "web-secret-2");
    await store(otherOrg.id, "taobao", "别家店", "tb-seller-2");

    const people = [
      { key: "owner", org: orgId, role: "owner" as const, name: "老板", stores: [] as string[] },
      { key: "supervisor", org: orgId, role: "supervisor" as const, name: "主管小张", stores: [] },
      { key: "agent", org: orgId, role: "agent" as const, name: "客服小美", stores: [taobao.id] },
      { key: "stranger", org: otherOrg.id, role: "owner" as const, name: "别人", stores: [] },
    ];
    const clients: Record<string, ApiClient> = {};
    for (const p of people) {
      const email = `${p.key}@customers.test`;
      const password = `pw-${p.key}-123456`;
      const user = await createUser(
        ctx,
        p.org,
        { email, name: p.name, role: p.role, password, storeIds: p.stores },
        null,
        assertStoresInOrg,
      );
      if (p.key === "supervisor") supervisorId = user.id;
      clients[p.key] = await new ApiClient(t.url).login(email, password);
    }
    supervisor = clients.supervisor!;
    agent = clients.agent!;
    stranger = clients.stranger!;
  });
  afterAll(async () => {
    await t?.close();
    for (const u of uninstall) u();
  });

  it("links a Taobao buyer and a PDD buyer whose orders share the receiver phone, and shows both histories", async () => {
    await push(taobao, [
      message("tb_小王", "tb-m-1", "杯子什么时候发货"),
      orderEvent("tb-e-1", order("tb_小王", "T-1001", PHONE), 2),
    ]);
    await push(pdd, [message("pdd_open_9", "pdd-m-1", "拼单的杯子能改地址吗", 3)]);
    const before = await conversationOf("pdd_open_9");
    const taobaoConversation = await conversationOf("tb_小王");
    expect(before.customer.id).not.toBe(taobaoConversation.customer.id);

    // The same person orders on PDD, the phone written differently: linked on the order push.
    await push(pdd, [orderEvent("pdd-e-1", order("pdd_open_9", "P-2001", "+86 138-0013-8000"), 4)]);

    const pddConversation = await conversationOf("pdd_open_9");
    expect(pddConversation.customer.id).toBe(taobaoConversation.customer.id);
    const profile = await profileOf(supervisor, taobaoConversation.customer.id);
    expect(profile.identities.map((i) => [i.platform, i.platformBuyerId, i.link.reason])).toEqual([
      ["taobao", "tb_小王", "first_contact"],
      ["pdd", "pdd_open_9", "phone_match"],
    ]);
    const [tb, pd] = profile.identities;
    expect(pd!.link.detail).toBe("P-2001 ↔ T-1001");
    expect(pd!.link.by).toBeNull();
    expect(JSON.stringify(profile)).not.toContain("0013");
    // A per-shop id names its store; a global id the stores it talked to.
    expect(pd!.store).toMatchObject({ id: pdd.id, label: "拼多多-专卖店" });
    expect(tb!.store).toBeNull();
    expect(tb!.stores.map((s) => s.label)).toEqual(["淘宝-旗舰店"]);
    expect(profile.conversations.map((c) => [c.platform, c.storeLabel, c.status]).sort()).toEqual([
      ["pdd", "拼多多-专卖店", "open"],
      ["taobao", "淘宝-旗舰店", "open"],
    ]);
    expect(profile.orders.map((o) => o.orderId).sort()).toEqual(["P-2001", "T-1001"]);
    expect(profile.orders.every((o) => o.customerId === profile.customer.id)).toBe(true);
    // The PDD buyer's first customer is gone.
    expect((await supervisor.get(`/api/customers/${before.customer.id}`)).status).toBe(404);
    // From the open conversation, whichever customer it belongs to now.
    const viaConversation = await supervisor.get(`/api/conversations/${before.id}/customer`);
    expect(viaConversation.status).toBe(200);
    expect(viaConversation.body.customer.id).toBe(profile.customer.id);
    // The customer's orders endpoint of the orders module agrees.
    const orders = await supervisor.get(`/api/customers/${profile.customer.id}/orders`);
    expect(orders.body.items.map((o: { orderId: string }) => o.orderId).sort()).toEqual(["P-2001", "T-1001"]);
  });

  it("shows an agent only the conversations and orders of the stores they serve", async () => {
    const { customer } = await conversationOf("tb_小王");
    const seen = await profileOf(agent, customer.id);
    expect(seen.identities).toHaveLength(2);
    expect(seen.conversations.map((c) => c.storeId)).toEqual([taobao.id]);
    expect(seen.orders.map((o) => o.orderId)).toEqual(["T-1001"]);
    expect(seen.identities.flatMap((i) => i.stores.map((s) => s.id))).toEqual([taobao.id]);
    // The PDD conversation is not the agent's: its customer is not reachable through it.
    const pddConversation = await conversationOf("pdd_open_9");
    expect((await agent.get(`/api/conversations/${pddConversation.id}/customer`)).status).toBe(404);
  });

  it("lets a supervisor link and unlink by hand, audited; agents may not; automatic links respect it", async () => {
    await push(taobao, [message("tb_老李", "tb-m-2", "在吗")]);
    await push(pdd, [message("pdd_open_7", "pdd-m-2", "我是老李")]);
    const lee = await conversationOf("tb_老李");
    const leePdd = await conversationOf("pdd_open_7");

    expect((await agent.get("/api/customers?q=老李")).status).toBe(403);
    const search = await supervisor.get("/api/customers?q=pdd_open_7");
    expect(search.status).toBe(200);
    expect(search.body.items).toHaveLength(1);
    const identityId = search.body.items[0].identities[0].id as string;
    expect(search.body.items[0].identities[0]).toMatchObject({
      platform: "pdd",
      storeLabel: "拼多多-专卖店",
      linkReason: "first_contact",
    });
    // LIKE wildcards are taken literally.
    expect((await supervisor.get("/api/customers?q=%25")).body.items).toEqual([]);

    const refused = await agent.post(`/api/customers/${lee.customer.id}/identities`, { identityId });
    expect(refused.status).toBe(403);

    const linked = await supervisor.post(`/api/customers/${lee.customer.id}/identities`, {
      identityId,
      note: "买家在两个平台报了同一个会员号",
    });
    expect(linked.status).toBe(200);
    const profile = linked.body as Profile;
    expect(profile.identities.map((i) => [i.platformBuyerId, i.link.reason])).toEqual([
      ["tb_老李", "first_contact"],
      ["pdd_open_7", "manual"],
    ]);
    expect(profile.identities[1]!.link.by).toEqual({ id: supervisorId, name: "主管小张" });
    expect(profile.identities[1]!.link.detail).toBe("买家在两个平台报了同一个会员号");
    expect(profile.conversations.map((c) => c.id).sort()).toEqual([lee.id, leePdd.id].sort());
    expect((await supervisor.get(`/api/customers/${leePdd.customer.id}`)).status).toBe(404);
    // Linking again is a no-op (and is not audited twice).
    expect((await supervisor.post(`/api/customers/${lee.customer.id}/identities`, { identityId })).status).toBe(200);

    const unlinked = await supervisor.delete(`/api/customers/${lee.customer.id}/identities/${identityId}`);
    expect(unlinked.status).toBe(200);
    expect(unlinked.body.identities.map((i: { platformBuyerId: string }) => i.platformBuyerId)).toEqual(["tb_老李"]);
    const apart = await conversationOf("pdd_open_7");
    expect(apart.customer.id).not.toBe(lee.customer.id);
    const own = await profileOf(supervisor, apart.customer.id);
    expect(own.identities.map((i) => [i.platformBuyerId, i.link.reason, i.link.by?.name])).toEqual([
      ["pdd_open_7", "manual", "主管小张"],
    ]);
    expect(own.conversations.map((c) => c.id)).toEqual([leePdd.id]);

    // The last identity of a customer cannot be unlinked; agents cannot unlink.
    const last = await supervisor.delete(`/api/customers/${apart.customer.id}/identities/${identityId}`);
    expect(last.status).toBe(409);
    expect((await agent.delete(`/api/customers/${lee.customer.id}/identities/${identityId}`)).status).toBe(403);
    // An identity of another customer is "not found" under this one.
    expect((await supervisor.delete(`/api/customers/${lee.customer.id}/identities/${identityId}`)).status).toBe(404);

    // Orders sharing a phone do not undo the supervisor's decision.
    await push(taobao, [orderEvent("tb-e-2", order("tb_老李", "T-1002", "13900139000"), 10)]);
    await push(pdd, [orderEvent("pdd-e-2", order("pdd_open_7", "P-2002", "13900139000"), 11)]);
    expect((await conversationOf("pdd_open_7")).customer.id).toBe(apart.customer.id);

    expect(await auditActions()).toEqual([
      {
        action: "customer.identity_linked",
        target_id: lee.customer.id,
        actor_id: supervisorId,
        details: {
          identityId,
          fromCustomerId: leePdd.customer.id,
          fromDeleted: true,
          note: "买家在两个平台报了同一个会员号",
        },
      },
      {
        action: "customer.identity_unlinked",
        target_id: lee.customer.id,
        actor_id: supervisorId,
        details: { identityId, newCustomerId: apart.customer.id },
      },
    ]);
    expect(await verifyChain(t.server.ctx.db, orgId)).toBeNull();
  });

  it("keeps other orgs out: their customers and identities are not found", async () => {
    const { customer } = await conversationOf("tb_小王");
    const profile = await profileOf(supervisor, customer.id);
    expect((await stranger.get(`/api/customers/${customer.id}`)).status).toBe(404);
    expect((await stranger.get("/api/customers?q=tb_")).body.items).toEqual([]);
    expect((await stranger.get("/api/customers/not-a-uuid")).status).toBe(404);
    // The stranger's own customer cannot take this org's identity, nor unlink from this org's customer.
    await fetch(`${t.url}/connect/taobao/${(await strangerStore()).storeKey}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-fake-sign": "fake-secret" },
      body: JSON.stringify({ events: [message("tb_别家买家", "x-m-1", "你好")] }),
    });
    const theirs = (await stranger.get("/api/conversations")).body.items[0];
    const grab = await stranger.post(`/api/customers/${theirs.customer.id}/identities`, {
      identityId: profile.identities[0]!.id,
    });
    expect(grab.status).toBe(404);
    const cut = await stranger.delete(`/api/customers/${customer.id}/identities/${profile.identities[1]!.id}`);
    expect(cut.status).toBe(404);
    // And this org's supervisor cannot take theirs.
    const theirIdentity = (await stranger.get(`/api/customers/${theirs.customer.id}`)).body.identities[0].id;
    expect(
      (await supervisor.post(`/api/customers/${customer.id}/identities`, { identityId: theirIdentity })).status,
    ).toBe(404);
    expect((await profileOf(supervisor, customer.id)).identities).toHaveLength(2);
  });

  it("links a visitor the merchant's page identified in two web-chat stores", async () => {
    const visit = async (store: StoreRow, secret: string, text: string) => {
      const ts = Math.floor(Date.now() / 1000);
      const identity = { userId: "vip-88", name: "会员88", ts, signature: signIdentity(secret, "vip-88", ts) };
      const session = await fetch(`${t.url}/widget/${store.storeKey}/session`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ identity }),
      }).then((r) => r.json() as Promise<{ token: string }>);
      const sent = await fetch(`${t.url}/widget/${store.storeKey}/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${session.token}` },
        body: JSON.stringify({ clientId: `client-${store.id.slice(0, 8)}`, text }),
      });
      expect(sent.status).toBe(200);
    };
    await visit(web1, "web-secret-1", "我在官网下过单");
    await visit(web2, "web-secret-2", "会员站也是我");
    const list = (await supervisor.get("/api/conversations?limit=500")).body.items.filter(
      (c: { customer: { platformBuyerId: string } }) => c.customer.platformBuyerId === "user:vip-88",
    );
    expect(list).toHaveLength(2);
    expect(list[0].customer.id).toBe(list[1].customer.id);
    const profile = await profileOf(supervisor, list[0].customer.id);
    expect(profile.identities.map((i) => [i.store?.label, i.link.reason, i.link.detail])).toEqual([
      ["官网-官网商城", "first_contact", null],
      ["官网-会员站", "widget_identified", "user:vip-88"],
    ]);
    expect(profile.conversations).toHaveLength(2);
  });

  it("links concurrent orders sharing a phone into one customer, without deadlock", async () => {
    const ctx = t.server.ctx;
    const hashPhone = (phone: string) => ctx.vault.keyedHash(`phone:${phone}`);
    const phone = "13700137000";
    const buyers = Array.from({ length: 8 }, (_, i) => ({
      store: i % 2 === 0 ? taobao : pdd,
      buyer: `rush_${i}`,
    }));
    const apply = (store: StoreRow, buyer: string, orderId: string, eventId: string, over = {}) =>
      ctx.db.transaction(async (tx) => {
        const identity = await findOrCreateIdentity(tx, {
          orgId,
          platform: store.platform as PlatformId,
          storeId: store.id,
          platformBuyerId: buyer,
          displayName: buyer,
        });
        const platformOrder = JSON.parse(JSON.stringify(order(buyer, orderId, phone, over)), (key, value) =>
          key === "createdAt" ? new Date(value) : value,
        ) as PlatformOrder;
        const owner = { orgId, storeId: store.id, customerId: identity.customerId, identityId: identity.identityId };
        return applyOrderEvent(tx, owner, { eventId, change: "paid", order: platformOrder, at: new Date() }, hashPhone);
      });
    // Every buyer's first order at once.
    await Promise.all(buyers.map((b, i) => apply(b.store, b.buyer, `R-${i}`, `rush-${i}`)));
    // Then new buyers while the earlier orders move on (those transactions touch the linked customers' rows).
    await Promise.all([
      ...buyers.map((b, i) =>
        apply(b.store, b.buyer, `R-${i}`, `rush-ship-${i}`, { status: "shipped", platformStatus: "SHIPPED" }),
      ),
      ...[8, 9, 10, 11].map((i) => apply(i % 2 ? taobao : pdd, `rush_${i}`, `R-${i}`, `rush-${i}`)),
    ]);
    const rows = await queryRows<{ customer_id: string; n: number }>(
      ctx.db,
      sql`SELECT customer_id, count(*)::int AS n FROM orders
          WHERE org_id = ${orgId} AND platform_order_id LIKE 'R-%' GROUP BY customer_id`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.n).toBe(12);
    const profile = await profileOf(supervisor, rows[0]!.customer_id);
    expect(profile.identities).toHaveLength(12);
    expect(profile.identities.filter((i) => i.link.reason === "phone_match")).toHaveLength(11);
    expect(profile.orders.filter((o) => o.status === "shipped")).toHaveLength(8);
    // No customer was left behind without identities.
    const empty = await queryRows<{ n: number }>(
      ctx.db,
      sql`SELECT count(*)::int AS n FROM customers c WHERE c.org_id = ${orgId}
          AND NOT EXISTS (SELECT 1 FROM customer_identities i WHERE i.customer_id = c.id)`,
    );
    expect(empty[0]!.n).toBe(0);
  });

  async function strangerStore() {
    const [row] = await queryRows<{ store_key: string }>(
      t.server.ctx.db,
      sql`SELECT store_key FROM stores WHERE seller_id = 'tb-seller-2'`,
    );
    return { storeKey: row!.store_key };
  }
});
