/**
 * Routing benchmark: how fast a new conversation reaches an agent.
 *
 *   node bench/routing.ts [--db pglite|postgres|both] [--rate 1000] [--seconds 5] [--agents 50] [--pg-url …]
 *
 * Per database kind, one run:
 *   1. decision: the pure choice (chooseAgent) among `--agents` online agents, per conversation, in
 *      memory — the cost of the decision itself;
 *   2. end to end: an open-loop stream of buyers writing for the first time at `--rate` per second
 *      (each a new conversation), ingested through the server's own ingest (the same transaction a
 *      platform push runs, here called in-process so that HTTP is not what is measured), followed by
 *      the triage job and the routing pass; latency is from just before the ingest call to the
 *      `conversation.updated` event that carries the conversation's assignee. Reported: p50/p95/p99,
 *      how many of the offered conversations were assigned, and the rate achieved.
 * The agents: the demo org's three plus generated ones serving every store, all online with a
 * capacity no burst fills, so every conversation can be assigned and none waits for capacity.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { freshPostgresDatabase, machine } from "./support.ts";

const { values: args } = parseArgs({
  options: {
    db: { type: "string", default: "pglite" },
    rate: { type: "string", default: "1000" },
    seconds: { type: "string", default: "5" },
    agents: { type: "string", default: "50" },
    "pg-url": { type: "string", default: process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test" },
  },
});
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const AGENTS = Number(args.agents);

const round1 = (n: number) => Math.round(n * 10) / 10;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function decisionCost(): Promise<{ nsPerDecision: number }> {
  const { chooseAgent } = await import("../apps/server/src/modules/inbox/routing/assign.ts");
  const agents = Array.from({ length: AGENTS }, (_, i) => ({
    userId: `u${i}`,
    status: "online" as const,
    capacity: 1_000_000,
    load: 0,
    lastAssignedAt: null as Date | null,
    storeIds: new Set(["s1", "s2"]),
    groupIds: new Set<string>(),
  }));
  const rounds: number[] = [];
  for (let r = 0; r < 7; r++) {
    const n = 20_000;
    const start = performance.now();
    for (let i = 0; i < n; i++) {
      const chosen = chooseAgent(
        {
          storeId: i % 2 ? "s1" : "s2",
          strategy: i % 3 === 0 ? "round_robin" : "least_busy",
          groupId: null,
          overflowGroupId: null,
          overflowAfterSeconds: null,
          queuedSeconds: 0,
          previousAgentId: null,
        },
        agents,
      )!;
      chosen.load++;
      chosen.lastAssignedAt = new Date(i);
    }
    rounds.push(((performance.now() - start) * 1e6) / n);
  }
  rounds.sort((a, b) => a - b);
  return { nsPerDecision: Math.round(rounds[3]!) };
}

async function endToEnd(kind: "pglite" | "postgres") {
  const { allMarketplaceStoreConfigs, seedDemoOrg } = await import("../apps/server/src/cli/seed-demo.ts");
  const { createServer } = await import("../apps/server/src/main.ts");
  const { loadConfig } = await import("../apps/server/src/platform/config.ts");
  const { createUser } = await import("../apps/server/src/modules/identity/index.ts");
  const { assertStoresInOrg } = await import("../apps/server/src/modules/stores/index.ts");
  const { ingestInbound, setAgentStatus } = await import("../apps/server/src/modules/inbox/index.ts");
  const { queryRows, sql } = await import("../apps/server/src/platform/db/client.ts");

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "yunxi-bench-routing-"));
  const pgDb = kind === "postgres" ? await freshPostgresDatabase(args["pg-url"]!) : undefined;
  const server = await createServer(
    loadConfig({
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      LOG_LEVEL: "silent",
      SECRET_KEY: randomBytes(32).toString("hex"),
      ...(pgDb && { DATABASE_URL: pgDb.url }),
    }),
  );
  try {
    const ctx = server.ctx;
    const demo = await seedDemoOrg(ctx, { gatewayUrl: "http://127.0.0.1:9", stores: allMarketplaceStoreConfigs() });
    const storeIds = demo.stores.map((s) => s.id);
    for (let i = 0; i < AGENTS - 3; i++) {
      const user = await createUser(
        ctx,
        demo.orgId,
        { email: `bench${i}@bench.local`, name: `坐席${i}`, role: "agent", password: "password-123", storeIds },
        null,
        assertStoresInOrg,
      );
      await setAgentStatus(ctx, demo.orgId, user.id, "online", { actorId: null, reason: "bench" });
    }
    await queryRows(ctx.db, sql`UPDATE agent_states SET capacity = 100000 WHERE org_id = ${demo.orgId}`);

    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    ctx.bus.subscribe((events) => {
      const now = performance.now();
      for (const e of events) {
        if (e.type !== "conversation.updated") continue;
        const c = e.payload.conversation as {
          id: string;
          assigneeId: string | null;
          customer: { platformBuyerId: string };
        };
        const t = sentAt.get(c.customer.platformBuyerId);
        if (c.assigneeId && t !== undefined) {
          latencies.push(now - t);
          sentAt.delete(c.customer.platformBuyerId);
        }
      }
    });

    const stores = demo.stores.map((s) => ({ id: s.id, orgId: demo.orgId, platform: s.platform, name: s.name }));
    const total = RATE * SECONDS;
    const started = performance.now();
    const inflight: Promise<unknown>[] = [];
    let failures = 0;
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      const buyer = `bench_${kind}_${i}`;
      const store = stores[i % stores.length]!;
      sentAt.set(buyer, performance.now());
      inflight.push(
        ingestInbound(ctx, store, [
          {
            kind: "message",
            platformMessageId: `rt-${i}`,
            buyer: { platformBuyerId: buyer, displayName: buyer },
            content: { type: "text", text: i % 4 === 0 ? "我要退货" : "在吗，有货吗" },
            sentAt: new Date(),
          },
        ]).catch(() => {
          failures++;
        }),
      );
    }
    await Promise.all(inflight);
    const offeredSeconds = (performance.now() - started) / 1000;
    const deadline = performance.now() + 60_000;
    while (latencies.length < total - failures && performance.now() < deadline) await sleep(50);
    const drainedSeconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      offered: total,
      failures,
      assigned: latencies.length,
      offeredRate: Math.round(total / offeredSeconds),
      assignedRate: Math.round(latencies.length / drainedSeconds),
      latencyMs: {
        p50: round1(percentile(latencies, 50)),
        p95: round1(percentile(latencies, 95)),
        p99: round1(percentile(latencies, 99)),
      },
    };
  } finally {
    await server.close();
    await pgDb?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const kinds = args.db === "both" ? (["pglite", "postgres"] as const) : ([args.db as "pglite" | "postgres"] as const);
console.log(JSON.stringify({ machine: machine(), rate: RATE, seconds: SECONDS, agents: AGENTS }));
console.log(JSON.stringify({ decision: await decisionCost() }));
for (const kind of kinds) console.log(JSON.stringify({ db: kind, endToEnd: await endToEnd(kind) }));
process.exit(0);
