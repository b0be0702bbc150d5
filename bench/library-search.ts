/**
 * Library search benchmark: the composer's canned-reply search and the knowledge-base
 * search, at 10,000 entries each (the target: p99 ≤ 10 ms).
 *
 *   node bench/library-search.ts [--db pglite|postgres|both] [--replies 10000] [--articles 10000]
 *                                [--iterations 100] [--pg-url postgres://…] [--keep]
 *
 * Per database kind: a fresh server (PGlite in a temp dir, or a fresh PostgreSQL database)
 * with one org of six stores, filled with generated replies (org, platform, store and
 * personal scopes, 10 % campaigns with validity windows, 60 categories) and articles
 * (about 300 characters each), built with the server's own segmentation and vectors.
 * Then, for a set of realistic queries (keystrokes in the composer, questions in the side
 * panel), each query `--iterations` times after a warm-up, one at a time:
 *   - service: the search function alone (what the database and ranking cost);
 *   - http: the whole route through Fastify (`app.inject`: session check, validation,
 *     variables, serialisation), as an agent who serves two stores.
 * Latencies are per call, in ms: p50 / p95 / p99 / max over all queries of the set.
 * See bench/README.md.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type PlatformId, platformLabels } from "@yunxi/contracts";
import { freshPostgresDatabase, machine, postgresProblem } from "./support.ts";

type DbKind = "pglite" | "postgres";

const round2 = (n: number) => Math.round(n * 100) / 100;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

interface Distribution {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function summarize(samples: number[]): Distribution {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: round2(percentile(sorted, 50)),
    p95: round2(percentile(sorted, 95)),
    p99: round2(percentile(sorted, 99)),
    max: round2(sorted.at(-1) ?? Number.NaN),
  };
}

/** Deterministic: every run searches the same library. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]! };
}

// ---------------------------------------------------------------------------------------------
// the library

const products = [
  "鞋子",
  "运动鞋",
  "高跟鞋",
  "衬衫",
  "T恤",
  "羽绒服",
  "连衣裙",
  "牛仔裤",
  "保温杯",
  "口红",
  "面霜",
  "耳机",
  "充电宝",
  "奶粉",
  "纸尿裤",
  "床单",
  "枕头",
  "行李箱",
  "双肩包",
  "手表",
] as const;
const inquiryTypes = ["售前", "售后", "物流"] as const;
const topics: Record<string, string[]> = {
  尺码: ["{商品名}尺码偏大半码，建议选小一码", "身高170体重60建议选M码", "尺码表在详情页第三张图"],
  发货: ["现货48小时内发货", "预售商品按页面时间发货", "订单会在{承诺发货时间}前发出"],
  物流: ["默认发中通快递", "可以补差价发顺丰", "{快递公司}单号{快递单号}，请留意查收"],
  退款: ["退款审核通过后原路退回", "支付宝1-3个工作日到账", "退款进度可在订单详情查看"],
  换货: ["七天无理由换货，吊牌请保持完好", "换货请备注新的尺码和颜色", "换货寄回运费由运费险赔付"],
  退货: ["签收7天内可申请退货", "退货请使用原包装寄回", "退货地址请在售后页面查看"],
  优惠券: ["领券中心可以领取满减券", "优惠券每笔订单限用一张", "店铺红包和优惠券不能叠加"],
  发票: ["支持开具电子发票", "确认收货后提供抬头和税号", "发票会在3个工作日内开出"],
  质量: ["收到有破损请拍照反馈", "开胶掉色属于质量问题可以退换", "质量问题来回运费由我们承担"],
  保修: ["整机保修一年", "保修期内非人为损坏免费维修", "请保留好购买凭证"],
  赠品: ["赠品随主商品一起发出", "赠品数量有限送完即止", "退货时赠品需要一并寄回"],
  包装: ["使用加厚纸箱包装", "易碎品会加泡沫防震", "礼盒包装需要另外备注"],
  颜色: ["颜色以实物为准，可能有轻微色差", "目前黑色和白色有现货", "新颜色下周上新"],
  库存: ["页面能拍就有货", "缺货商品预计下周到货", "到货后会第一时间通知您"],
  活动: ["双11期间全场满300减50", "活动价在11月11日24点结束", "会员额外享9折"],
  改地址: ["发货前可以修改收货地址", "已经发货的需要联系快递改派", "请把新地址发给我们"],
  催发货: ["已经帮您催促仓库尽快发出", "今天会优先为您安排发货", "发货后会短信通知您"],
  运费险: ["购买运费险后退货运费由保险赔付", "理赔款72小时内到账", "运费险按首重赔付"],
  安装: ["安装视频在详情页可以查看", "需要安装师傅可以预约上门", "安装前请先检查配件"],
  问候: ["{买家昵称}您好，很高兴为您服务", "亲，在的，请问有什么可以帮您", "感谢您的耐心等待"],
};
const topicNames = Object.keys(topics);
const generic = [
  "如有其他问题请随时联系客服。",
  "祝您购物愉快！",
  "感谢您对本店的支持。",
  "给您带来的不便敬请谅解。",
  "客服在线时间为9点到24点。",
  "亲，记得收货后给个五星好评哦。",
];
const articleSuffixes = ["说明", "指南", "常见问题", "处理流程", "规则"];

const replyQueries = [
  "",
  "尺",
  "尺码",
  "鞋子尺码",
  "抖音-尺码",
  "发货",
  "催发货",
  "退款",
  "优惠券",
  "运费险",
  "羽绒服",
  "口红颜色",
  "保修期多久",
  "包装",
];
const kbQueries = [
  "退款多久到账",
  "尺码怎么选",
  "快递到哪了",
  "发货",
  "优惠券",
  "羽绒服怎么洗",
  "运费险怎么赔",
  "开发票",
  "耳机保修",
  "退款进读",
  "码数",
  "鞋子开胶了怎么办",
];

// ---------------------------------------------------------------------------------------------

interface Series {
  /** The first search of the org after start: builds the in-memory index from the tables. */
  coldMs: number;
  service: Distribution;
  http: Distribution;
  /** Mean hits per call. */
  hits: number;
}

