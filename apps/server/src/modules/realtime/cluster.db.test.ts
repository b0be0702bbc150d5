import { randomBytes } from "node:crypto";
import { type RealtimeEvent, realtimeChannel } from "@yunxi/contracts";
import { createSimulator, type Simulator } from "@yunxi/marketplaces/simulator";
import { Redis } from "ioredis";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../../../test/api-client.ts";
import {
  freshPostgresDatabase,
  postgresAvailable,
  startTestServer,
  type TestServer,
  testDb,
} from "../../../test/harness.ts";
import { waitFor } from "../../../test/wait.ts";
import { type DemoSeed, demoStoreConfigs, seedDemoOrg } from "../../cli/seed-demo.ts";

const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

async function redisAvailable(): Promise<boolean> {
  const client = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 1500, maxRetriesPerRequest: 0 });
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch (err) {
    if (process.env.CI) throw new Error(`Redis is required in CI but not reachable at ${redisUrl}: ${err}`);
    console.warn(`SKIPPED: Redis not reachable at ${redisUrl} (${err}); set TEST_REDIS_URL to run the cluster test.`);
    return false;
  } finally {
    client.disconnect();
  }
}

// Several nodes need a shared database: this runs in the PostgreSQL pass only (PGlite is single-process).
const run = testDb === "postgres" && (await postgresAvailable()) && (await redisAvailable());

describe.runIf(run)("two server nodes behind one PostgreSQL and Redis", () => {
  let db: Awaited<ReturnType<typeof freshPostgresDatabase>>;
  let nodeA: TestServer;
  let nodeB: TestServer;
  let sim: Simulator;
  let demo: DemoSeed;

  beforeAll(async () => {
    db = await freshPostgresDatabase();
    const env = { DATABASE_URL: db.url, REDIS_URL: redisUrl, SECRET_KEY: randomBytes(32).toString("hex") };
    nodeA = await startTestServer({ env });
    nodeB = await startTestServer({ env });
    const stores = demoStoreConfigs();
    sim = createSimulator({ port: 0, seed: 3, stores, pushRetryMs: 200 });
    await sim.start();
    demo = await seedDemoOrg(nodeA.server.ctx, { gatewayUrl: sim.url, stores });
    sim.setYunxiUrl(nodeA.url); // pushes land on node A only
  });
  afterAll(async () => {
    await sim?.stop();
    await nodeA?.close();
    await nodeB?.close();
    await db?.drop();
  });

  it("delivers a push received by node A to an agent connected to node B, with one session for both", async () => {
    const login = demo.logins.find((l) => l.email.startsWith("agent1@"))!;
    const agent = await new ApiClient(nodeA.url).login(login.email, login.password);
    const events: RealtimeEvent[] = [];
    const socket = io(nodeB.url, {
      transports: ["websocket"],
      extraHeaders: { cookie: agent.cookie },
      reconnection: false,
    });
    socket.on(realtimeChannel.event, (e: RealtimeEvent) => events.push(e));
    await new Promise((resolve) => socket.once(realtimeChannel.synced, resolve));
    sim.say({ storeKey: demo.stores[0]!.storeKey, buyerNick: "tb_跨节点", text: "跨节点能收到吗" });
    const event = await waitFor("event on node B", () => events.find((e) => e.type === "message.created"));
    expect(event.type === "message.created" && event.message.body).toBe("跨节点能收到吗");
    // The session made on node A is valid on node B: nothing lives in one node's memory.
    const onB = new ApiClient(nodeB.url);
    onB.cookie = agent.cookie;
    expect((await onB.get("/api/auth/me")).status).toBe(200);
    socket.close();
  });
});
