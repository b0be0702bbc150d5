import type { PlatformId } from "@yunxi/contracts";
import Fastify, { type FastifyInstance } from "fastify";
import { registerControlApi } from "./control-api.ts";
import { controlPageHtml } from "./control-page.ts";
import { createFaults, type FaultState } from "./faults.ts";
import { type SimStore, SimStoreConfig, type SimulatorOptions } from "./options.ts";
import type { BuyerMessage, GatewayRequest, PlatformPersonality } from "./personality.ts";
import { createRng, deriveSeed } from "./prng.ts";
import { createPushQueue, type PushRecord } from "./push-queue.ts";
import { taobaoPersonality } from "./taobao/index.ts";
import { createTraffic } from "./traffic.ts";
import { createWorld, type ReceivedReply, type SimOrder, type World } from "./world.ts";

/** The platforms the simulator can play; one personality each. */
export const personalities: Partial<Record<PlatformId, PlatformPersonality>> = {
  taobao: taobaoPersonality,
};

export interface SimulatorState {
  url: string | null;
  seed: number;
  yunxiUrl: string | null;
  ratePerMinute: number;
  faults: FaultState;
  stores: Array<{ platform: PlatformId; storeKey: string; name: string; sellerId: string; appKey: string }>;
  counts: {
    buyers: number;
    products: number;
    orders: number;
    pushes: number;
    acked: number;
    pending: number;
    replies: number;
  };
}

export interface Simulator {
  /** Base URL once started, e.g. `http://127.0.0.1:41234`: the stores' gatewayUrl. */
  readonly url: string;
  readonly port: number;
  readonly world: World;
  start(): Promise<void>;
  stop(): Promise<void>;
  state(): SimulatorState;
  setRate(ratePerMinute: number): void;
  setYunxiUrl(yunxiUrl: string | undefined): void;
  /** A buyer says something now (created if new); pushed like generated traffic. Undefined for an unknown store. */
  say(input: {
    storeKey: string;
    buyerNick?: string | undefined;
    text: string;
  }): { msgId: string; buyerNick: string } | undefined;
  pushes(filter?: { storeKey?: string | undefined }): PushRecord[];
  replies(filter?: { storeKey?: string | undefined; buyerNick?: string | undefined }): ReceivedReply[];
  buyers(filter?: { storeKey?: string | undefined }): Array<{ platform: PlatformId; nick: string; orders: SimOrder[] }>;
  setFaults(change: Partial<FaultState>): FaultState;
  clearFaults(): FaultState;
  /** True once every push so far is acknowledged; false after timeoutMs. */
  settled(timeoutMs?: number): Promise<boolean>;
}

function validateStores(configs: SimulatorOptions["stores"]): SimStore[] {
  const stores = configs.map((c) => SimStoreConfig.parse(c));
  const secrets = new Map<string, string>();
  for (const store of stores) {
    if (!personalities[store.platform]) throw new Error(`the simulator cannot play ${store.platform} yet`);
    if (stores.filter((s) => s.storeKey === store.storeKey).length > 1) {
      throw new Error(`duplicate storeKey ${store.storeKey}`);
    }
    // One app (app_key) serves many sellers, but it has one secret.
    const appId = `${store.platform}:${store.appKey}`;
    if ((secrets.get(appId) ?? store.appSecret) !== store.appSecret) {
      throw new Error(`stores sharing app_key ${store.appKey} must share its secret`);
    }
    secrets.set(appId, store.appSecret);
  }
  return stores;
}

function firstValues(input: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries((input ?? {}) as Record<string, unknown>)) {
    const v = Array.isArray(value) ? value[0] : value;
    if (typeof v === "string") out[key] = v;
  }
  return out;
}

