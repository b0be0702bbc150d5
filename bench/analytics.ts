/**
 * Analytics benchmark: dashboard and report queries at scale, and a big Excel export.
 *
 *   node bench/analytics.ts [--db postgres|pglite] [--messages 10000000] [--days 30] [--stores 20]
 *                           [--agents 50] [--iterations 20] [--export-rows 1000000] [--pg-url …]
 *
 * 1. Data: the rollups a month of `--messages` messages leaves (about 60 rollup rows a minute at
 *    10 million, i.e. 230 messages a minute over 20 stores, 50 agents, 16 intents), and one
 *    per-conversation row per conversation for top questions and the export (`--export-rows`),
 *    generated in SQL straight into the analytics tables: this measures the read side, not the
 *    pipeline (bench/inbound.ts measures that).
 * 2. Queries, each `--iterations` times, p50/p95 in ms: the live dashboard; the KPI report of a
 *    day, a week and the month (with its series and the period before); the agent, platform and
 *    customer-needs reports of a week; a drill-down.
 * 3. The rollup consumer: `--consumer-messages` buyer messages ingested through the server's
 *    ingest, then the time the consumer takes to catch up (events/s).
 * 4. Export: the Excel report of the month with a conversation sheet of `--export-rows` rows,
 *    streamed: time, file size, peak RSS and heap.
 */
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import pg from "pg";
import { createContext } from "../apps/server/src/main.ts";
import { resumDailyRange } from "../apps/server/src/modules/analytics/apply.ts";
import { consumeOrg } from "../apps/server/src/modules/analytics/consumer.ts";
import { dashboard } from "../apps/server/src/modules/analytics/dashboard.ts";
import { resumNarrowMinutes } from "../apps/server/src/modules/analytics/levels.ts";
import {
  agentReport,
  drilldown,
  intentReport,
  kpiReport,
  platformReport,
} from "../apps/server/src/modules/analytics/queries.ts";
import { buildBundle, conversationLines } from "../apps/server/src/modules/analytics/report-data.ts";
import { resolveRange, resolveScope } from "../apps/server/src/modules/analytics/scope.ts";
import { addDays, localDay } from "../apps/server/src/modules/analytics/time.ts";
import { writeXlsx } from "../apps/server/src/modules/analytics/xlsx.ts";
import { createOrg, createUser } from "../apps/server/src/modules/identity/index.ts";
import type { Actor } from "../apps/server/src/modules/identity/policy.ts";
import { ingestInbound } from "../apps/server/src/modules/inbox/index.ts";
import { assertStoresInOrg, createStore } from "../apps/server/src/modules/stores/index.ts";
import { loadConfig } from "../apps/server/src/platform/config.ts";
import { queryRows, sql } from "../apps/server/src/platform/db/client.ts";