interface DbResult {
  db: DbKind;
  seedSeconds: number;
  replies: Series;
  kb: Series;
  perQuery: { replies: Record<string, number>; kb: Record<string, number> };
}

async function benchDatabase(kind: DbKind, options: BenchOptions): Promise<DbResult> {
  const { createServer } = await import("../apps/server/src/main.ts");
  const { loadConfig } = await import("../apps/server/src/platform/config.ts");
  const { createOrg, createUser } = await import("../apps/server/src/modules/identity/index.ts");
  const { assertStoresInOrg, createStore } = await import("../apps/server/src/modules/stores/index.ts");
  const { searchReplies } = await import("../apps/server/src/modules/assist/replies/service.ts");
  const { searchKnowledge } = await import("../apps/server/src/modules/assist/kb/service.ts");

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "yunxi-bench-library-"));
  const pgDb = kind === "postgres" ? await freshPostgresDatabase(options.pgUrl) : undefined;
  const server = await createServer(
    loadConfig({
      PORT: "0",
      DATA_DIR: dataDir,
      LOG_LEVEL: "silent",
      SECRET_KEY: randomBytes(32).toString("hex"),
      WORKER_CONCURRENCY: "0",
      ...(pgDb && { DATABASE_URL: pgDb.url }),
    }),
  );
  const { ctx, app } = server;
  try {
    const seedStarted = performance.now();
    const org = await createOrg(ctx, { name: "基准公司" });
    const platforms: PlatformId[] = ["taobao", "taobao", "jd", "pdd", "douyin", "kuaishou"];
    const stores = [];
    for (const [i, platform] of platforms.entries()) {
      stores.push(
        await createStore(ctx, null, org.id, {
          platform,
          name: `店铺${i + 1}`,
          gatewayUrl: "http://127.0.0.1:9/none",
          sellerId: `seller-${i}`,
          credentials: { appKey: "k", appSecret: "s", accessToken: "a" },
        }),
      );
    }
    const agentStores = [stores[0]!.id, stores[4]!.id];
    const users = [];
    for (const [i, role] of (["supervisor", "agent", "agent", "agent"] as const).entries()) {
      users.push(
        await createUser(
          ctx,
          org.id,
          {
            email: `u${i}@bench.test`,
            name: `用户${i}`,
            role,
            password: "bench-password-1",
            storeIds: role === "agent" ? agentStores : [],
          },
          null,
          assertStoresInOrg,
        ),
      );
    }
    await seedLibrary(ctx, org.id, stores, users, options);
    const seedSeconds = round2((performance.now() - seedStarted) / 1000);
    console.log(`[${kind}] seeded ${options.replies} replies and ${options.articles} articles in ${seedSeconds} s`);

    const login = await app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: "u1@bench.test", password: "bench-password-1" },
    });
    const cookie = String(login.headers["set-cookie"]).split(";")[0]!;
    const agentUser = users[1]!;
    const actor = {
      orgId: org.id,
      userId: agentUser.id,
      role: "agent" as const,
      name: agentUser.name,
      sessionId: "bench",
      csrfToken: "bench",
      storeIds: agentStores,
    };
    const storeId = stores[4]!.id; // a Douyin store: "抖音-尺码" finds its platform's replies

    const measure = async (
      queries: string[],
      service: (q: string) => Promise<number>,
      url: (q: string) => string,
    ): Promise<{ series: Series; perQuery: Record<string, number> }> => {
      const serviceSamples: number[] = [];
      const httpSamples: number[] = [];
      const perQuery: Record<string, number> = {};
      let hits = 0;
      const coldStarted = performance.now();
      await service(queries[0]!);
      const coldMs = round2(performance.now() - coldStarted);
      for (const q of queries) {
        for (let i = 0; i < 10; i++) await service(q);
        const mine: number[] = [];
        for (let i = 0; i < options.iterations; i++) {
          const started = performance.now();
          hits += await service(q);
          const ms = performance.now() - started;
          serviceSamples.push(ms);
          mine.push(ms);
        }
        perQuery[q || "(empty)"] = round2(
          percentile(
            [...mine].sort((a, b) => a - b),
            99,
          ),
        );
        for (let i = 0; i < options.iterations; i++) {
          const started = performance.now();
          const res = await app.inject({ method: "GET", url: url(q), headers: { cookie } });
          httpSamples.push(performance.now() - started);
          if (res.statusCode !== 200) throw new Error(`${url(q)}: ${res.statusCode} ${res.body}`);
        }
      }
      return {
        series: {
          coldMs,
          service: summarize(serviceSamples),
          http: summarize(httpSamples),
          hits: round2(hits / serviceSamples.length),
        },
        perQuery,
      };
    };

    const replies = await measure(
      replyQueries.map((q) => `/${q}`),
      async (q) => (await searchReplies(ctx, actor, { q, storeId, match: "all", limit: 10 })).length,
      (q) => `/api/library/replies/search?${new URLSearchParams({ q, storeId })}`,
    );
    const kb = await measure(
      kbQueries,
      async (q) => (await searchKnowledge(ctx, actor, { q, storeId, limit: 10 })).length,
      (q) => `/api/library/kb/search?${new URLSearchParams({ q, storeId })}`,
    );
    return {
      db: kind,
      seedSeconds,
      replies: replies.series,
      kb: kb.series,
      perQuery: { replies: replies.perQuery, kb: kb.perQuery },
    };
  } finally {
    await server.close();
    if (pgDb && options.keep) console.log(`[postgres] kept for inspection: ${pgDb.url}`);
    else await pgDb?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function seedLibrary(
  ctx: import("../apps/server/src/platform/context.ts").AppContext,
  orgId: string,
  stores: { id: string; platform: string }[],
  users: { id: string }[],
  options: BenchOptions,
): Promise<void> {
  const { cannedReplies, kbArticles, libraryCategories } = await import("../apps/server/src/modules/assist/tables.ts");
  const { normalizeKeywords } = await import("../apps/server/src/modules/assist/replies/search-vector.ts");
  const rnd = prng(42);
  const { randomUUID } = await import("node:crypto");

  // Category trees: product × inquiry type (replies), product (kb).
  const replyCategories: string[] = [];
  const kbCategories: string[] = [];
  const categoryRows: (typeof libraryCategories.$inferInsert)[] = [];
  for (const product of products) {
    const parent = randomUUID();
    categoryRows.push({ id: parent, orgId, kind: "replies", parentId: null, name: product });
    for (const type of inquiryTypes) {
      const id = randomUUID();
      categoryRows.push({ id, orgId, kind: "replies", parentId: parent, name: type });
      replyCategories.push(id);
    }
    const kbId = randomUUID();
    categoryRows.push({ id: kbId, orgId, kind: "kb", parentId: null, name: product });
    kbCategories.push(kbId);
  }
  await ctx.db.insert(libraryCategories).values(categoryRows);

  const now = Date.now();
  const day = 86_400_000;
  const rows: (typeof cannedReplies.$inferInsert)[] = [];
  for (let i = 0; i < options.replies; i++) {
    const product = rnd.pick(products);
    const topic = rnd.pick(topicNames);
    const store = rnd.pick(stores);
    const r = rnd.next();
    const scope =
      r < 0.4 ? { storeId: null, platform: null } : r < 0.7 ? { storeId: null, platform: store.platform } : store;
    const k = rnd.next();
    const keyword =
      k < 0.3
        ? topic
        : k < 0.7
          ? `${product}${topic}`
          : k < 0.8
            ? `${platformLabels[store.platform as PlatformId]["zh-CN"]}-${topic}`
            : `${topic}${i % 50}`;
    const keywords = normalizeKeywords([keyword]);
    const sentences = topics[topic]!;
    const body = `亲，${rnd.pick(sentences)}，${rnd.pick(sentences)}。${product}的问题都可以问我。${rnd.pick(generic)}`;
    const title = `${product}-${topic}-${i}`;
    const campaign = rnd.next() < 0.1;
    const start = now + Math.floor((rnd.next() - 0.5) * 20) * day;
    rows.push({
      id: randomUUID(),
      orgId,
      ownerId: rnd.next() < 0.1 ? rnd.pick(users).id : null,
      platform: "platform" in scope ? scope.platform : null,
      storeId: "id" in scope ? scope.id : null,
      categoryId: rnd.pick(replyCategories),
      title,
      keywords,
      body,
      validFrom: campaign ? new Date(start) : null,
      validUntil: campaign ? new Date(start + 10 * day) : null,
      usageCount: Math.floor(rnd.next() * 200),
    });
  }
  for (let i = 0; i < rows.length; i += 500) await ctx.db.insert(cannedReplies).values(rows.slice(i, i + 500));

  const articles: (typeof kbArticles.$inferInsert)[] = [];
  for (let i = 0; i < options.articles; i++) {
    const product = rnd.pick(products);
    const topic = rnd.pick(topicNames);
    const other = rnd.pick(topicNames);
    const title = `${product}${topic}${rnd.pick(articleSuffixes)}`;
    const parts: string[] = [];
    for (let s = 0; s < 8; s++) {
      parts.push(rnd.pick(topics[s % 3 === 2 ? other : topic]!).replace(/\{[^}]+\}/g, product));
      if (s % 3 === 0) parts.push(rnd.pick(generic));
    }
    const plainText = `${product}${topic}：${parts.join("，")}。`;
    const tags = [topic];
    articles.push({
      id: randomUUID(),
      orgId,
      categoryId: rnd.pick(kbCategories),
      storeId: rnd.next() < 0.2 ? rnd.pick(stores).id : null,
      title,
      body: plainText,
      plainText,
      tags,
      version: 1,
    });
  }
  for (let i = 0; i < articles.length; i += 250) await ctx.db.insert(kbArticles).values(articles.slice(i, i + 250));
  // Rows written behind the services' back: a revision makes every index read them.
  const { bumpRevision } = await import("../apps/server/src/modules/assist/library/index-cache.ts");
  await bumpRevision(ctx.db, orgId, "replies");
  await bumpRevision(ctx.db, orgId, "kb");
}

