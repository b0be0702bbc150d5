/**
 * Inbound pipeline benchmark: signed marketplace pushes → Yunxi → database → agent's socket.
 *
 *   node bench/inbound.ts [--db pglite|postgres|both] [--seconds 5] [--rate 500] [--pglite-rate 50]
 *                         [--concurrency 32] [--rounds 3] [--pg-url postgres://…] [--no-simulator]
 *
 * `--rate` (PostgreSQL) and `--pglite-rate` take a comma list, e.g. `--rate 100,500`: one latency
 * phase per rate.
 *
 * Per database kind, in one run: a fresh server on this process's main thread (PGlite in a temp
 * dir, or a fresh PostgreSQL database), seeded with the demo org; a load generator on a worker
 * thread of the same process (HTTP pushes over loopback, and the agent's socket), so that the
 * client's CPU does not run on the server's event loop. Then:
 *   1. raw: single-row autocommit INSERTs through the server's own driver handle (the baseline);
 *   2. pipeline: Taobao pushes, closed loop with `--concurrency` in flight;
 *   3. mixed pipeline: the same with pushes of all five marketplaces (each signed as its platform signs);
 *      (1, 2 and 3 alternate for `--rounds` rounds; medians are reported)
 *   4. latency: an open-loop steady rate (or several) of Taobao pushes; time from just before a push is
 *      sent to the `message.created` event on the socket of an agent serving that store.
 * Before all that, once: the simulator's own push rate against a trivial receiver in another process
 * (the ceiling of any figure measured with the simulator as the load).
 * See bench/README.md for what the figures mean.
 */
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { type RealtimeEvent, realtimeChannel } from "@yunxi/contracts";
import { type BuyerMessage, personalities, type SimStore } from "@yunxi/marketplaces/simulator";
import pg from "pg";
import { io } from "socket.io-client";
import type { SimulatorCeiling } from "./simulator-ceiling.ts";
import { freshPostgresDatabase, machine, postgresProblem } from "./support.ts";

type DbKind = "pglite" | "postgres";

const BUYERS = 200;
const AGENT = "agent3"; // serves every demo store
/** Which stores the pushes go to: the two Taobao stores, or every marketplace store. */
type Mix = "taobao" | "all";
const PHRASES = [
  "在吗？这双鞋42码有货吗",
  "什么时候发货呀",
  "能便宜一点吗，买两件",
  "快递到上海要几天",
  "收到的颜色和图片不一样，想退换",
  "有没有优惠券可以用",
  "亲，这个尺码偏大还是偏小",
  "订单显示已签收，但我没收到",
];

// ---------------------------------------------------------------------------------------------
// shared helpers

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const _round1 = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

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

interface LoopResult {
  ok: number;
  failed: number;
  seconds: number;
  perSecond: number;
}

/** Closed loop: `concurrency` workers each run `op` back to back until the deadline. */
async function closedLoop(concurrency: number, seconds: number, op: () => Promise<boolean>): Promise<LoopResult> {
  let ok = 0;
  let failed = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        if (await op().catch(() => false)) ok++;
        else failed++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { ok, failed, seconds: round2(elapsed), perSecond: Math.round(ok / elapsed) };
}

// ---------------------------------------------------------------------------------------------
// the load generator (worker thread): pushes over HTTP, and the agent's socket

interface LoadInit {
  url: string;
  cookie: string;
  stores: SimStore[];
  runId: string;
}

type LoadRequest =
  | { type: "closed"; concurrency: number; seconds: number; mix: Mix }
  | { type: "open"; rate: number; seconds: number }
  | { type: "stop" };
type LoadCommand = LoadRequest & { id: number };

interface LatencyResult {
  rate: number;
  seconds: number;
  /** Seconds into the phase when sending stopped because more than `rate` pushes were in flight; null if it ran out. */
  stoppedEarlyAt: number | null;
  sent: number;
  acknowledged: number;
  errors: number;
  /** Errors by HTTP status or network error. */
  errorKinds: Record<string, number>;
  lost: number;
  pushToSocketMs: Distribution;
  pushToAckMs: Distribution;
  senderLagMs: Distribution;
  maxInFlight: number;
}

