import type { KbArticle, KbSearchResult, KbVersion, PlatformId } from "@yunxi/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../../../../test/api-client.ts";
import { postgresAvailable, startTestServer, type TestServer, testDb } from "../../../../test/harness.ts";
import { queryRows, sql } from "../../../platform/db/client.ts";
import { createOrg, createUser } from "../../identity/index.ts";
import { assertStoresInOrg, createStore, type StoreRow } from "../../stores/index.ts";

const run = testDb === "pglite" || (await postgresAvailable());

/** A knowledge base as a CS team writes it: one article per recurring question. */
const articles: { title: string; body: string; tags?: string[]; douyinOnly?: boolean }[] = [
  {
    title: "退款进度查询说明",
    body: "买家申请退款后，商家会在24小时内审核。审核通过后款项**原路退回**：支付宝1-3个工作日到账，银行卡3-7个工作日到账。",
    tags: ["退款"],
  },
  {
    title: "七天无理由退换货规则",
    body: "签收后7天内，商品未穿着、吊牌完好，可以申请七天无理由退换货。有运费险的订单，寄回运费由保险公司赔付。",
    tags: ["退货", "换货"],
  },
  {
    title: "尺码推荐表（鞋子）",
    body: "## 选码建议\n\n本店鞋子尺码偏大半码，建议按平时尺码小半码选择。\n\n- 脚长23.5cm 选 37码\n- 脚长24cm 选 38码",
    tags: ["尺码"],
  },
  {
    title: "物流查询与快递公司",
    body: "默认发中通快递，可以补差价发顺丰。发货后在订单详情查看物流单号和物流轨迹，也可以把单号发给客服帮您查询。",
    tags: ["物流"],
  },
  {
    title: "发货时间说明",
    body: "现货订单48小时内发货，预售商品按页面承诺的时间发货。大促期间发货时间会顺延1-3天。",
    tags: ["发货"],
  },
  {
    title: "修改收货地址",
    body: "订单发货前可以修改收货地址，请把新地址发给客服；已经发货的订单需要联系快递员改派。",
  },
  { title: "开具发票", body: "本店支持开具电子发票，确认收货后把抬头和税号发给客服即可。", tags: ["发票"] },
  {
    title: "优惠券使用规则",
    body: "优惠券在结算页自动抵扣，每笔订单限用一张；满减券不可以和店铺红包叠加使用。",
  },
  { title: "运费险理赔流程", body: "购买了运费险的订单，退货寄回后由保险公司按首重赔付运费，理赔款72小时内到账。" },
  {
    title: "商品质量问题处理",
    body: "收到商品有破损、开胶、掉色等质量问题，请拍照片发给客服，核实后为您补发或者退款。",
  },
  { title: "错发漏发处理", body: "如果收到的商品和订单不一致或者少发漏发，请提供外包装和快递面单的照片。" },
  { title: "双11活动规则", body: "双11期间全场满300减50，定金预售商品需要在11月11日支付尾款。" },
  { title: "洗涤保养指南", body: "羊毛衫建议手洗，水温不超过30度，平铺晾干，避免暴晒。" },
  { title: "会员积分", body: "每消费1元积1分，积分可以在会员中心兑换优惠券。" },
  {
    title: "抖音小店专属售后",
    body: "抖音小店的订单请在抖店后台申请售后，客服会在12小时内处理。",
    douyinOnly: true,
  },
];

/** What agents type into the side panel, and the article that must come first. */
const queries: [query: string, expected: string][] = [
  ["退款多久到账", "退款进度查询说明"],
  ["我想退钱", "退款进度查询说明"],
  ["码数怎么选", "尺码推荐表（鞋子）"],
  ["快递到哪了", "物流查询与快递公司"],
  ["什么时候发货", "发货时间说明"],
  ["能改地址吗", "修改收货地址"],
  ["发票怎么开", "开具发票"],
  ["优惠卷怎么用", "优惠券使用规则"],
  ["运费险怎么赔", "运费险理赔流程"],
  ["开胶了怎么办", "商品质量问题处理"],
  ["少发了一件", "错发漏发处理"],
  ["退款进读", "退款进度查询说明"],
  ["羊毛衫怎么洗", "洗涤保养指南"],
  ["双十一满减", "双11活动规则"],
  ["七天无理由", "七天无理由退换货规则"],
];

const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201e2f7d2d60000000049454e44ae426082",
  "hex",
);

