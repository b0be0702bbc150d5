import type {
  CannedReply,
  CannedReplySearchResult,
  PlatformId,
  RealtimeEvent,
  ReplyImportReport,
} from "@yunxi/contracts";
import { realtimeChannel } from "@yunxi/contracts";
import ExcelJS from "exceljs";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../../../../test/api-client.ts";
import { FakeMarketplace } from "../../../../test/fake-marketplace.ts";
import { postgresAvailable, startTestServer, type TestServer, testDb } from "../../../../test/harness.ts";
import { waitFor } from "../../../../test/wait.ts";
import { queryRows, sql } from "../../../platform/db/client.ts";
import { verifyChain } from "../../audit/index.ts";
import { createOrg, createUser } from "../../identity/index.ts";
import { assertStoresInOrg, createStore, type StoreRow } from "../../stores/index.ts";

const run = testDb === "pglite" || (await postgresAvailable());

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/** Shanghai wall-clock time as an instant. */
const cst = (local: string) => new Date(`${local}+08:00`);

/**
 * One org with a Taobao, a Douyin and a PDD store; an owner, a supervisor, an agent of
 * the Taobao store, an agent of the Douyin store; another org with its owner. The
 * server's clock is ours: campaign replies come and go as it moves.
 */
describe.runIf(run)(`canned replies (${testDb})`, () => {
  let t: TestServer;
  let clock = cst("2026-10-30T10:00:00");
  const uninstall: (() => void)[] = [];
  let orgId: string;
  let taobao: StoreRow;
  let douyin: StoreRow;
  let pdd: StoreRow;
  const clients: Record<string, ApiClient> = {};
  const logins: Record<string, { email: string; password: string }> = {};
  const sup = () => clients.supervisor!;
  const agent = () => clients.agent!;
  const douyinAgent = () => clients.douyinAgent!;
  const stranger = () => clients.stranger!;

  let signedInAt = clock;
  /** Move the server's clock; sessions lapse after a week, so the supervisor and the agent sign in again then. */
  const travel = async (to: Date) => {
    clock = to;
    if (Math.abs(to.getTime() - signedInAt.getTime()) < 6 * 86_400_000) return;
    signedInAt = to;
    for (const key of ["supervisor", "agent"]) {
      clients[key] = await new ApiClient(t.url).login(logins[key]!.email, logins[key]!.password);
    }
  };

  const create = async (client: ApiClient, body: Record<string, unknown>) => {
    const res = await client.post("/api/library/replies", body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as CannedReply;
  };
  const search = async (client: ApiClient, params: Record<string, string>) => {
    const res = await client.get(`/api/library/replies/search?${new URLSearchParams(params)}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as CannedReplySearchResult;
  };
  const titles = (result: CannedReplySearchResult) => result.items.map((i) => i.reply.title);
  const upload = async (client: ApiClient, path: string, bytes: Buffer | string, type = XLSX) => {
    const res = await fetch(t.url + path, {
      method: "POST",
      headers: { "content-type": type, cookie: client.cookie, "x-csrf-token": client.csrfToken },
      body: bytes,
    });
    return { status: res.status, body: (await res.json()) as ReplyImportReport & { error?: { code: string } } };
  };
  const download = async (client: ApiClient, path: string) => {
    const res = await fetch(t.url + path, { headers: { cookie: client.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("spreadsheetml");
    return Buffer.from(await res.arrayBuffer());
  };
  const sheetRows = async (bytes: Buffer) => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as Parameters<typeof workbook.xlsx.load>[0]);
    const rows: string[][] = [];
    workbook.worksheets[0]!.eachRow((row) => {
      rows.push(Array.from({ length: 8 }, (_, i) => row.getCell(i + 1).text));
    });
    return rows;
  };
  const workbookOf = async (rows: unknown[][]) => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("话术");
    for (const row of rows) sheet.addRow(row);
    return Buffer.from(await workbook.xlsx.writeBuffer());
  };
  const deleteAllShared = async () => {
    const list = await sup().get("/api/library/replies?owner=shared&limit=500");
    for (const r of list.body.items as CannedReply[]) {
      expect((await sup().delete(`/api/library/replies/${r.id}`)).status).toBe(204);
    }
  };

  beforeAll(async () => {
    uninstall.push(new FakeMarketplace("taobao").install(), new FakeMarketplace("douyin").install());
    t = await startTestServer({ now: () => clock });
    const ctx = t.server.ctx;
    const org = await createOrg(ctx, { name: "话术公司" });
    const other = await createOrg(ctx, { name: "别的公司" });
    orgId = org.id;
    const store = (o: string, platform: PlatformId, name: string, sellerId: string) =>
      createStore(ctx, null, o, {
        platform,
        name,
        gatewayUrl: "http://127.0.0.1:9/fake",
        sellerId,
        credentials: { appKey: "fake-app", appSecret: "fake-secret", accessToken: "seed-token" },
      });
    taobao = await store(orgId, "taobao", "旗舰店", "tb-1");
    douyin = await store(orgId, "douyin", "小店", "dy-1");
    pdd = await store(orgId, "pdd", "专卖店", "pdd-1");
    await store(other.id, "taobao", "旗舰店", "tb-2");
    const people = [
      { key: "supervisor", org: orgId, role: "supervisor" as const, stores: [] as string[] },
      { key: "agent", org: orgId, role: "agent" as const, stores: [taobao.id] },
      { key: "douyinAgent", org: orgId, role: "agent" as const, stores: [douyin.id] },
      { key: "stranger", org: other.id, role: "owner" as const, stores: [] },
    ];
    for (const p of people) {
      logins[p.key] = { email: `${p.key}@replies.test`, password: `pw-${p.key}-123456` };
      await createUser(
        ctx,
        p.org,
        { ...logins[p.key]!, name: p.key, role: p.role, storeIds: p.stores },
        null,
        assertStoresInOrg,
      );
    }
    for (const [key, l] of Object.entries(logins)) clients[key] = await new ApiClient(t.url).login(l.email, l.password);
  });

  afterAll(async () => {
    await t?.close();
    for (const u of uninstall) u();
  });

  describe("managing", () => {
    it("lets supervisors manage shared replies and every agent their personal ones", async () => {
      const shared = await create(sup(), { keywords: ["问候"], text: "亲，您好，有什么可以帮您？" });
      expect(shared).toMatchObject({ title: "问候", scope: "org", personal: false, status: "active", usageCount: 0 });

      const refused = await agent().post("/api/library/replies", { keywords: ["问候"], text: "您好" });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe("forbidden");
      expect((await agent().patch(`/api/library/replies/${shared.id}`, { text: "改掉" })).status).toBe(403);
      expect((await agent().delete(`/api/library/replies/${shared.id}`)).status).toBe(403);

      const mine = await create(agent(), { personal: true, keywords: ["我的开场"], text: "我是小美，很高兴为您服务" });
      expect(mine).toMatchObject({ personal: true, scope: "org" });
      const edited = await agent().patch(`/api/library/replies/${mine.id}`, { text: "我是小美，请问有什么可以帮您" });
      expect(edited.status).toBe(200);
      expect(edited.body.text).toBe("我是小美，请问有什么可以帮您");

      // A personal reply is its owner's only: supervisors and colleagues do not see it.
      expect((await sup().get(`/api/library/replies/${mine.id}`)).status).toBe(404);
      expect((await douyinAgent().get(`/api/library/replies/${mine.id}`)).status).toBe(404);
      expect((await sup().patch(`/api/library/replies/${mine.id}`, { text: "x" })).status).toBe(404);
      const supervisorList = await sup().get("/api/library/replies?limit=500");
      expect((supervisorList.body.items as CannedReply[]).map((r) => r.id)).not.toContain(mine.id);

      expect((await agent().delete(`/api/library/replies/${mine.id}`)).status).toBe(204);
      expect((await agent().get(`/api/library/replies/${mine.id}`)).status).toBe(404);
    });

    it("shows agents only the store replies of the stores they serve", async () => {
      const douyinOnly = await create(sup(), { storeId: douyin.id, keywords: ["抖音专属"], text: "抖音小店专属福利" });
      expect(douyinOnly).toMatchObject({ scope: "store", platform: "douyin", storeLabel: "抖音-小店" });
      expect((await agent().get(`/api/library/replies/${douyinOnly.id}`)).status).toBe(404);
      expect((await douyinAgent().get(`/api/library/replies/${douyinOnly.id}`)).status).toBe(200);
      const agentList = await agent().get("/api/library/replies?limit=500");
      expect((agentList.body.items as CannedReply[]).map((r) => r.id)).not.toContain(douyinOnly.id);
      // An agent may not put even a personal reply on a store they do not serve.
      const elsewhere = await agent().post("/api/library/replies", { personal: true, storeId: douyin.id, text: "x" });
      expect(elsewhere.status).toBe(400);
    });

    it("validates scope, category and window", async () => {
      expect((await sup().post("/api/library/replies", { text: "x", storeId: "nope" })).status).toBe(400);
      expect(
        (await sup().post("/api/library/replies", { text: "x", storeId: taobao.id, platform: "douyin" })).status,
      ).toBe(400);
      const window = await sup().post("/api/library/replies", {
        text: "x",
        validFrom: "2026-11-02T00:00:00+08:00",
        validUntil: "2026-11-01T00:00:00+08:00",
      });
      expect(window.status).toBe(400);
      expect((await sup().post("/api/library/replies", { text: "" })).body.error.code).toBe("validation_failed");
      const foreignCategory = await stranger().post("/api/library/categories", { kind: "replies", name: "别人的" });
      expect(foreignCategory.status).toBe(201);
      const withForeign = await sup().post("/api/library/replies", { text: "x", categoryId: foreignCategory.body.id });
      expect(withForeign.status).toBe(400);
    });

    it("keeps tenants apart", async () => {
      const ours = await create(sup(), { keywords: ["内部"], text: "只属于我们的话术" });
      expect((await stranger().get(`/api/library/replies/${ours.id}`)).status).toBe(404);
      expect((await stranger().patch(`/api/library/replies/${ours.id}`, { text: "x" })).status).toBe(404);
      expect((await stranger().delete(`/api/library/replies/${ours.id}`)).status).toBe(404);
      expect((await stranger().post(`/api/library/replies/${ours.id}/usage`, {})).status).toBe(404);
      const list = await stranger().get("/api/library/replies?limit=500");
      expect(list.body.total).toBe(0);
      const theirSearch = await stranger().get(`/api/library/replies/search?storeId=${taobao.id}&q=内部`);
      expect(theirSearch.status).toBe(404);
      // The other org's own store finds nothing of ours.
      const strangerStores = await stranger().get("/api/stores");
      const own = (await search(stranger(), { storeId: strangerStores.body.items[0].id, q: "内部" })).items;
      expect(own).toEqual([]);
      expect(
        (await stranger().get("/api/library/categories?kind=replies")).body.items.map((c: { name: string }) => c.name),
      ).toEqual(["别人的"]);
    });

    it("writes shared changes to the audit log", async () => {
      const rows = await queryRows<{ action: string }>(
        t.server.ctx.db,
        sql`SELECT action FROM audit_log WHERE org_id = ${orgId} AND action LIKE 'library.%' ORDER BY id`,
      );
      expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(["library.reply_created"]));
      expect(await verifyChain(t.server.ctx.db, orgId)).toBeNull();
    });
  });

  describe("searching from the composer", () => {
    beforeAll(async () => {
      await deleteAllShared();
      const r = (body: Record<string, unknown>) => create(sup(), body);
      await r({ title: "组织-尺码", keywords: ["尺码"], text: "尺码请参考详情页的尺码表" });
      await r({ title: "组织-抖音尺码", keywords: ["抖音-尺码"], text: "抖音的亲按尺码表选哦" });
      await r({ title: "淘宝-尺码推荐", platform: "taobao", keywords: ["尺码推荐"], text: "告诉我身高体重帮您推荐" });
      await r({ title: "旗舰店-关于尺码", storeId: taobao.id, text: "本店鞋子尺码偏大半码" });
      await r({ title: "抖音平台-尺码", platform: "douyin", keywords: ["尺码"], text: "抖音平台尺码说明" });
      await r({ title: "拼多多-尺码", storeId: pdd.id, keywords: ["尺码"], text: "拼多多店尺码说明" });
      await r({ title: "发货-少用", keywords: ["发货"], text: "48小时内发货" });
      await r({ title: "发货-常用", keywords: ["发货"], text: "今天下单今天发货" });
      await r({ title: "无关", keywords: ["发票"], text: "可以开电子发票" });
    });

    it("lists the store's replies, then the platform's, then the org's; keyword before text", async () => {
      const result = await search(agent(), { storeId: taobao.id, q: "/尺码" });
      expect(titles(result)).toEqual(["旗舰店-关于尺码", "淘宝-尺码推荐", "组织-尺码", "组织-抖音尺码"]);
      expect(result.items.map((i) => i.match)).toEqual(["text", "keyword_prefix", "keyword", "text"]);
      expect(result.tookMs).toBeGreaterThanOrEqual(0);
    });

    it("reads a platform word before the keyword, and finds that platform's replies in its stores", async () => {
      const result = await search(douyinAgent(), { storeId: douyin.id, q: "抖音-尺码" });
      expect(titles(result)).toEqual(["抖音平台-尺码", "组织-抖音尺码", "组织-尺码"]);
      expect(result.items.map((i) => i.match)).toEqual(["keyword", "keyword", "keyword"]);
      // As typed, letter by letter: a prefix of the keyword finds it.
      expect(titles(await search(douyinAgent(), { storeId: douyin.id, q: "/抖音-尺" }))).toContain("组织-抖音尺码");
    });

    it("with a bare keyword (no /) matches keywords only", async () => {
      const result = await search(agent(), { storeId: taobao.id, q: "尺码", match: "keyword" });
      expect(titles(result)).toEqual(["淘宝-尺码推荐", "组织-尺码", "组织-抖音尺码"]);
    });

    it("orders equal matches by usage, and an empty query lists the most used", async () => {
      const before = await search(agent(), { storeId: taobao.id, q: "/发货" });
      const often = before.items.find((i) => i.reply.title === "发货-常用")!.reply;
      for (let i = 0; i < 3; i++) {
        const used = await agent().post(`/api/library/replies/${often.id}/usage`, { conversationId: undefined });
        expect(used.status).toBe(200);
        expect(used.body.usageCount).toBe(i + 1);
      }
      expect(titles(await search(agent(), { storeId: taobao.id, q: "/发货" }))).toEqual(["发货-常用", "发货-少用"]);
      const all = titles(await search(agent(), { storeId: taobao.id, q: "/", limit: "50" }));
      expect(all.slice(0, 2)).toEqual(["旗舰店-关于尺码", "淘宝-尺码推荐"]);
      expect(all[2]).toBe("发货-常用");
      expect(all).not.toContain("抖音平台-尺码");
      expect(all).not.toContain("拼多多-尺码");
    });

    it("includes the agent's personal replies, for them only", async () => {
      await create(agent(), { personal: true, keywords: ["尺码"], text: "我的尺码话术" });
      expect(titles(await search(agent(), { storeId: taobao.id, q: "尺码", match: "keyword" }))).toContain("尺码");
      const colleague = titles(await search(douyinAgent(), { storeId: douyin.id, q: "尺码" }));
      expect(colleague).not.toContain("尺码");
    });

    it("refuses stores the agent does not serve", async () => {
      expect((await agent().get(`/api/library/replies/search?storeId=${douyin.id}&q=尺码`)).status).toBe(404);
      expect((await agent().get("/api/library/replies/search?q=尺码")).status).toBe(400);
    });
  });

  describe("campaign windows", () => {
    it("shows a campaign reply from its first day through its last, by the server's clock", async () => {
      await travel(cst("2026-10-30T10:00:00"));
      const campaign = await create(sup(), {
        title: "双11活动规则",
        keywords: ["双11"],
        text: "双11期间全场满300减50，11月11日晚24点截止",
        validFrom: "2026-11-01T00:00:00+08:00",
        validUntil: "2026-11-12T00:00:00+08:00",
      });
      expect(campaign.status).toBe("scheduled");
      const find = async () => titles(await search(agent(), { storeId: taobao.id, q: "/双11" }));
      expect(await find()).toEqual([]);
      await travel(cst("2026-11-01T00:00:00"));
      expect(await find()).toEqual(["双11活动规则"]);
      await travel(cst("2026-11-11T23:59:00"));
      expect(await find()).toEqual(["双11活动规则"]);
      await travel(cst("2026-11-12T00:00:00"));
      expect(await find()).toEqual([]);
      const listed = await sup().get("/api/library/replies?status=expired&limit=500");
      expect((listed.body.items as CannedReply[]).map((r) => r.title)).toContain("双11活动规则");
      await travel(cst("2026-10-30T10:00:00"));
    });
  });

  describe("variables", () => {
    let conversationId: string;
    let strangerConversationId: string;

    beforeAll(async () => {
      const push = (store: StoreRow, events: unknown[]) =>
        fetch(`${t.url}/connect/${store.platform}/${store.storeKey}`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-fake-sign": "fake-secret" },
          body: JSON.stringify({ events }),
        }).then((res) => expect(res.status).toBe(200));
      const message = (buyer: string, id: string) => ({
        kind: "message",
        platformMessageId: id,
        buyer: { platformBuyerId: buyer, displayName: buyer },
        content: { type: "text", text: "什么时候发货" },
        sentAt: clock.toISOString(),
      });
      await push(taobao, [
        message("小王", "m-1"),
        {
          kind: "order",
          eventId: "o-1",
          change: "shipped",
          at: clock.toISOString(),
          order: {
            orderId: "T-20261030-1",
            buyer: { platformBuyerId: "小王", displayName: "小王" },
            status: "shipped",
            platformStatus: "WAIT_BUYER_CONFIRM_GOODS",
            items: [{ productId: "P-1", title: "加绒保暖运动鞋", sku: "42", quantity: 1, priceCents: 29900 }],
            totalCents: 29900,
            createdAt: clock.toISOString(),
            promisedShipAt: "2026-10-31T10:00:00.000Z",
            logistics: { carrier: "顺丰速运", trackingNo: "SF1234567890" },
          },
        },
      ]);
      await push(taobao, [message("没下单的人", "m-2")]);
      const list = async () =>
        (await sup().get("/api/conversations?limit=100")).body.items as {
          id: string;
          customer: { platformBuyerId: string };
        }[];
      conversationId = await waitFor(
        "conversation",
        async () => (await list()).find((c) => c.customer.platformBuyerId === "小王")?.id,
      );
      strangerConversationId = await waitFor(
        "second conversation",
        async () => (await list()).find((c) => c.customer.platformBuyerId === "没下单的人")?.id,
      );
      await waitFor("the order", async () => {
        const orders = await sup().get(`/api/conversations/${conversationId}/orders`);
        return orders.status === 200 && orders.body.items.length > 0;
      });
      await create(sup(), {
        title: "已发货",
        keywords: ["已发货"],
        text: "{买家昵称}您好，您的{商品名}（订单{订单号}）已由{快递公司}发出，单号{快递单号}。",
      });
      await create(sup(), { title: "发货时间", keywords: ["发货时间"], text: "亲，订单会在{承诺发货时间}前发出" });
    });

    it("fills the conversation's values into the replies found", async () => {
      const result = await search(agent(), { conversationId, q: "/已发货" });
      expect(result.context).toMatchObject({ buyerName: "小王", orderNo: "T-20261030-1", carrier: "顺丰速运" });
      expect(result.items[0]).toMatchObject({
        filledText: "小王您好，您的加绒保暖运动鞋（订单T-20261030-1）已由顺丰速运发出，单号SF1234567890。",
        missing: [],
      });
      const ship = await search(agent(), { conversationId, q: "/发货时间" });
      expect(ship.items[0]!.filledText).toBe("亲，订单会在10月31日 18:00前发出");
    });

    it("flags the values a conversation does not have, and leaves their placeholders", async () => {
      const result = await search(agent(), { conversationId: strangerConversationId, q: "/已发货" });
      expect(result.items[0]!.missing).toEqual(["商品名", "订单号", "快递公司", "快递单号"]);
      expect(result.items[0]!.filledText).toBe(
        "没下单的人您好，您的{商品名}（订单{订单号}）已由{快递公司}发出，单号{快递单号}。",
      );
      const filled = await agent().post("/api/library/replies/fill", {
        conversationId: strangerConversationId,
        text: "{买家昵称}，单号{快递单号}",
      });
      expect(filled.body).toMatchObject({ text: "没下单的人，单号{快递单号}", missing: ["快递单号"] });
      // Without a conversation nothing is filled: every variable is missing.
      const bare = await search(agent(), { storeId: taobao.id, q: "/发货时间" });
      expect(bare.items[0]!.missing).toEqual(["承诺发货时间"]);
    });

    it("does not fill from conversations the agent may not see", async () => {
      expect((await douyinAgent().get(`/api/library/replies/search?conversationId=${conversationId}&q=x`)).status).toBe(
        404,
      );
      expect((await stranger().post("/api/library/replies/fill", { conversationId, text: "{订单号}" })).status).toBe(
        404,
      );
    });
  });

  describe("Excel", () => {
    it("exports and imports the same rows (and an import of the export changes nothing)", async () => {
      await deleteAllShared();
      const category = await sup().post("/api/library/categories", { kind: "replies", name: "鞋子" });
      const sub = await sup().post("/api/library/categories", {
        kind: "replies",
        name: "售后",
        parentId: category.body.id,
      });
      await create(sup(), {
        categoryId: sub.body.id,
        keywords: ["退换", "换货"],
        text: "七天无理由退换，\n请保持吊牌完好",
      });
      await create(sup(), { platform: "douyin", keywords: ["抖音-尺码"], text: "抖音下单请备注尺码" });
      await create(sup(), { storeId: taobao.id, title: "店铺公告", text: "本店{承诺发货时间}前发货" });
      await create(sup(), {
        keywords: ["双11"],
        text: "双11满减",
        validFrom: "2026-11-01T00:00:00+08:00",
        validUntil: "2026-11-12T00:00:00+08:00",
      });
      await create(sup(), { keywords: ["限时"], text: "限时活动", validUntil: "2026-11-05T20:30:00+08:00" });

      const first = await download(sup(), "/api/library/replies/export");
      const rows = await sheetRows(first);
      expect(rows[0]).toEqual(["分类", "关键词", "平台", "店铺", "话术内容", "标题", "生效时间", "失效时间"]);
      expect(rows).toContainEqual([
        "鞋子/售后",
        "退换，换货",
        "",
        "",
        "七天无理由退换，\n请保持吊牌完好",
        "退换",
        "",
        "",
      ]);
      expect(rows).toContainEqual(["", "双11", "", "", "双11满减", "双11", "2026-11-01", "2026-11-11"]);
      expect(rows).toContainEqual(["", "限时", "", "", "限时活动", "限时", "", "2026-11-05 20:30"]);
      expect(rows).toContainEqual(["", "", "淘宝", "旗舰店", "本店{承诺发货时间}前发货", "店铺公告", "", ""]);

      const again = await upload(sup(), "/api/library/replies/import", first);
      expect(again.body).toMatchObject({ rows: 5, imported: 0, unchanged: 5, refused: [] });

      await deleteAllShared();
      const imported = await upload(sup(), "/api/library/replies/import", first);
      expect(imported.status).toBe(200);
      expect(imported.body).toMatchObject({ rows: 5, imported: 5, unchanged: 0, categoriesCreated: 0, refused: [] });
      const second = await sheetRows(await download(sup(), "/api/library/replies/export"));
      expect(second).toEqual(rows);
      const list = await sup().get("/api/library/replies?owner=shared&limit=500");
      const campaign = (list.body.items as CannedReply[]).find((r) => r.title === "双11")!;
      expect(campaign.validFrom).toBe("2026-10-31T16:00:00.000Z");
      expect(campaign.validUntil).toBe("2026-11-11T16:00:00.000Z");
    });

    it("imports the good rows of a file with bad ones, and reports each bad row", async () => {
      const file = await workbookOf([
        ["话术库（2026 版）"],
        ["分类", "关键词", "平台", "店铺", "话术内容", "生效时间", "失效时间"],
        ["箱包/售前", "容量", "", "", "这款包可以放下14寸电脑", "", ""],
        ["箱包/售前", "容量", "", "", "", "", ""],
        ["", "x", "小红书", "", "平台不存在", "", ""],
        ["", "x", "", "不存在的店", "店铺不存在", "", ""],
        ["", "x", "抖音", "旗舰店", "店铺不在抖音", "", ""],
        ["", "x", "", "", "日期错了", "2026-13-45", ""],
        ["", "x", "", "", "窗口反了", "2026-11-10", "2026-11-01"],
        ["箱包/售前", "容量", "", "", "这款包可以放下14寸电脑", "", ""],
        [
          "物流",
          "快递，物流",
          "淘宝",
          "旗舰店",
          "默认发中通，可补差价发顺丰",
          new Date(Date.UTC(2026, 10, 1)),
          "2026/11/20",
        ],
        [],
        ["", "", "", "", "x".repeat(2001), "", ""],
      ]);
      const report = await upload(sup(), "/api/library/replies/import", file);
      expect(report.status).toBe(200);
      expect(report.body.rows).toBe(10);
      expect(report.body.imported).toBe(2);
      expect(report.body.categoriesCreated).toBe(3);
      expect(report.body.refused.map((r) => [r.row, r.code])).toEqual([
        [4, "text_missing"],
        [5, "unknown_platform"],
        [6, "unknown_store"],
        [7, "store_platform_mismatch"],
        [8, "bad_date"],
        [9, "window_empty"],
        [10, "duplicate_row"],
        [13, "text_too_long"],
      ]);
      expect(report.body.refused[1]).toMatchObject({ column: "平台", value: "小红书" });
      const list = await sup().get("/api/library/replies?owner=shared&limit=500");
      const logistics = (list.body.items as CannedReply[]).find((r) => r.text.startsWith("默认发中通"))!;
      expect(logistics).toMatchObject({
        categoryPath: "物流",
        keywords: ["快递", "物流"],
        storeId: taobao.id,
        platform: "taobao",
        validFrom: "2026-10-31T16:00:00.000Z",
        validUntil: "2026-11-20T16:00:00.000Z",
      });
    });

    it("refuses what is not a workbook, and shared imports by agents", async () => {
      expect((await upload(sup(), "/api/library/replies/import", "hello, not a zip")).status).toBe(415);
      const noHeader = await upload(sup(), "/api/library/replies/import", await workbookOf([["a", "b"]]));
      expect(noHeader.status).toBe(400);
      const file = await workbookOf([
        ["分类", "关键词", "话术内容"],
        ["", "我的", "我的话术"],
        ["不存在的分类", "我的2", "分类不存在"],
      ]);
      expect((await upload(agent(), "/api/library/replies/import", file)).status).toBe(403);
      const personal = await upload(agent(), "/api/library/replies/import?personal=true", file);
      expect(personal.body).toMatchObject({ imported: 1, refused: [{ row: 3, code: "bad_category" }] });
      const mine = await sheetRows(await download(agent(), "/api/library/replies/export?personal=true"));
      expect(mine.slice(1).map((r) => r[4])).toContain("我的话术");
      expect((await fetch(`${t.url}/api/library/replies/export`, { headers: { cookie: agent().cookie } })).status).toBe(
        403,
      );
    });
  });

  describe("realtime", () => {
    it("tells every agent serving a store when its replies change", async () => {
      const events: RealtimeEvent[] = [];
      const socket = io(t.url, {
        transports: ["websocket"],
        extraHeaders: { cookie: agent().cookie },
        reconnection: false,
      });
      socket.on(realtimeChannel.event, (e: RealtimeEvent) => events.push(e));
      await new Promise((resolve) => socket.once(realtimeChannel.synced, resolve));
      try {
        await create(sup(), { keywords: ["实时"], text: "改了马上看到" });
        const event = await waitFor("library.changed", () => events.find((e) => e.type === "library.changed"));
        expect(event).toMatchObject({ type: "library.changed", storeId: taobao.id, library: "replies" });
        // A change to another store's replies is not sent to this agent.
        events.length = 0;
        await create(sup(), { storeId: douyin.id, keywords: ["别处"], text: "抖音店的" });
        await create(sup(), { storeId: taobao.id, keywords: ["这里"], text: "淘宝店的" });
        await waitFor("the taobao change", () => events.find((e) => e.type === "library.changed"));
        expect(events.filter((e) => e.type === "library.changed").map((e) => e.storeId)).toEqual([taobao.id]);
      } finally {
        socket.close();
      }
    });
  });
});