// ---------------------------------------------------------------------------------------------

interface BenchOptions {
  dbs: DbKind[];
  replies: number;
  articles: number;
  iterations: number;
  pgUrl: string;
  /** Keep the PostgreSQL database afterwards (to EXPLAIN the searches). */
  keep: boolean;
}

function parseOptions(): BenchOptions {
  const { values } = parseArgs({
    options: {
      db: { type: "string", default: "both" },
      replies: { type: "string", default: "10000" },
      articles: { type: "string", default: "10000" },
      iterations: { type: "string", default: "100" },
      keep: { type: "boolean", default: false },
      "pg-url": {
        type: "string",
        default: process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
      },
    },
  });
  const db = values.db ?? "both";
  if (!["pglite", "postgres", "both"].includes(db)) throw new Error("--db must be pglite, postgres or both");
  return {
    dbs: db === "both" ? ["pglite", "postgres"] : [db as DbKind],
    replies: Number(values.replies),
    articles: Number(values.articles),
    iterations: Number(values.iterations),
    pgUrl: values["pg-url"] ?? "postgres://postgres@127.0.0.1:5432/test",
    keep: values.keep ?? false,
  };
}

function printTable(results: DbResult[]): void {
  const line = (label: string, d: Distribution) =>
    `  ${label.padEnd(22)} p50 ${String(d.p50).padStart(6)}  p95 ${String(d.p95).padStart(6)}  p99 ${String(d.p99).padStart(6)}  max ${String(d.max).padStart(7)}  (n=${d.count})`;
  for (const r of results) {
    console.log(`\n${r.db} (ms)`);
    console.log(line("canned replies service", r.replies.service));
    console.log(line("canned replies http", r.replies.http));
    console.log(line("knowledge service", r.kb.service));
    console.log(line("knowledge http", r.kb.http));
    console.log(`  hits per call: replies ${r.replies.hits}, knowledge ${r.kb.hits}`);
    console.log(
      `  first search (index built from the tables): replies ${r.replies.coldMs} ms, knowledge ${r.kb.coldMs} ms`,
    );
    console.log(`  p99 per reply query (service): ${JSON.stringify(r.perQuery.replies)}`);
    console.log(`  p99 per kb query (service):    ${JSON.stringify(r.perQuery.kb)}`);
  }
}

async function main(): Promise<void> {
  const options = parseOptions();
  const m = machine();
  console.log(`machine: ${JSON.stringify(m)}`);
  const results: DbResult[] = [];
  const skipped: { db: DbKind; reason: string }[] = [];
  for (const kind of options.dbs) {
    if (kind === "postgres") {
      const problem = await postgresProblem(options.pgUrl);
      if (problem) {
        console.warn(`[postgres] SKIPPED: not reachable at ${options.pgUrl} (${problem}); pass --pg-url.`);
        skipped.push({ db: kind, reason: problem });
        continue;
      }
    }
    results.push(await benchDatabase(kind, options));
  }
  printTable(results);
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "results");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `library-search-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  const pgUrl = new URL(options.pgUrl);
  if (pgUrl.password) pgUrl.password = "***";
  const report = {
    benchmark: "library-search",
    at: new Date().toISOString(),
    machine: m,
    options: { ...options, pgUrl: pgUrl.toString() },
    results,
    skipped,
  };
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`results: ${path.relative(process.cwd(), file)}`);
}

await main();