describe.runIf(run)(`knowledge base (${testDb})`, () => {
  let t: TestServer;
  let taobao: StoreRow;
  let douyin: StoreRow;
  const clients: Record<string, ApiClient> = {};
  const sup = () => clients.supervisor!;
  const agent = () => clients.agent!;
  const byTitle = new Map<string, KbArticle>();

  const search = async (client: ApiClient, params: Record<string, string>) => {
    const res = await client.get(`/api/library/kb/search?${new URLSearchParams(params)}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as KbSearchResult;
  };
  const upload = (client: ApiClient, articleId: string, name: string, bytes: Buffer) =>
    fetch(`${t.url}/api/library/kb/articles/${articleId}/attachments?name=${encodeURIComponent(name)}`, {
      method: "POST",
      headers: { "content-type": "application/octet-stream", cookie: client.cookie, "x-csrf-token": client.csrfToken },
      body: bytes,
    });

  beforeAll(async () => {
    t = await startTestServer();
    const ctx = t.server.ctx;
    const org = await createOrg(ctx, { name: "知识库公司" });
    const other = await createOrg(ctx, { name: "别的公司" });
    const store = (o: string, platform: PlatformId, name: string) =>
      createStore(ctx, null, o, {
        platform,
        name,
        gatewayUrl: "http://127.0.0.1:9/fake",
        sellerId: `${platform}-${name}`,
        credentials: { appKey: "k", appSecret: "s", accessToken: "a" },
      });
    taobao = await store(org.id, "taobao", "旗舰店");
    douyin = await store(org.id, "douyin", "小店");
    const people = [
      { key: "supervisor", org: org.id, role: "supervisor" as const, stores: [] as string[] },
      { key: "agent", org: org.id, role: "agent" as const, stores: [taobao.id] },
      { key: "douyinAgent", org: org.id, role: "agent" as const, stores: [douyin.id] },
      { key: "stranger", org: other.id, role: "owner" as const, stores: [] },
    ];
    for (const p of people) {
      const login = { email: `${p.key}@kb.test`, password: `pw-${p.key}-123456` };
      await createUser(
        ctx,
        p.org,
        { ...login, name: `${p.key}名`, role: p.role, storeIds: p.stores },
        null,
        assertStoresInOrg,
      );
      clients[p.key] = await new ApiClient(t.url).login(login.email, login.password);
    }
    const category = await sup().post("/api/library/categories", { kind: "kb", name: "售后" });
    for (const a of articles) {
      const res = await sup().post("/api/library/kb/articles", {
        title: a.title,
        body: a.body,
        tags: a.tags ?? [],
        ...(a.douyinOnly && { storeId: douyin.id }),
        ...(a.title.includes("退") && { categoryId: category.body.id }),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      byTitle.set(a.title, res.body);
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  it.each(queries)("finds the right article first for %s", async (q, expected) => {
    const result = await search(sup(), { q });
    expect(result.items[0]?.article.title, JSON.stringify(result.items.map((i) => i.article.title))).toBe(expected);
  });

  it("ranks a title word above a body word (no IDF): 鞋子开胶了 puts the shoe article first, the right one second", async () => {
    // A known limit, kept visible: ts_rank weighs where a word is (title A, text D), not how rare
    // it is, so the size chart titled 鞋子 outranks the article whose text says 开胶.
    const result = await search(sup(), { q: "鞋子开胶了" });
    expect(result.items.slice(0, 2).map((i) => i.article.title)).toContain("商品质量问题处理");
  });

  it("ranks, highlights and falls back to characters when no word matches", async () => {
    const refund = await search(sup(), { q: "退钱" });
    expect(refund.items[0]!.match).toBe("words");
    expect(refund.items[0]!.highlights).toEqual(expect.arrayContaining(["退钱", "退款"]));
    expect(refund.items[0]!.article.snippet).toContain("退款");
    const scores = refund.items.map((i) => i.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    // jieba cuts 平铺 | 晾干: a query across the two words only matches by characters.
    const across = await search(sup(), { q: "铺晾" });
    expect(across.items[0]).toMatchObject({ match: "characters", article: { title: "洗涤保养指南" } });
    expect((await search(sup(), { q: "量子计算机" })).items).toEqual([]);
  });

  it("searches within the stores the agent serves, or the conversation's store", async () => {
    const titlesFor = async (client: ApiClient, params: Record<string, string>) =>
      (await search(client, params)).items.map((i) => i.article.title);
    expect(await titlesFor(agent(), { q: "抖店售后" })).not.toContain("抖音小店专属售后");
    expect(await titlesFor(clients.douyinAgent!, { q: "抖店售后" })).toContain("抖音小店专属售后");
    expect(await titlesFor(sup(), { q: "抖店售后", storeId: douyin.id })).toContain("抖音小店专属售后");
    expect(await titlesFor(sup(), { q: "抖店售后", storeId: taobao.id })).not.toContain("抖音小店专属售后");
    expect((await agent().get(`/api/library/kb/search?q=x&storeId=${douyin.id}`)).status).toBe(404);
    const douyinOnly = byTitle.get("抖音小店专属售后")!;
    expect((await agent().get(`/api/library/kb/articles/${douyinOnly.id}`)).status).toBe(404);
  });

  it("lists for the admin page, by category and by query", async () => {
    const all = await sup().get("/api/library/kb/articles?limit=5");
    expect(all.body.total).toBe(articles.length);
    expect(all.body.items).toHaveLength(5);
    const categories = await sup().get("/api/library/categories?kind=kb");
    const refunds = await sup().get(`/api/library/kb/articles?categoryId=${categories.body.items[0].id}`);
    expect(refunds.body.items.map((a: { title: string }) => a.title).sort()).toEqual(
      ["七天无理由退换货规则", "退款进度查询说明"].sort(),
    );
    const found = await sup().get(`/api/library/kb/articles?q=${encodeURIComponent("发票")}`);
    expect(found.body.items[0].title).toBe("开具发票");
    expect((await agent().get("/api/library/kb/articles?limit=100")).body.total).toBe(articles.length - 1);
  });

  it("lets only supervisors write; keeps tenants apart; sanitises what it stores", async () => {
    expect((await agent().post("/api/library/kb/articles", { title: "x", body: "x" })).status).toBe(403);
    const refund = byTitle.get("退款进度查询说明")!;
    expect((await agent().patch(`/api/library/kb/articles/${refund.id}`, { body: "x" })).status).toBe(403);
    expect((await agent().get(`/api/library/kb/articles/${refund.id}`)).status).toBe(200);
    const stranger = clients.stranger!;
    expect((await stranger.get(`/api/library/kb/articles/${refund.id}`)).status).toBe(404);
    expect((await stranger.get(`/api/library/kb/articles/${refund.id}/versions`)).status).toBe(404);
    expect((await stranger.patch(`/api/library/kb/articles/${refund.id}`, { body: "x" })).status).toBe(404);
    expect((await stranger.get("/api/library/kb/articles")).body.total).toBe(0);
    expect((await search(stranger, { q: "退款" })).items).toEqual([]);

    const dirty = await sup().post("/api/library/kb/articles", {
      title: "含脚本的文章",
      body: '正文<script>alert("x")</script><img src=x onerror=alert(1)>[链接](javascript:alert(1))',
    });
    expect(dirty.body.body).toBe("正文链接");
    expect(dirty.body.plainText).toBe("正文链接");
    expect((await sup().delete(`/api/library/kb/articles/${dirty.body.id}`)).status).toBe(204);
  });

  it("takes long articles (100,000 characters) and finds words deep inside them", async () => {
    const body = `${"售后服务说明。".repeat(14_000)}冷门词汇在最后`;
    const created = await sup().post("/api/library/kb/articles", { title: "超长文章", body });
    expect(created.status).toBe(201);
    expect((await search(sup(), { q: "冷门词汇" })).items[0]!.article.title).toBe("超长文章");
    expect((await sup().delete(`/api/library/kb/articles/${created.body.id}`)).status).toBe(204);
    expect((await search(sup(), { q: "冷门词汇" })).items).toEqual([]);
  });

  it("keeps every version, who made it and what changed; restoring makes a new version", async () => {
    const created = await sup().post("/api/library/kb/articles", {
      title: "包装说明",
      body: "使用纸箱包装",
      tags: ["包装"],
    });
    const id = created.body.id as string;
    expect(created.body.version).toBe(1);
    const v2 = await sup().patch(`/api/library/kb/articles/${id}`, { body: "使用加厚纸箱包装", baseVersion: 1 });
    expect(v2.body.version).toBe(2);
    const v3 = await sup().patch(`/api/library/kb/articles/${id}`, {
      title: "包装与防震说明",
      tags: ["包装", "防震"],
      note: "补充防震",
      baseVersion: 2,
    });
    expect(v3.body.version).toBe(3);
    const unchanged = await sup().patch(`/api/library/kb/articles/${id}`, { title: "包装与防震说明" });
    expect(unchanged.body.version).toBe(3);
    const stale = await sup().patch(`/api/library/kb/articles/${id}`, { body: "旧稿覆盖", baseVersion: 2 });
    expect(stale.status).toBe(409);

    const restored = await sup().post(`/api/library/kb/articles/${id}/versions/1/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ version: 4, title: "包装说明", body: "使用纸箱包装", tags: ["包装"] });
    const versions = (await agent().get(`/api/library/kb/articles/${id}/versions`)).body.items as KbVersion[];
    expect(versions.map((v) => [v.version, v.changes, v.restoredFrom])).toEqual([
      [4, ["restored", "title", "body", "tags"], 1],
      [3, ["title", "tags"], null],
      [2, ["body"], null],
      [1, ["created"], null],
    ]);
    expect(versions[1]).toMatchObject({ note: "补充防震", editedBy: { name: "supervisor名" } });
    const old = await agent().get(`/api/library/kb/articles/${id}/versions/2`);
    expect(old.body).toMatchObject({ version: 2, body: "使用加厚纸箱包装", title: "包装说明" });
    expect((await agent().post(`/api/library/kb/articles/${id}/versions/1/restore`)).status).toBe(403);
    // The index follows the restored text.
    expect((await search(sup(), { q: "防震" })).items.map((i) => i.article.title)).not.toContain("包装说明");
    expect((await search(sup(), { q: "纸箱" })).items[0]!.article.title).toBe("包装说明");
    const audit = await queryRows<{ action: string }>(
      t.server.ctx.db,
      sql`SELECT action FROM audit_log WHERE target_id = ${id} ORDER BY id`,
    );
    expect(audit.map((a) => a.action)).toEqual([
      "library.article_created",
      "library.article_updated",
      "library.article_updated",
      "library.article_restored",
    ]);
  });

  it("attaches files, serves them to those who may read the article, and records the change", async () => {
    const article = byTitle.get("尺码推荐表（鞋子）")!;
    const res = await upload(sup(), article.id, "尺码表.png", PNG);
    expect(res.status).toBe(201);
    const attachment = (await res.json()) as { id: string; url: string; mime: string; size: number };
    expect(attachment).toMatchObject({ mime: "image/png", size: PNG.length });
    const pdf = await upload(sup(), article.id, "说明.pdf", Buffer.from("%PDF-1.4\n%EOF\n"));
    expect(pdf.status).toBe(201);
    expect((await upload(sup(), article.id, "evil.html", Buffer.from("<script>alert(1)</script>"))).status).toBe(415);
    expect((await upload(sup(), article.id, "fake.png", Buffer.from("not a png"))).status).toBe(415);
    expect((await upload(agent(), article.id, "a.png", PNG)).status).toBe(403);

    const file = await fetch(t.url + attachment.url, { headers: { cookie: agent().cookie } });
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("image/png");
    expect(file.headers.get("x-content-type-options")).toBe("nosniff");
    expect(Buffer.from(await file.arrayBuffer()).equals(PNG)).toBe(true);
    expect((await fetch(t.url + attachment.url, { headers: { cookie: clients.stranger!.cookie } })).status).toBe(404);
    expect((await fetch(t.url + attachment.url)).status).toBe(401);

    const detail = await agent().get(`/api/library/kb/articles/${article.id}`);
    expect(detail.body.attachments.map((a: { fileName: string }) => a.fileName)).toEqual(["尺码表.png", "说明.pdf"]);
    expect((await sup().delete(`/api/library/kb/attachments/${attachment.id}`)).status).toBe(204);
    expect((await fetch(t.url + attachment.url, { headers: { cookie: agent().cookie } })).status).toBe(404);
    const versions = (await sup().get(`/api/library/kb/articles/${article.id}/versions`)).body.items as KbVersion[];
    expect(versions.slice(0, 3).map((v) => [v.changes, v.note])).toEqual([
      [["attachments"], "- 尺码表.png"],
      [["attachments"], "+ 说明.pdf"],
      [["attachments"], "+ 尺码表.png"],
    ]);
  });
});
