import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import type { InboundEvent } from "../adapter.ts";
import { taobaoAdapter } from "../taobao/adapter.ts";
import { createSimulator, type Simulator } from "./simulator.ts";

// The simulator pushing to a tiny stand-in for Yunxi that verifies each push with the adapter.

const store = {
  platform: "taobao" as const,
  storeKey: "tb-push-test",
  name: "旗舰店",
  sellerId: "云席测试店",
  appKey: "tb-app-push",
  appSecret: "push-secret",
  accessToken: "push-session",
};
const credentials = { appKey: store.appKey, appSecret: store.appSecret };

type MessageEvent = Extract<InboundEvent, { kind: "message" }>;
const messagesOf = (events: InboundEvent[]) => events.filter((e): e is MessageEvent => e.kind === "message");

interface Receiver {
  app: FastifyInstance;
  url: string;
  /** Every verified buyer message, in arrival order (duplicates included). */
  events: MessageEvent[];
  refusals: string[];
  msgIdsSeen: string[];
}

/** Answers 500 to the first `failFirst` pushes, then verifies and acknowledges. */
async function startReceiver(failFirst = 0, port = 0): Promise<Receiver> {
  const app = Fastify();
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => done(null, body));
  const receiver: Receiver = { app, url: "", events: [], refusals: [], msgIdsSeen: [] };
  let calls = 0;
  app.post("/connect/taobao/:storeKey", async (request, reply) => {
    const query = request.query as Record<string, string>;
    const verified = taobaoAdapter.verifyPush(
      { headers: request.headers as Record<string, string>, query, rawBody: request.body as string },
      credentials,
      new Date(),
    );
    if (!verified.ok) {
      receiver.refusals.push(verified.reason);
      return reply.code(401).send({ error: verified.reason });
    }
    receiver.msgIdsSeen.push(...messagesOf(verified.events).map((e) => e.platformMessageId));
    if (++calls <= failFirst) return reply.code(500).send({ error: "not stored" });
    receiver.events.push(...messagesOf(verified.events));
    const ack = taobaoAdapter.acknowledgePush();
    return reply.code(ack.status).type(ack.contentType).send(ack.body);
  });
  await app.listen({ port, host: "127.0.0.1" });
  const address = app.server.address();
  receiver.url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : port}`;
  return receiver;
}

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of cleanup.splice(0)) await close();
});

async function startSim(
  options: { yunxiUrl?: string; seed?: number; ratePerMinute?: number } = {},
): Promise<Simulator> {
  const sim = createSimulator({ port: 0, stores: [store], pushRetryMs: 50, pushTimeoutMs: 1000, ...options });
  await sim.start();
  cleanup.push(() => sim.stop());
  return sim;
}

describe("simulator pushes", () => {
  it("pushes injected messages that verify with the adapter", async () => {
    const receiver = await startReceiver();
    cleanup.push(() => receiver.app.close());
    const sim = await startSim({ yunxiUrl: receiver.url });
    const said = sim.say({ storeKey: store.storeKey, buyerNick: "tb_橘子爱吃瓜", text: "这件羽绒服有黑色L码吗？" });
    expect(await sim.settled(5000)).toBe(true);
    expect(receiver.refusals).toEqual([]);
    expect(receiver.events).toEqual([
      expect.objectContaining({
        platformMessageId: said?.msgId,
        buyer: { platformBuyerId: "tb_橘子爱吃瓜", displayName: "tb_橘子爱吃瓜" },
        content: { type: "text", text: "这件羽绒服有黑色L码吗？" },
      }),
    ]);
    const [record] = sim.pushes({ storeKey: store.storeKey });
    expect(record).toMatchObject({ msgId: said?.msgId, attempts: 1, lastError: null });
    expect(record?.ackedAt).not.toBeNull();
  });

  it("retries unacknowledged pushes with the same msg_id until they are acknowledged", async () => {
    const receiver = await startReceiver(3);
    cleanup.push(() => receiver.app.close());
    const sim = await startSim({ yunxiUrl: receiver.url });
    const said = sim.say({ storeKey: store.storeKey, text: "什么时候发货？" });
    expect(await sim.settled(5000)).toBe(true);
    expect(receiver.msgIdsSeen).toEqual(Array(4).fill(said?.msgId));
    expect(receiver.events.map((e) => e.platformMessageId)).toEqual([said?.msgId]);
    expect(sim.pushes()[0]).toMatchObject({ attempts: 4, lastError: null });
  });

  it("keeps pushing while Yunxi is down and delivers once it is back", async () => {
    // Find a free port, then leave nothing listening on it.
    const probe = await startReceiver();
    const port = Number(new URL(probe.url).port);
    await probe.app.close();

    const sim = await startSim({ yunxiUrl: `http://127.0.0.1:${port}` });
    const ids = [1, 2, 3].map((n) => sim.say({ storeKey: store.storeKey, text: `第${n}个问题` })?.msgId);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const waiting = sim.pushes();
    expect(waiting.every((p) => p.ackedAt === null && p.attempts >= 2 && p.lastError !== null)).toBe(true);
    expect(sim.state().counts).toMatchObject({ pushes: 3, acked: 0, pending: 3 });

    const receiver = await startReceiver(0, port);
    cleanup.push(() => receiver.app.close());
    expect(await sim.settled(5000)).toBe(true);
    expect(receiver.events.map((e) => e.platformMessageId).sort()).toEqual([...ids].sort());
    expect(receiver.refusals).toEqual([]);
  });

  it("generates seeded Chinese buyer traffic at the configured rate", async () => {
    const receiver = await startReceiver();
    cleanup.push(() => receiver.app.close());
    const sim = await startSim({ yunxiUrl: receiver.url, ratePerMinute: 6000, seed: 42 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    sim.setRate(0);
    expect(await sim.settled(5000)).toBe(true);
    const pushes = sim.pushes();
    expect(pushes.length).toBeGreaterThan(10);
    expect(pushes.every((p) => /[\u4e00-\u9fff]/.test(p.text))).toBe(true);
    expect(receiver.events).toHaveLength(pushes.length);
    expect(receiver.refusals).toEqual([]);

    // Same seed, same world and the same questions in the same order.
    const twin = await startSim({ ratePerMinute: 6000, seed: 42 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    twin.setRate(0);
    const twinTexts = twin.pushes().map((p) => `${p.buyerNick}:${p.text}`);
    expect(twinTexts.length).toBeGreaterThan(5);
    expect(pushes.map((p) => `${p.buyerNick}:${p.text}`).slice(0, twinTexts.length)).toEqual(
      twinTexts.slice(0, pushes.length),
    );
  });
});

describe("seeding", () => {
  it("builds the same stores, buyers, products and orders from the same seed", () => {
    const world = (seed: number) => {
      const sim = createSimulator({ stores: [store], seed });
      return sim
        .buyers()
        .map((b) => `${b.nick}:${b.orders.map((o) => `${o.orderId}/${o.title}/${o.amountCents}/${o.status}`)}`);
    };
    expect(world(42)).toEqual(world(42));
    expect(world(42)).not.toEqual(world(43));
    expect(world(42).some((b) => b.includes("/"))).toBe(true);
  });
});

describe("control API", () => {
  it("drives the simulator over HTTP", async () => {
    const sim = await startSim();
    const api = (path: string, init?: { method: string; body?: unknown }) =>
      fetch(`${sim.url}/sim/api/${path}`, {
        method: init?.method ?? "GET",
        ...(init?.body === undefined
          ? {}
          : { headers: { "content-type": "application/json" }, body: JSON.stringify(init.body) }),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

    const state = await api("state");
    expect(state.body).toMatchObject({ seed: 1, ratePerMinute: 0, stores: [{ storeKey: store.storeKey }] });
    expect(JSON.stringify(state.body)).not.toContain(store.appSecret);

    expect((await api("rate", { method: "PUT", body: { ratePerMinute: 12 } })).body).toEqual({ ratePerMinute: 12 });
    expect((await api("stop-traffic", { method: "POST" })).body).toEqual({ ratePerMinute: 0 });

    const said = await api("say", {
      method: "POST",
      body: { storeKey: store.storeKey, buyerNick: "tb_阿狸", text: "在吗" },
    });
    expect(said.body).toMatchObject({ buyerNick: "tb_阿狸", msgId: expect.any(String) });
    expect((await api("say", { method: "POST", body: { storeKey: "nope", text: "在吗" } })).status).toBe(404);
    expect((await api("say", { method: "POST", body: { storeKey: store.storeKey } })).status).toBe(400);

    // No Yunxi URL yet: the message is recorded and waits.
    const pushes = await api(`pushes?storeKey=${store.storeKey}`);
    expect(pushes.body.pushes).toEqual([
      expect.objectContaining({ msgId: said.body.msgId, attempts: 0, ackedAt: null }),
    ]);

    expect((await api("faults", { method: "POST", body: { failNextSends: 2, down: true } })).body).toEqual({
      faults: { failNextSends: 2, latencyMs: 0, down: true },
    });
    expect((await fetch(`${sim.url}/router/rest`, { method: "POST" })).status).toBe(503);
    expect((await api("faults", { method: "DELETE" })).body).toEqual({
      faults: { failNextSends: 0, latencyMs: 0, down: false },
    });
    expect((await api("replies?buyerNick=tb_阿狸")).body).toEqual({ replies: [] });

    const page = await fetch(`${sim.url}/sim/`);
    expect(page.headers.get("content-type")).toContain("text/html");
  });
});