/**
 * One POST over kept-alive connections; resolves with the status once the answer is read. node:http
 * rather than fetch, which costs several times more CPU per request: CPU the server, sharing the
 * machine, would otherwise not have.
 */
const agent = new http.Agent({ keepAlive: true });
function post(url: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: "POST", agent, headers: { ...headers, "content-length": String(Buffer.byteLength(body)) } },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

async function loadGenerator(init: LoadInit): Promise<void> {
  const port = parentPort!;
  const storesOf: Record<Mix, SimStore[]> = {
    taobao: init.stores.filter((s) => s.platform === "taobao"),
    all: init.stores,
  };
  let n = 0;
  /**
   * A push from one of ~200 buyers spread over the stores of the mix, signed as that store's platform
   * signs (`personalities.<platform>.encodePush`), with a unique token in its text.
   */
  const nextPush = (mix: Mix = "taobao") => {
    const i = n++;
    const buyer = Math.floor(Math.random() * BUYERS);
    const stores = storesOf[mix];
    const store = stores[buyer % stores.length]!;
    const personality = personalities[store.platform]!;
    const token = `${init.runId}-${i}`;
    const message: BuyerMessage = {
      msgId: `bench-${token}`,
      envelopeId: i + 1,
      platform: store.platform,
      storeKey: store.storeKey,
      buyerNick: `${store.platform}_压测买家${buyer}`,
      text: `${PHRASES[i % PHRASES.length]} #${token}`,
      createdAt: new Date(),
    };
    const send = (): Promise<number> => {
      const push = personality.encodePush(store, message, new Date());
      const query = new URLSearchParams(push.query).toString();
      return post(`${init.url}${push.path}${query ? `?${query}` : ""}`, push.headers, push.body);
    };
    return { token, send };
  };

  let onSeen: ((token: string, at: number) => void) | null = null;
  const socket = io(init.url, {
    transports: ["websocket"],
    extraHeaders: { cookie: init.cookie },
    reconnection: false,
  });
  socket.on(realtimeChannel.event, (e: RealtimeEvent) => {
    if (e.type !== "message.created" || !onSeen) return;
    const token = /#(\S+)$/.exec(e.message.body)?.[1];
    if (token) onSeen(token, performance.now());
  });
  await new Promise<void>((resolve, reject) => {
    socket.once(realtimeChannel.synced, () => resolve());
    socket.once("connect_error", reject);
  });

  const pipelineOp = (mix: Mix) => async () => (await nextPush(mix).send()) === 200;

  /** Open loop: push i is due at start + i/rate whether or not earlier pushes have been answered. */
  const openLoop = async (rate: number, seconds: number): Promise<LatencyResult> => {
    const total = Math.round(rate * seconds);
    const sentAt = new Map<string, number>();
    const toSocket: number[] = [];
    const toAck: number[] = [];
    const lag: number[] = [];
    let acknowledged = 0;
    const errors: Record<string, number> = {};
    let inFlight = 0;
    let maxInFlight = 0;
    onSeen = (token, at) => {
      const sent = sentAt.get(token);
      if (sent === undefined) return;
      sentAt.delete(token);
      toSocket.push(at - sent);
    };
    const requests: Promise<void>[] = [];
    const started = performance.now();
    let sent = 0;
    let stoppedEarlyAt: number | null = null;
    while (sent < total) {
      // More than a second's worth of pushes unanswered: the server is not keeping up. Stop here, so the
      // phase stays bounded in time; latency measured so far then says only "over capacity".
      if (inFlight > rate) {
        stoppedEarlyAt = round2((performance.now() - started) / 1000);
        break;
      }
      const due = Math.min(total, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
      while (sent < due) {
        const push = nextPush();
        const scheduled = started + (sent * 1000) / rate;
        const at = performance.now();
        lag.push(at - scheduled);
        sentAt.set(push.token, at);
        sent++;
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        const failed = (why: string) => {
          errors[why] = (errors[why] ?? 0) + 1;
          sentAt.delete(push.token);
        };
        requests.push(
          push.send().then(
            (status) => {
              inFlight--;
              if (status !== 200) return failed(`HTTP ${status}`);
              acknowledged++;
              toAck.push(performance.now() - at);
            },
            (err: unknown) => {
              inFlight--;
              const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
              failed(cause instanceof Error ? `${cause.name}: ${cause.message}`.slice(0, 80) : String(cause));
            },
          ),
        );
      }
      await sleep(1);
    }
    await Promise.all(requests);
    // Grace period for events still on their way; an acknowledged push not seen by then is lost.
    const graceEnd = performance.now() + 5000;
    while (toSocket.length < acknowledged && performance.now() < graceEnd) await sleep(10);
    onSeen = null;
    return {
      rate,
      seconds,
      stoppedEarlyAt,
      sent,
      acknowledged,
      errors: Object.values(errors).reduce((a, b) => a + b, 0),
      errorKinds: errors,
      lost: acknowledged - toSocket.length,
      pushToSocketMs: summarize(toSocket),
      pushToAckMs: summarize(toAck),
      senderLagMs: summarize(lag),
      maxInFlight,
    };
  };

  port.on("message", async (command: LoadCommand) => {
    if (command.type === "closed") {
      const result = await closedLoop(command.concurrency, command.seconds, pipelineOp(command.mix));
      port.postMessage({ id: command.id, result });
    } else if (command.type === "open") {
      port.postMessage({ id: command.id, result: await openLoop(command.rate, command.seconds) });
    } else {
      socket.close();
      port.postMessage({ id: command.id, result: null });
      port.close();
    }
  });
  port.postMessage({ ready: true });
}

/** The main thread's handle on the load generator. */
async function startLoadGenerator(init: LoadInit) {
  const worker = new Worker(new URL(import.meta.url), { workerData: init });
  const waiting = new Map<number, (result: unknown) => void>();
  let nextId = 1;
  let failure: unknown = null;
  worker.on("error", (err) => {
    failure = err;
    for (const resolve of waiting.values()) resolve(undefined);
  });
  await new Promise<void>((resolve, reject) => {
    worker.once("message", () => resolve());
    worker.once("error", reject);
  });
  worker.on("message", (m: { id: number; result: unknown }) => waiting.get(m.id)?.(m.result));
  const call = <T>(command: LoadRequest): Promise<T> => {
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, (result) => {
        waiting.delete(id);
        if (failure) reject(failure);
        else resolve(result as T);
      });
      worker.postMessage({ ...command, id });
    });
  };
  return {
    pushes: (concurrency: number, seconds: number, mix: Mix = "taobao") =>
      call<LoopResult>({ type: "closed", concurrency, seconds, mix }),
    steady: (rate: number, seconds: number) => call<LatencyResult>({ type: "open", rate, seconds }),
    stop: async () => {
      await call({ type: "stop" });
      await worker.terminate();
    },
  };
}