export function createSimulator(options: SimulatorOptions): Simulator {
  const seed = options.seed ?? 1;
  const now = options.now ?? (() => new Date());
  const stores = validateStores(options.stores);
  const world = createWorld(stores, {
    rng: createRng(deriveSeed(seed, 1)),
    now,
    buyersPerStore: options.buyersPerStore ?? 20,
  });
  const sayRng = createRng(deriveSeed(seed, 3));
  const faults = createFaults();
  const personalityOf = (platform: PlatformId) => personalities[platform] as PlatformPersonality;

  const pushQueue = createPushQueue(
    {
      encode: (message, attemptAt) =>
        personalityOf(message.platform).encodePush(world.store(message.storeKey) as SimStore, message, attemptAt),
      retryMs: options.pushRetryMs ?? 1000,
      timeoutMs: options.pushTimeoutMs ?? 5000,
      maxInFlight: options.maxPushesInFlight ?? 16,
      now,
    },
    options.yunxiUrl,
  );

  let envelopeSeq = Math.floor(now().getTime() / 1000) * 1_000_000;
  const emit = (store: SimStore, buyerNick: string, text: string): BuyerMessage => {
    const message: BuyerMessage = {
      msgId: world.nextId(),
      envelopeId: ++envelopeSeq,
      platform: store.platform,
      storeKey: store.storeKey,
      buyerNick,
      text,
      createdAt: now(),
    };
    pushQueue.enqueue(message);
    return message;
  };

  const traffic = createTraffic({ world, rng: createRng(deriveSeed(seed, 2)), ratePerMinute: 0, emit });
  let desiredRate = options.ratePerMinute ?? 0;
  let app: FastifyInstance | undefined;
  let address: { url: string; port: number } | undefined;

  function buildApp(): FastifyInstance {
    const fastify = Fastify({ logger: options.logger ?? false });
    // TOP and its peers take form-encoded POSTs; Fastify parses only JSON by itself.
    fastify.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    const platforms = [...new Set(stores.map((s) => s.platform))];
    for (const platform of platforms) {
      for (const route of personalityOf(platform).gatewayRoutes({ world, now })) {
        fastify.route({
          method: route.method,
          url: route.url,
          handler: async (request, reply) => {
            const injected = await faults.apply();
            const gatewayRequest: GatewayRequest = {
              query: firstValues(request.query),
              form: firstValues(request.body),
              headers: request.headers as Record<string, string | undefined>,
            };
            const response = injected ?? route.handle(gatewayRequest);
            return reply.code(response.status).send(response.body);
          },
        });
      }
    }
    registerControlApi(fastify, sim);
    fastify.get("/sim/", async (_request, reply) => reply.type("text/html; charset=utf-8").send(controlPageHtml));
    fastify.get("/sim", async (_request, reply) => reply.redirect("/sim/"));
    return fastify;
  }

  const sim: Simulator = {
    get url() {
      if (!address) throw new Error("simulator not started");
      return address.url;
    },
    get port() {
      if (!address) throw new Error("simulator not started");
      return address.port;
    },
    world,
    async start() {
      if (app) return;
      app = buildApp();
      await app.listen({ port: options.port ?? 0, host: options.host ?? "127.0.0.1" });
      const info = app.server.address();
      const port = typeof info === "object" && info ? info.port : (options.port ?? 0);
      const host = options.host ?? "127.0.0.1";
      address = { port, url: `http://${host.includes(":") ? `[${host}]` : host}:${port}` };
      traffic.setRate(desiredRate);
    },
    async stop() {
      traffic.stop();
      pushQueue.stop();
      await app?.close();
      app = undefined;
    },
    state() {
      const counts = pushQueue.counts();
      return {
        url: address?.url ?? null,
        seed,
        yunxiUrl: pushQueue.target() ?? null,
        ratePerMinute: desiredRate,
        faults: faults.state(),
        stores: stores.map(({ platform, storeKey, name, sellerId, appKey }) => ({
          platform,
          storeKey,
          name,
          sellerId,
          appKey,
        })),
        counts: {
          buyers: [...new Set(stores.map((s) => s.platform))].reduce((n, p) => n + world.buyers(p).length, 0),
          products: stores.reduce((n, s) => n + world.products(s.storeKey).length, 0),
          orders: stores.reduce((n, s) => n + world.orders(s.storeKey).length, 0),
          pushes: counts.total,
          acked: counts.acked,
          pending: counts.pending,
          replies: world.replies.length,
        },
      };
    },
    setRate(ratePerMinute) {
      desiredRate = Math.max(0, ratePerMinute);
      if (app) traffic.setRate(desiredRate);
    },
    setYunxiUrl: (yunxiUrl) => pushQueue.setTarget(yunxiUrl),
    say({ storeKey, buyerNick, text }) {
      const store = world.store(storeKey);
      if (!store) return undefined;
      const buyer = buyerNick ? world.ensureBuyer(store.platform, buyerNick) : world.newBuyer(store.platform, sayRng);
      return { msgId: emit(store, buyer.nick, text).msgId, buyerNick: buyer.nick };
    },
    pushes: (filter) => pushQueue.records(filter),
    replies: (filter) =>
      world.replies.filter(
        (r) =>
          (filter?.storeKey === undefined || r.storeKey === filter.storeKey) &&
          (filter?.buyerNick === undefined || r.buyerNick === filter.buyerNick),
      ),
    buyers(filter) {
      const chosen = filter?.storeKey ? stores.filter((s) => s.storeKey === filter.storeKey) : stores;
      return chosen.flatMap((store) => {
        const orders = world.orders(store.storeKey);
        return world
          .buyers(store.platform)
          .map((b) => ({ platform: b.platform, nick: b.nick, orders: orders.filter((o) => o.buyerNick === b.nick) }));
      });
    },
    setFaults: (change) => faults.set(change),
    clearFaults: () => faults.clear(),
    settled: (timeoutMs = 10_000) => pushQueue.settled(timeoutMs),
  };
  return sim;
}