const { values: args } = parseArgs({
  options: {
    db: { type: "string", default: "postgres" },
    messages: { type: "string", default: "10000000" },
    days: { type: "string", default: "30" },
    stores: { type: "string", default: "20" },
    agents: { type: "string", default: "50" },
    iterations: { type: "string", default: "20" },
    "export-rows": { type: "string", default: "1000000" },
    /** Keep the generated database (PostgreSQL) and print its URL, to look at plans by hand. */
    keep: { type: "boolean", default: false },
    /** Buyer messages ingested for the consumer phase (0 skips it). */
    "consumer-messages": { type: "string", default: "10000" },
    "no-export": { type: "boolean", default: false },
    "pg-url": { type: "string", default: process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test" },
  },
});
const MESSAGES = Number(args.messages);
const DAYS = Number(args.days);
const STORES = Number(args.stores);
const AGENTS = Number(args.agents);
const ITERATIONS = Number(args.iterations);
const EXPORT_ROWS = Number(args["export-rows"]);
const TZ = "Asia/Shanghai";
const PLATFORMS = ["taobao", "jd", "pdd", "douyin", "kuaishou"] as const;
const INTENTS = [
  "售前-商品咨询",
  "售前-尺码推荐",
  "售前-库存到货",
  "售前-价格优惠",
  "物流-发货时间",
  "物流-物流查询",
  "物流-修改地址",
  "售后-退换货",
  "售后-退款进度",
  "售后-质量问题",
  "售后-错发漏发",
  "售后-使用指导",
  "投诉",
  "其他-发票",
  "其他-问候",
  "",
];

const round1 = (n: number) => Math.round(n * 10) / 10;
const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function freshDatabase(): Promise<{ url: string | undefined; dataDir: string; drop: () => Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "yunxi-bench-analytics-"));
  if (args.db === "pglite")
    return { url: undefined, dataDir, drop: async () => fs.rmSync(dataDir, { recursive: true }) };
  const name = `yunxi_bench_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: args["pg-url"] });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(args["pg-url"]!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dataDir,
    drop: async () => {
      const c = new pg.Client({ connectionString: args["pg-url"] });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function main() {
  const db = await freshDatabase();
  const config = loadConfig({
    DATA_DIR: db.dataDir,
    LOG_LEVEL: "silent",
    WORKER_CONCURRENCY: "0",
    SECRET_KEY: randomBytes(32).toString("hex"),
    ...(db.url && { DATABASE_URL: db.url }),
  });
  const { ctx, close } = await createContext(config);
  try {
    // ── Org, stores, agents.
    const org = await createOrg(ctx, { name: "基准" });
    const storeIds: string[] = [];
    for (let i = 0; i < STORES; i++) {
      const s = await createStore(ctx, null, org.id, {
        platform: PLATFORMS[i % PLATFORMS.length]!,
        name: `店${i}`,
        gatewayUrl: "http://127.0.0.1:9",
        sellerId: `seller-${i}`,
        credentials: { appKey: "k", appSecret: "s".repeat(16) },
      });
      storeIds.push(s.id);
    }
    const agentIds: string[] = [];
    for (let i = 0; i < AGENTS; i++) {
      const u = await createUser(
        ctx,
        org.id,
        // Every agent serves every store, as the generated rollups have it.
        { email: `a${i}@bench.test`, name: `客服${i}`, role: "agent", password: "password-123", storeIds },
        null,
        assertStoresInOrg,
      );
      agentIds.push(u.id);
    }
    // The org-wide view: an admin (a supervisor sees only the groups they belong to).
    const admin = await createUser(
      ctx,
      org.id,
      { email: "admin@bench.test", name: "管理员", role: "admin", password: "password-123", storeIds: [] },
      null,
      assertStoresInOrg,
    );

    // ── Rollups: `perMinute` rows a minute, unique per minute by construction.
    const nowMs = Date.now();
    const end = Math.floor(nowMs / 60_000) * 60_000;
    const start = end - DAYS * 86_400_000;
    const messagesPerMinute = MESSAGES / (DAYS * 1440);
    const perMinute = Math.max(1, Math.min(400, Math.round(messagesPerMinute / 4)));
    const generated = performance.now();
    const param = (v: unknown) => sql`${sql.param(v)}`;
    for (let day = 0; day < DAYS; day++) {
      const from = new Date(start + day * 86_400_000).toISOString();
      const to = new Date(start + (day + 1) * 86_400_000).toISOString();
      await ctx.db.execute(sql`
        INSERT INTO analytics_minute_rollups (org_id, minute, store_id, agent_id, intent, category,
          inbound_msgs, human_msgs, bot_msgs, conversations, handled, rounds, rounds_answered, rounds_3m, rounds_1h,
          response_ms_sum, response_ms_max, bot_rounds, first_responses, first_response_ms_sum, first_response_ms_max,
          human_needed, human_answered, human_answered_3m, human_response_ms_sum, resolved, resolution_ms_sum,
          complaints, evaluations, eval_score_sum, eval_satisfied, consult_buyers, converted_buyers, converted_cents,
          tb_rounds, tb_rounds_3m, qc_checked, qc_score_sum, qc_alerts)
        SELECT ${org.id}::uuid, m.minute,
               (${param(storeIds)}::uuid[])[1 + (g.n % ${STORES}::int)],
               (${param(agentIds)}::uuid[])[1 + ((g.n + (extract(epoch FROM m.minute) / 60)::int) % ${AGENTS}::int)],
               (${param(INTENTS)}::text[])[1 + (g.n % 16)], '',
               4, 2, 1, 1, 1, 2, 2, 1 + (g.n % 2), 2, 60000 + g.n * 900, 30000 + g.n * 900, g.n % 3,
               1, 20000 + g.n * 500, 20000 + g.n * 500, 1, 1, g.n % 2, 40000, (g.n % 4 = 0)::int, 600000,
               (g.n % 29 = 0)::int, (g.n % 7 = 0)::int, (g.n % 7 = 0)::int * 5, (g.n % 7 = 0)::int,
               1, (g.n % 5 = 0)::int, (g.n % 5 = 0)::int * 9900, 2, 1, (g.n % 4 = 0)::int, (g.n % 4 = 0)::int * 85,
               (g.n % 20 = 0)::int
        FROM generate_series(${from}::timestamptz, ${to}::timestamptz - interval '1 minute', interval '1 minute') AS m(minute)
        CROSS JOIN generate_series(1, ${perMinute}::int) AS g(n)`);
    }
    // One row per conversation (a sixth of the messages' count, capped by --export-rows for the export).
    const conversations = Math.max(EXPORT_ROWS, Math.round(MESSAGES / 6));
    const phrases = [
      "在吗",
      "什么时候发货",
      "有42码吗",
      "能便宜点吗",
      "我要退货",
      "快递到哪了",
      "质量太差了",
      "开发票",
    ];
    for (let offset = 0; offset < conversations; offset += 500_000) {
      const n = Math.min(500_000, conversations - offset);
      await ctx.db.execute(sql`
        INSERT INTO analytics_conversations (conversation_id, org_id, store_id, platform, customer_id, identity_id, agent_id,
          intent, category, started_at, first_question, rounds, unanswered_rounds, first_response_ms, resolved_at, complaint,
          qc_score, qc_findings, qc_level)
        SELECT gen_random_uuid(), ${org.id}::uuid, (${param(storeIds)}::uuid[])[1 + (g.n % ${STORES}::int)], 'taobao',
               gen_random_uuid(), gen_random_uuid(), (${param(agentIds)}::uuid[])[1 + (g.n % ${AGENTS}::int)],
               (${param(INTENTS)}::text[])[1 + (g.n % 16)], '',
               to_timestamp(${start / 1000}::float8 + ((g.n - ${offset})::float8 / ${n}::float8) * ${DAYS * 86400}::float8),
               (${param(phrases)}::text[])[1 + (g.n % 8)], 3, 0, 30000, NULL, g.n % 29 = 0, NULL, '[]'::jsonb, NULL
        FROM generate_series(${offset + 1}::int, ${offset + n}::int) AS g(n)`);
    }
    // The per-store minutes, the daily rollups and their narrower levels, and the first lines per
    // day, summed as the rebuild sums them (its last steps).
    const dailyStarted = performance.now();
    for (let day = 0; day < DAYS; day++) {
      await resumNarrowMinutes(ctx.db, org.id, start + day * 86_400_000, start + (day + 1) * 86_400_000);
    }
    for (let day = localDay(start, TZ); day <= localDay(end - 1, TZ); day = addDays(day, 1)) {
      await resumDailyRange(ctx.db, org.id, day, TZ);
    }
    const dailySeconds = round1((performance.now() - dailyStarted) / 1000);
    for (const table of [
      "analytics_minute_rollups",
      "analytics_store_minutes",
      "analytics_daily_rollups",
      "analytics_store_days",
      "analytics_store_agent_days",
      "analytics_store_intent_days",
      "analytics_question_days",
      "analytics_conversations",
    ]) {
      await ctx.db.execute(sql`ANALYZE ${sql.raw(table)}`);
    }
    const rollupRows = DAYS * 1440 * perMinute;
    const [daily] = await queryRows<{ n: string; stores: string; questions: string }>(
      ctx.db,
      sql`SELECT (SELECT count(*) FROM analytics_daily_rollups) AS n, (SELECT count(*) FROM analytics_store_days) AS stores,
                 (SELECT count(*) FROM analytics_question_days) AS questions`,
    );
    console.log(
      `generated ${rollupRows.toLocaleString()} rollup rows (${perMinute}/minute ≈ ${MESSAGES.toLocaleString()} messages) and ${conversations.toLocaleString()} conversations in ${round1((performance.now() - generated) / 1000)} s; ${Number(daily?.n ?? 0).toLocaleString()} daily rows (${Number(daily?.stores ?? 0).toLocaleString()} per store, ${Number(daily?.questions ?? 0).toLocaleString()} first lines per day), store minutes and first lines summed in ${dailySeconds} s`,
    );

    // ── Queries.
    const actor: Actor = {
      orgId: org.id,
      userId: admin.id,
      role: "admin",
      name: "管理员",
      sessionId: "",
      csrfToken: "",
      storeIds: null,
    };
    const scope = await resolveScope(ctx.db, actor, {});
    const today = localDay(nowMs, TZ);
    const week = { from: addDays(today, -6), to: today };
    const month = { from: addDays(today, -(DAYS - 1)), to: today };
    const cases: [string, () => Promise<unknown>][] = [
      ["dashboard (today, live)", () => dashboard(ctx.db, scope, nowMs)],
      ["KPI report: a day", () => kpiReport(ctx.db, scope, { from: today, to: today, granularity: "day" }, nowMs)],
      ["KPI report: a week by day", () => kpiReport(ctx.db, scope, { ...week, granularity: "day" }, nowMs)],
      ["KPI report: the month by week", () => kpiReport(ctx.db, scope, { ...month, granularity: "week" }, nowMs)],
      ["agent report: a week", () => agentReport(ctx.db, scope, week, nowMs)],
      ["platform report: a week", () => platformReport(ctx.db, scope, week, nowMs)],
      ["customer needs: a week", () => intentReport(ctx.db, scope, week, nowMs)],
      [
        "KPI report: a week, one store",
        async () =>
          kpiReport(
            ctx.db,
            await resolveScope(ctx.db, actor, { storeId: storeIds[0] }),
            { ...week, granularity: "day" },
            nowMs,
          ),
      ],
      [
        "drill-down: a day's conversations",
        () =>
          drilldown(ctx.db, scope, { from: today, to: today, metric: "conversations", limit: 50, offset: 0 }, nowMs),
      ],
    ];
    // A supervisor sees the groups they belong to: one leading a group of a fifth of the agents.
    const lead = await createUser(
      ctx,
      org.id,
      { email: "sup@bench.test", name: "主管", role: "supervisor", password: "password-123", storeIds: [] },
      null,
      assertStoresInOrg,
    );
    const groupId = randomUUID();
    await ctx.db.execute(sql`INSERT INTO agent_groups (id, org_id, name) VALUES (${groupId}, ${org.id}, '一组')`);
    for (const userId of [lead.id, ...agentIds.slice(0, Math.max(1, Math.round(AGENTS / 5)))]) {
      await ctx.db.execute(
        sql`INSERT INTO agent_group_members (org_id, group_id, user_id) VALUES (${org.id}, ${groupId}, ${userId})`,
      );
    }
    const leadScope = await resolveScope(ctx.db, { ...actor, userId: lead.id, role: "supervisor", name: "主管" }, {});
    cases.push(
      ["group supervisor: dashboard", () => dashboard(ctx.db, leadScope, nowMs)],
      ["group supervisor: KPI week by day", () => kpiReport(ctx.db, leadScope, { ...week, granularity: "day" }, nowMs)],
      ["group supervisor: agent report week", () => agentReport(ctx.db, leadScope, week, nowMs)],
      ["group supervisor: customer needs week", () => intentReport(ctx.db, leadScope, week, nowMs)],
    );
    const results: Record<string, { p50: number; p95: number }> = {};
    for (const [name, run] of cases) {
      await run(); // warm
      const times: number[] = [];
      for (let i = 0; i < ITERATIONS; i++) {
        const t0 = performance.now();
        await run();
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      results[name] = { p50: round1(percentile(times, 50)), p95: round1(percentile(times, 95)) };
      console.log(
        `${name.padEnd(40)} p50 ${String(results[name].p50).padStart(7)} ms   p95 ${String(results[name].p95).padStart(7)} ms`,
      );
    }

    // ── The rollup consumer: buyer messages ingested as pushes would be, then consumed.
    const consumerMessages = Number(args["consumer-messages"]);
    let consumer: { messages: number; events: number; seconds: number; eventsPerSecond: number } | null = null;
    if (consumerMessages > 0) {
      const other = await createOrg(ctx, { name: "基准-消费" });
      const store = await createStore(ctx, null, other.id, {
        platform: "taobao",
        name: "旗舰店",
        gatewayUrl: "http://127.0.0.1:9",
        sellerId: "seller-consumer",
        credentials: { appKey: "k", appSecret: "s".repeat(16) },
      });
      const ref = { id: store.id, orgId: other.id, platform: "taobao", name: "旗舰店" };
      for (let i = 0; i < consumerMessages; i += 100) {
        await ingestInbound(
          ctx,
          ref,
          Array.from({ length: Math.min(100, consumerMessages - i) }, (_, j) => ({
            kind: "message" as const,
            platformMessageId: `bench-${i + j}`,
            // 2,000 buyers: conversations of several messages, as in reality.
            buyer: { platformBuyerId: `tb_${(i + j) % 2000}`, displayName: `买家${(i + j) % 2000}` },
            content: { type: "text" as const, text: "这双鞋有42码吗" },
            sentAt: new Date(nowMs - 3_600_000 + (i + j) * 100),
          })),
        );
      }
      const [count] = await queryRows<{ n: string }>(
        ctx.db,
        sql`SELECT count(*) AS n FROM realtime_events WHERE org_id = ${other.id}`,
      );
      const t1 = performance.now();
      const events = await consumeOrg(ctx, other.id);
      const seconds = (performance.now() - t1) / 1000;
      consumer = {
        messages: consumerMessages,
        events,
        seconds: round1(seconds),
        eventsPerSecond: Math.round(events / seconds),
      };
      console.log(
        `consumer: ${events.toLocaleString()} events (of ${Number(count?.n ?? 0).toLocaleString()}) for ${consumerMessages.toLocaleString()} buyer messages in ${consumer.seconds} s: ${consumer.eventsPerSecond.toLocaleString()} events/s`,
      );
    }

    // ── Export.
    if (args["no-export"]) return;
    const file = path.join(db.dataDir, "bench.xlsx");
    let peakRss = process.memoryUsage().rss;
    let peakHeap = process.memoryUsage().heapUsed;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 50);
    const baseRss = process.memoryUsage().rss;
    const t0 = performance.now();
    const range = resolveRange(month.from, month.to, TZ);
    const bundle = await buildBundle(ctx.db, scope, { ...month, granularity: "day" }, nowMs, "全部");
    let rows = 0;
    await writeXlsx({
      filename: file,
      bundle,
      scope,
      conversations: conversationLines(ctx.db, scope, range.startMs, range.endMs),
      onRows: (n) => {
        rows = n;
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    const exportResult = {
      rows,
      seconds: round1(seconds),
      fileMiB: round1(fs.statSync(file).size / 2 ** 20),
      rssBeforeMiB: round1(baseRss / 2 ** 20),
      peakRssMiB: round1(peakRss / 2 ** 20),
      peakHeapMiB: round1(peakHeap / 2 ** 20),
    };
    console.log(
      `export: ${rows.toLocaleString()} conversation rows + report sheets in ${exportResult.seconds} s, ${exportResult.fileMiB} MiB; RSS ${exportResult.rssBeforeMiB} → peak ${exportResult.peakRssMiB} MiB, peak heap ${exportResult.peakHeapMiB} MiB`,
    );

    const out = path.resolve(path.dirname(new URL(import.meta.url).pathname), "results");
    fs.mkdirSync(out, { recursive: true });
    const name = path.join(out, `analytics-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
    fs.writeFileSync(
      name,
      JSON.stringify(
        {
          db: args.db,
          messages: MESSAGES,
          days: DAYS,
          rollupRows,
          conversations,
          machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version, load: os.loadavg() },
          queries: results,
          consumer,
          export: exportResult,
        },
        null,
        2,
      ),
    );
    console.log(`results: ${name}`);
  } finally {
    await close();
    if (args.keep) console.log(`kept: ${db.url ?? db.dataDir}`);
    else await db.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