if (!isMainThread) {
  await loadGenerator(workerData as LoadInit);
} else {
  await main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}

// ---------------------------------------------------------------------------------------------
// the main thread: options, server, raw baseline, report

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      db: { type: "string", default: "both" },
      seconds: { type: "string", default: "5" },
      rate: { type: "string", default: "500" },
      "pglite-rate": { type: "string", default: "50" },
      concurrency: { type: "string", default: "32" },
      rounds: { type: "string", default: "3" },
      "pg-url": {
        type: "string",
        default: process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
      },
      simulator: { type: "boolean", default: true },
      help: { type: "boolean", short: "h", default: false },
    },
    allowNegative: true,
  });
  if (args.help) {
    console.log(
      "node bench/inbound.ts [--db pglite|postgres|both] [--seconds 5] [--rate 500[,…]] [--pglite-rate 50[,…]]\n" +
        "                      [--concurrency 32] [--rounds 3] [--pg-url postgres://postgres@127.0.0.1:5432/test]\n" +
        "                      [--no-simulator]",
    );
    return;
  }
  const positive = (name: string, value: string) => {
    const x = Number(value);
    if (!Number.isFinite(x) || x <= 0) throw new Error(`--${name} must be a positive number, got ${value}`);
    return x;
  };
  if (!["pglite", "postgres", "both"].includes(args.db)) throw new Error(`--db must be pglite, postgres or both`);
  const options: BenchOptions = {
    dbs: args.db === "both" ? ["pglite", "postgres"] : [args.db as DbKind],
    seconds: positive("seconds", args.seconds),
    rates: {
      postgres: args.rate.split(",").map((x) => positive("rate", x)),
      pglite: args["pglite-rate"].split(",").map((x) => positive("pglite-rate", x)),
    },
    concurrency: Math.round(positive("concurrency", args.concurrency)),
    rounds: Math.round(positive("rounds", args.rounds)),
    pgUrl: args["pg-url"],
    simulator: args.simulator,
  };

  const m = machine();
  console.log(`Yunxi inbound benchmark — ${new Date().toISOString()}`);
  console.log(`machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}`);
  console.log(`load average before the run: ${m.loadAverage.join(" ")} (the figures assume an otherwise idle machine)`);
  console.log(
    `settings: ${options.seconds} s per phase, ${options.rounds} rounds, ${options.concurrency} pushes in flight, ` +
      `latency at ${options.dbs.map((d) => `${options.rates[d].join(" and ")}/s on ${d}`).join(", ")}`,
  );
  let simulator: SimulatorCeiling | null = null;
  if (options.simulator) {
    console.log(`[simulator] pushing as fast as it can to a trivial receiver in another process…`);
    const { simulatorCeiling } = await import("./simulator-ceiling.ts");
    simulator = await simulatorCeiling({ seconds: options.seconds, maxInFlight: options.concurrency });
    console.log(
      `[simulator] ${simulator.perSecond} pushes/s acknowledged, all five marketplaces mixed; ` +
        `simulator CPU ${simulator.simulatorCpuMsPerPush} ms per push (${simulator.simulatorCores} cores), ` +
        `receiver ${simulator.receiverCores} cores`,
    );
  }
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
  if (results.length > 0) printTable(results, options, simulator);

  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "results");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `inbound-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  const pgUrl = new URL(options.pgUrl);
  if (pgUrl.password) pgUrl.password = "***";
  const report = {
    benchmark: "inbound",
    at: new Date().toISOString(),
    machine: m,
    options: { ...options, pgUrl: pgUrl.toString() },
    simulator,
    results,
    skipped,
  };
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`results: ${path.relative(process.cwd(), file)}`);
}

interface BenchOptions {
  dbs: DbKind[];
  seconds: number;
  rates: Record<DbKind, number[]>;
  concurrency: number;
  rounds: number;
  pgUrl: string;
  simulator: boolean;
}

/** The driver object underneath Drizzle: the PGlite instance or the pg.Pool; both answer `query(text, params)`. */
interface SqlClient {
  query(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  /** pg.Pool only. */
  on?(event: "error", listener: (err: Error) => void): unknown;
}

async function one<T>(client: SqlClient, text: string, params: unknown[] = []): Promise<T> {
  const { rows } = await client.query(text, params);
  return rows[0] as T;
}

/** Busy and total CPU time of the whole machine so far, summed over cores (ms). */
function machineCpu(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of os.cpus()) {
    const all = times.user + times.nice + times.sys + times.irq + times.idle;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

interface Load {
  /** Event-loop utilisation of the server's thread (1 = saturated). */
  serverLoop: number;
  /** CPU of this process (server, load generator, PGlite), in cores. */
  processCpu: number;
  /** CPU of the whole machine (this process, PostgreSQL, anything else running), in cores. */
  machineCpu: number;
}

/** Where the time goes while `work` runs: the server thread's event loop, this process's CPU, the machine's. */
async function observed<T>(work: Promise<T>): Promise<{ value: T; load: Load }> {
  const elu = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  const machine0 = machineCpu();
  const started = performance.now();
  const value = await work;
  const wall = (performance.now() - started) * 1000;
  const used = process.cpuUsage(cpu);
  const machine1 = machineCpu();
  const cores = os.cpus().length;
  return {
    value,
    load: {
      serverLoop: round2(performance.eventLoopUtilization(elu).utilization),
      processCpu: round2((used.user + used.system) / wall),
      machineCpu: round2(((machine1.busy - machine0.busy) / (machine1.total - machine0.total)) * cores),
    },
  };
}

type Round = LoopResult & Load;

interface DbResult {
  db: DbKind;
  version: string;
  settings: Record<string, string>;
  raw: { rounds: Round[]; median: number; how: string };
  pipeline: { rounds: Round[]; median: number; waits?: Record<string, number> };
  /** The same closed loop with pushes of all five marketplaces. */
  mixed: { rounds: Round[]; median: number };
  ratio: number;
  mixedRatio: number;
  stored: { acknowledged: number; messagesInDb: number; conversations: number };
  latency: LatencyResult[];
}

async function benchDatabase(kind: DbKind, options: BenchOptions): Promise<DbResult> {
  const { allMarketplaceStoreConfigs, seedDemoOrg } = await import("../apps/server/src/cli/seed-demo.ts");
  const { createServer } = await import("../apps/server/src/main.ts");
  const { loadConfig } = await import("../apps/server/src/platform/config.ts");

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "yunxi-bench-"));
  const pgDb = kind === "postgres" ? await freshPostgresDatabase(options.pgUrl) : undefined;
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
  let load: Awaited<ReturnType<typeof startLoadGenerator>> | undefined;
  let sampler: WaitSampler | undefined;
  try {
    const url = await server.listen();
    // Inbound needs no gateway: nothing is sent back to the platform in this benchmark.
    // Every marketplace: two Taobao stores and one each of JD, Pinduoduo, Douyin and Kuaishou, created
    // through the stores service as an admin would.
    const demo = await seedDemoOrg(server.ctx, {
      gatewayUrl: "http://127.0.0.1:9",
      stores: allMarketplaceStoreConfigs(),
    });
    const client = (server.ctx.db as unknown as { $client: SqlClient }).$client;
    // The server's pool has no "error" listener: a connection terminated while idle (as DROP DATABASE … FORCE
    // does at teardown) would otherwise crash the process. Reported as a server issue; tolerated here.
    client.on?.("error", () => {});
    const { version } = await one<{ version: string }>(client, "SELECT version()");
    const settings: Record<string, string> = {};
    for (const name of ["fsync", "synchronous_commit", "shared_buffers"]) {
      settings[name] = String(Object.values(await one<Record<string, string>>(client, `SHOW ${name}`))[0]);
    }
    console.log(`[${kind}] ${version}`);
    await client.query(
      "CREATE TABLE bench_raw (id uuid PRIMARY KEY, org_id uuid NOT NULL, body text NOT NULL, created_at timestamptz NOT NULL)",
    );
    const rawOp = async () => {
      await client.query("INSERT INTO bench_raw (id, org_id, body, created_at) VALUES ($1, $2, $3, now())", [
        randomUUID(),
        demo.orgId,
        `${PHRASES[0]} #raw`,
      ]);
      return true;
    };

    load = await startLoadGenerator({
      url,
      cookie: await login(url, demo.logins.find((l) => l.email.startsWith(`${AGENT}@`))!),
      stores: demo.stores.map((s): SimStore => ({ ...s, signMethod: "hmac-sha256" })),
      runId: randomBytes(3).toString("hex"),
    });
    const loadGen = load;

    // Warm-up: every buyer's identity and conversation exists; JIT, caches and connections are warm.
    let acknowledged = (await loadGen.pushes(options.concurrency, 1.5)).ok;
    acknowledged += (await loadGen.pushes(options.concurrency, 1.5, "all")).ok;
    await closedLoop(options.concurrency, 0.5, rawOp);

    sampler = kind === "postgres" ? await startWaitSampler(pgDb!.url) : undefined;
    const raw: Round[] = [];
    const pipeline: Round[] = [];
    const mixed: Round[] = [];
    for (let r = 1; r <= options.rounds; r++) {
      const a = await observed(closedLoop(options.concurrency, options.seconds, rawOp));
      raw.push({ ...a.value, ...a.load });
      sampler?.resume();
      const b = await observed(loadGen.pushes(options.concurrency, options.seconds));
      sampler?.pause();
      pipeline.push({ ...b.value, ...b.load });
      acknowledged += b.value.ok;
      const c = await observed(loadGen.pushes(options.concurrency, options.seconds, "all"));
      mixed.push({ ...c.value, ...c.load });
      acknowledged += c.value.ok;
      const failed = (x: LoopResult) => (x.failed ? ` (${x.failed} failed)` : "");
      console.log(
        `[${kind}] round ${r}/${options.rounds}: raw ${a.value.perSecond} INSERT/s, ` +
          `pipeline ${b.value.perSecond} pushes/s${failed(b.value)}, mixed ${c.value.perSecond}/s${failed(c.value)}; ` +
          `server loop ${Math.round(b.load.serverLoop * 100)}% busy, CPU ${b.load.processCpu} cores (process) ` +
          `${b.load.machineCpu} (machine)`,
      );
    }
    const counts = await one<{ messages: string | number; conversations: string | number }>(
      client,
      `SELECT (SELECT count(*) FROM messages WHERE org_id = $1) AS messages,
              (SELECT count(*) FROM conversations WHERE org_id = $1) AS conversations`,
      [demo.orgId],
    );

    const rawMedian = median(raw.map((x) => x.perSecond));
    const pipelineMedian = median(pipeline.map((x) => x.perSecond));
    const mixedMedian = median(mixed.map((x) => x.perSecond));
    const latency: LatencyResult[] = [];
    for (const rate of options.rates[kind]) {
      const over = rate > pipelineMedian ? ` — above the ${pipelineMedian}/s measured, a queue may build` : "";
      console.log(`[${kind}] latency: ${rate} pushes/s for ${options.seconds} s, open loop${over}…`);
      latency.push(await loadGen.steady(rate, options.seconds));
    }
    return {
      db: kind,
      version,
      settings,
      raw: {
        rounds: raw,
        median: rawMedian,
        how:
          kind === "postgres"
            ? `${options.concurrency} callers, each INSERT after INSERT, over the server's pg.Pool (max 20 connections)`
            : `${options.concurrency} callers over the server's single PGlite instance (which runs one statement at a time)`,
      },
      pipeline: {
        rounds: pipeline,
        median: pipelineMedian,
        ...(sampler && { waits: sampler.summary() }),
      },
      mixed: { rounds: mixed, median: mixedMedian },
      ratio: round2(pipelineMedian / rawMedian),
      mixedRatio: round2(mixedMedian / rawMedian),
      stored: {
        acknowledged,
        messagesInDb: Number(counts.messages),
        conversations: Number(counts.conversations),
      },
      latency,
    };
  } finally {
    await sampler?.stop();
    await load?.stop();
    await server.close();
    await pgDb?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function login(url: string, account: { email: string; password: string }): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: account.email, password: account.password }),
  });
  if (res.status !== 200) throw new Error(`login ${account.email}: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("yunxi_session="));
  if (!cookie) throw new Error("login set no session cookie");
  return cookie.split(";")[0]!;
}

interface WaitSampler {
  resume(): void;
  pause(): void;
  /** Mean number of the server's backends in each state while sampling, e.g. `Lock:advisory`, `CPU`. */
  summary(): Record<string, number>;
  stop(): Promise<void>;
}

/** PostgreSQL only: samples pg_stat_activity every 20 ms on a connection of its own, to show what pushes wait on. */
async function startWaitSampler(url: string): Promise<WaitSampler> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
  const own = rows[0]!.pid;
  const totals = new Map<string, number>();
  let samples = 0;
  let active = false;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      if (active) {
        const { rows: states } = await client.query<{ state: string; n: string }>(
          `SELECT CASE WHEN state = 'active' THEN coalesce(wait_event_type || ':' || wait_event, 'CPU')
                       ELSE state END AS state, count(*) AS n
             FROM pg_stat_activity
            WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> $1
            GROUP BY 1`,
          [own],
        );
        samples++;
        for (const s of states) totals.set(s.state, (totals.get(s.state) ?? 0) + Number(s.n));
      }
      await sleep(20);
    }
  })();
  return {
    resume: () => {
      active = true;
    },
    pause: () => {
      active = false;
    },
    summary: () =>
      Object.fromEntries(
        [...totals].map(([state, n]) => [state, round2(n / Math.max(1, samples))] as const).sort((a, b) => b[1] - a[1]),
      ),
    stop: async () => {
      stopped = true;
      await loop;
      await client.end();
    },
  };
}

function printTable(results: DbResult[], options: BenchOptions, simulator: SimulatorCeiling | null): void {
  const dist = (d: Distribution) => `${d.p50} / ${d.p95} / ${d.p99} / ${d.max}`;
  const rows: [string, (r: DbResult) => string][] = [
    ["database", (r) => r.version.split(/ on | \(Debian/)[0]!],
    ["fsync / synchronous_commit", (r) => `${r.settings.fsync} / ${r.settings.synchronous_commit}`],
    [`raw single-row INSERT/s (median of ${options.rounds})`, (r) => String(r.raw.median)],
    [`pipeline pushes/s (median of ${options.rounds})`, (r) => String(r.pipeline.median)],
    ["pipeline / raw (aim ≥ 0.5)", (r) => r.ratio.toFixed(2)],
    ["pipeline: server loop busy / CPU process / machine", (r) => serverLoad(r.pipeline.rounds)],
    [`mixed marketplaces pushes/s (median of ${options.rounds})`, (r) => String(r.mixed.median)],
    ["mixed / raw", (r) => r.mixedRatio.toFixed(2)],
    ["mixed: server loop busy / CPU process / machine", (r) => serverLoad(r.mixed.rounds)],
    ["acknowledged = stored?", (r) => `${r.stored.acknowledged} acks, ${r.stored.messagesInDb} rows`],
  ];
  const phases = Math.max(...results.map((r) => r.latency.length));
  for (let i = 0; i < phases; i++) {
    const at = (f: (l: LatencyResult, r: DbResult) => string) => (r: DbResult) => {
      const l = r.latency[i];
      return l ? f(l, r) : "—";
    };
    rows.push(
      [
        "latency phase: rate, open loop",
        at((l, r) => {
          if (l.stoppedEarlyAt !== null) return `${l.rate}/s, over capacity: stopped at ${l.stoppedEarlyAt} s`;
          return `${l.rate}/s × ${l.seconds} s${l.rate > r.pipeline.median ? " (above measured throughput)" : ""}`;
        }),
      ],
      ["push → socket p50 / p95 / p99 / max ms", at((l) => dist(l.pushToSocketMs))],
      ["push → ack p50 / p95 / p99 / max ms", at((l) => dist(l.pushToAckMs))],
      [
        "lost / errors",
        at((l) => {
          const kinds = Object.entries(l.errorKinds).map(([k, n]) => `${n}× ${k}`);
          return `${l.lost} / ${l.errors}${kinds.length ? ` (${kinds.join(", ")})` : ""}`;
        }),
      ],
      ["sender lag p99 ms, max in flight", at((l) => `${l.senderLagMs.p99}, ${l.maxInFlight}`)],
    );
  }
  const width0 = Math.max(...rows.map(([label]) => label.length));
  const cells = rows.map(([label, f]) => [label, ...results.map(f)]);
  const widths = results.map((_, i) => Math.max(...cells.map((c) => c[i + 1]!.length)));
  const line = (c: string[]) =>
    `  ${c[0]!.padEnd(width0)} │ ${c
      .slice(1)
      .map((x, i) => x.padEnd(widths[i]!))
      .join(" │ ")}`;
  console.log();
  console.log(line(["", ...results.map((r) => r.db)]));
  console.log(`  ${"─".repeat(width0)}─┼─${widths.map((w) => "─".repeat(w)).join("─┼─")}`);
  for (const c of cells) console.log(line(c));
  if (simulator) {
    console.log(
      `  simulator alone (all five marketplaces, ${simulator.maxInFlight} in flight, trivial receiver in another ` +
        `process): ${simulator.perSecond} pushes/s`,
    );
  }
  for (const r of results) {
    if (r.pipeline.waits) {
      const waits = Object.entries(r.pipeline.waits).map(([state, n]) => `${state} ${n}`);
      console.log(`  ${r.db} backends during the pipeline phase (mean count by state): ${waits.join(", ")}`);
    }
  }
  console.log();
}

function serverLoad(rounds: Round[]): string {
  const loop = median(rounds.map((r) => r.serverLoop));
  const cpu = median(rounds.map((r) => r.processCpu));
  const all = median(rounds.map((r) => r.machineCpu));
  return `${Math.round(loop * 100)}% / ${cpu} / ${all} of ${os.cpus().length}`;
}
