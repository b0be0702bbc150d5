import type { PlatformId } from "@yunxi/contracts";
import Fastify, { type FastifyInstance } from "fastify";
import { createBuyers } from "./buyers/behaviour.ts";
import {
  type BuyerRecord,
  createBuyerRecord,
  type DetailedSessionRow,
  type RecordRange,
  type RecordSummary,
} from "./buyers/record.ts";
import { registerControlApi } from "./control-api.ts";
import { controlPageHtml } from "./control-page.ts";
import { douyinPersonality } from "./douyin/index.ts";
import { createFaults, type FaultState } from "./faults.ts";
import { jdPersonality } from "./jd/index.ts";
import { kuaishouPersonality } from "./kuaishou/index.ts";
import { type SimStore, SimStoreConfig, type SimulatorOptions } from "./options.ts";
import { createLifecycle } from "./orders/lifecycle.ts";
import { pddPersonality } from "./pdd/index.ts";
import type { BuyerMessage, GatewayRequest, GatewayRoute, PlatformPersonality, SimEvent } from "./personality.ts";
import { createRng, deriveSeed } from "./prng.ts";
import { createProfileControl, type MixChange, type ProfileName, type ProfileNow } from "./profiles.ts";
import { createPushQueue, type PushKind, type PushRecord } from "./push-queue.ts";
import { createScheduler } from "./scheduler.ts";
import { taobaoPersonality } from "./taobao/index.ts";
import { createTraffic } from "./traffic.ts";
import { createWorld, type ReceivedReply, type SendCall, type SimOrder, type World } from "./world.ts";

/** The platforms the simulator can play; one personality each. */
export const personalities: Partial<Record<PlatformId, PlatformPersonality>> = {
  taobao: taobaoPersonality,
  jd: jdPersonality,
  pdd: pddPersonality,
  douyin: douyinPersonality,
  kuaishou: kuaishouPersonality,
};

export interface SimulatorState {
  url: string | null;
  seed: number;
  yunxiUrl: string | null;
  /** Base rate (new buyer visits per minute) before the profile's multiplier. */
  ratePerMinute: number;
  /** The rate in effect now: base × the profile phase's multiplier. */
  effectiveRatePerMinute: number;
  /** Simulated time per real time for orders, parcels and profiles. */
  timeScale: number;
  /** How much faster than real buyers lose patience and type. */
  patienceScale: number;
  profile: ProfileNow;
  faults: FaultState;
  stores: Array<{ platform: PlatformId; storeKey: string; name: string; sellerId: string; appKey: string }>;
  counts: {
    buyers: number;
    products: number;
    orders: number;
    /** Every push queued, all kinds. */
    pushes: number;
    acked: number;
    pending: number;
    pushesInFlight: number;
    pushAttempts: number;
    failedPushAttempts: number;
    pushesByKind: Record<PushKind, number>;
    /** Order changes, read receipts and evaluations that happened (pushed or not: see `events`). */
    events: number;
    replies: number;
    sendCalls: number;
    /** Buyer visits recorded, and those still going on. */
    sessions: number;
    openSessions: number;
    /** Timed actions waiting in the scheduler (arrivals, patience, parcels). */
    scheduled: number;
    /** How far the simulator runs behind its own schedule (ms): above a few hundred, it is the bottleneck. */
    schedulerLagMs: number;
  };
}

/** An order change, read receipt or evaluation as the control API shows it. */
export type WorldEvent = Exclude<SimEvent, { kind: "message" }>;

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
  /** Push records, buyer messages only unless `kind` asks for another kind or "all". */
  pushes(filter?: { storeKey?: string | undefined; kind?: PushKind | "all" | undefined }): PushRecord[];
  /** What buyers received: a repeated send with the same client_msg_id is here once. */
  replies(filter?: { storeKey?: string | undefined; buyerNick?: string | undefined }): ReceivedReply[];
  /** Every send call the gateway accepted, repeats included (`duplicate: true`). */
  sendCalls(filter?: { storeKey?: string | undefined; buyerNick?: string | undefined }): SendCall[];
  buyers(filter?: { storeKey?: string | undefined }): Array<{ platform: PlatformId; nick: string; orders: SimOrder[] }>;
  orders(filter?: { storeKey?: string | undefined; buyerNick?: string | undefined }): SimOrder[];
  /** Order changes, read receipts and evaluations so far, whether or not the platform pushes them. */
  events(filter?: { storeKey?: string | undefined; kind?: WorldEvent["kind"] | undefined }): WorldEvent[];
  setFaults(change: Partial<FaultState>): FaultState;
  clearFaults(): FaultState;
  /** True once every push so far is acknowledged; false after timeoutMs. */
  settled(timeoutMs?: number): Promise<boolean>;
  setProfile(name: ProfileName): ProfileNow;
  profile(): ProfileNow;
  setMix(change: MixChange): ProfileNow;
  clearMix(): ProfileNow;
  /** The buyer-side record: every visit, its waits, answers, orders. */
  record(range?: RecordRange): DetailedSessionRow[];
  recordCsv(range?: RecordRange): string;
  recordSummary(range?: RecordRange): RecordSummary;
  readonly buyerRecord: BuyerRecord;
  /** Run the timed actions due by the injected clock now (tests move a fake clock, then call this). */
  runDue(): number;
}

function validateStores(
  configs: SimulatorOptions["stores"],
  available: Partial<Record<PlatformId, PlatformPersonality>>,
): SimStore[] {
  const stores = configs.map((c) => SimStoreConfig.parse(c));
  const secrets = new Map<string, string>();
  const keys = new Set<string>();
  for (const store of stores) {
    if (!available[store.platform]) throw new Error(`the simulator cannot play ${store.platform} yet`);
    if (keys.has(store.storeKey)) throw new Error(`duplicate storeKey ${store.storeKey}`);
    keys.add(store.storeKey);
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

function matches(
  reply: { storeKey: string; buyerNick: string },
  filter: { storeKey?: string | undefined; buyerNick?: string | undefined } | undefined,
): boolean {
  return (
    (filter?.storeKey === undefined || reply.storeKey === filter.storeKey) &&
    (filter?.buyerNick === undefined || reply.buyerNick === filter.buyerNick)
  );
}

/** Of several platforms' handlers for one path, the one whose store's app key is in the request. */
function routeFor(
  candidates: Array<{ platform: PlatformId; route: GatewayRoute }>,
  request: GatewayRequest,
  stores: readonly SimStore[],
): GatewayRoute {
  const first = candidates[0] as { route: GatewayRoute };
  if (candidates.length === 1) return first.route;
  const values = new Set([...Object.values(request.query), ...Object.values(request.form)]);
  const store = stores.find((s) => values.has(s.appKey) && candidates.some((c) => c.platform === s.platform));
  return candidates.find((c) => c.platform === store?.platform)?.route ?? first.route;
}

const eventSource = (event: SimEvent) => (event.kind === "message" ? event.message : event.event);

export function createSimulator(options: SimulatorOptions): Simulator {
  const seed = options.seed ?? 1;
  const clock = options.now ?? (() => new Date());
  const timeScale = options.timeScale ?? 1;
  const patienceScale = options.patienceScale ?? 1;
  const available = { ...personalities, ...options.personalities };
  const stores = validateStores(options.stores, available);
  const scheduler = createScheduler(clock);
  const now = scheduler.now;
  const world = createWorld(stores, {
    rng: createRng(deriveSeed(seed, 1)),
    now,
    buyersPerStore: options.buyersPerStore ?? 20,
    timeScale,
  });
  const sayRng = createRng(deriveSeed(seed, 3));
  const faults = createFaults();
  const personalityOf = (platform: PlatformId) => available[platform] as PlatformPersonality;
  const storeOf = (storeKey: string) => world.store(storeKey) as SimStore;
  const eventLog: WorldEvent[] = [];

  const pushQueue = createPushQueue(
    {
      encode(event, attemptAt) {
        const store = storeOf(eventSource(event).storeKey);
        const personality = personalityOf(store.platform);
        return event.kind === "message"
          ? personality.encodePush(store, event.message, attemptAt)
          : personality.encodeEvent?.(store, event, attemptAt);
      },
      retryMs: options.pushRetryMs ?? 1000,
      timeoutMs: options.pushTimeoutMs ?? 5000,
      maxInFlight: options.maxPushesInFlight ?? 16,
      now: clock,
    },
    options.yunxiUrl,
  );

  let envelopeSeq = Math.floor(clock().getTime() / 1000) * 1_000_000;
  const ids = () => ({ eventId: world.nextId(), envelopeId: ++envelopeSeq });

  /** Record a world event, and push it if the store's platform pushes this kind. */
  function publish(event: WorldEvent): void {
    eventLog.push(event);
    const store = storeOf(event.event.storeKey);
    const personality = personalityOf(store.platform);
    // Asked once here, so an event the platform never pushes is not queued (and never pending).
    if (personality.encodeEvent?.(store, event, clock())) pushQueue.enqueue(event);
  }

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
    pushQueue.enqueue({ kind: "message", message });
    return message;
  };

  const record = createBuyerRecord();
  let lifecycle: ReturnType<typeof createLifecycle> | undefined;
  const buyers = createBuyers({
    world,
    scheduler,
    rng: createRng(deriveSeed(seed, 4)),
    record,
    patienceScale,
    say: emit,
    readReceipt(store, buyerNick) {
      publish({
        kind: "read",
        event: { ...ids(), platform: store.platform, storeKey: store.storeKey, buyerNick, createdAt: now() },
      });
    },
    placeOrder: (store, buyerNick, product) =>
      (lifecycle as NonNullable<typeof lifecycle>).place(store, buyerNick, product),
  });
  lifecycle = createLifecycle({
    world,
    scheduler,
    rng: createRng(deriveSeed(seed, 5)),
    experience: buyers.experience,
    orderChanged(order, change) {
      publish({
        kind: "order",
        // A snapshot: a retried push carries the order as it was at the change.
        event: {
          ...ids(),
          platform: storeOf(order.storeKey).platform,
          storeKey: order.storeKey,
          change,
          order: structuredClone(order),
          createdAt: now(),
        },
      });
    },
    evaluated(order, evaluation) {
      publish({
        kind: "evaluation",
        event: {
          ...ids(),
          platform: storeOf(order.storeKey).platform,
          storeKey: order.storeKey,
          buyerNick: order.buyerNick,
          orderId: order.orderId,
          score: evaluation.score,
          comment: evaluation.comment,
          createdAt: now(),
        },
      });
    },
  });

  const profile = createProfileControl({
    platforms: [...new Set(stores.map((s) => s.platform))],
    timeScale,
    initial: options.profile ?? "steady",
    startedAt: clock(),
  });
  const traffic = createTraffic({
    world,
    scheduler,
    rng: createRng(deriveSeed(seed, 2)),
    profile,
    ratePerMinute: 0,
    isBusy: buyers.isBusy,
    start: (visit) => {
      buyers.start(visit);
    },
  });
  let desiredRate = options.ratePerMinute ?? 0;
  let app: FastifyInstance | undefined;
  let address: { url: string; port: number } | undefined;

  function buildApp(): FastifyInstance {
    const fastify = Fastify({ logger: options.logger ?? false });
    // TOP and its peers take form-encoded POSTs; Fastify parses only JSON by itself.
    fastify.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    // Real platforms live on different hosts; here they share one, and two may
    // use the same path (JD and Kuaishou both have /oauth2/access_token). Such a
    // path goes to the platform whose app key the request carries.
    const routes = new Map<string, Array<{ platform: PlatformId; route: GatewayRoute }>>();
    for (const platform of new Set(stores.map((s) => s.platform))) {
      for (const route of personalityOf(platform).gatewayRoutes({ world, now })) {
        const key = `${route.method} ${route.url}`;
        routes.set(key, [...(routes.get(key) ?? []), { platform, route }]);
      }
    }
    for (const candidates of routes.values()) {
      const { method, url } = (candidates[0] as { route: GatewayRoute }).route;
      fastify.route({
        method,
        url,
        handler: async (request, reply) => {
          const injected = await faults.apply();
          const gatewayRequest: GatewayRequest = {
            query: firstValues(request.query),
            form: firstValues(request.body),
            headers: request.headers as Record<string, string | undefined>,
            body: request.body,
          };
          const response = injected ?? routeFor(candidates, gatewayRequest, stores).handle(gatewayRequest);
          if (response.headers) reply.headers(response.headers);
          return reply.code(response.status).send(response.body);
        },
      });
    }
    registerControlApi(fastify, sim);
    fastify.get("/sim/", async (_request, reply) => reply.type("text/html; charset=utf-8").send(controlPageHtml));
    fastify.get("/sim", async (_request, reply) => reply.redirect("/sim/"));
    for (const [pagePath, html] of Object.entries(options.pages ?? {})) {
      fastify.get(pagePath, async (_request, reply) => reply.type("text/html; charset=utf-8").send(html()));
    }
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
    buyerRecord: record,
    async start() {
      if (app) return;
      app = buildApp();
      await app.listen({ port: options.port ?? 0, host: options.host ?? "127.0.0.1" });
      const info = app.server.address();
      const port = typeof info === "object" && info ? info.port : (options.port ?? 0);
      const host = options.host ?? "127.0.0.1";
      address = { port, url: `http://${host.includes(":") ? `[${host}]` : host}:${port}` };
      traffic.setRate(desiredRate);
      scheduler.start();
    },
    async stop() {
      traffic.stop();
      scheduler.stop();
      pushQueue.stop();
      await app?.close();
      app = undefined;
    },
    state() {
      const counts = pushQueue.counts();
      const platforms = [...new Set(stores.map((s) => s.platform))];
      return {
        url: address?.url ?? null,
        seed,
        yunxiUrl: pushQueue.target() ?? null,
        ratePerMinute: desiredRate,
        effectiveRatePerMinute: desiredRate * profile.at(now()).rateMultiplier,
        timeScale,
        patienceScale,
        profile: profile.at(now()),
        faults: faults.state(),
        stores: stores.map(({ platform, storeKey, name, sellerId, appKey }) => ({
          platform,
          storeKey,
          name,
          sellerId,
          appKey,
        })),
        counts: {
          buyers: platforms.reduce((n, p) => n + world.buyerList(p).length, 0),
          products: stores.reduce((n, s) => n + world.products(s.storeKey).length, 0),
          orders: world.orderCount(),
          pushes: counts.total,
          acked: counts.acked,
          pending: counts.pending,
          pushesInFlight: counts.inFlight,
          pushAttempts: counts.attempts,
          failedPushAttempts: counts.failedAttempts,
          pushesByKind: counts.byKind,
          events: eventLog.length,
          replies: world.replies.length,
          sendCalls: world.sendCalls.length,
          sessions: record.size(),
          openSessions: buyers.openCount(),
          scheduled: scheduler.size(),
          schedulerLagMs: scheduler.lagMs(),
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
      const message = emit(store, buyer.nick, text);
      buyers.injected(store, buyer.nick, message);
      return { msgId: message.msgId, buyerNick: buyer.nick };
    },
    pushes: (filter) => pushQueue.records(filter),
    replies: (filter) => world.replies.filter((r) => matches(r, filter)),
    sendCalls: (filter) => world.sendCalls.filter((r) => matches(r, filter)),
    buyers(filter) {
      const chosen = filter?.storeKey ? stores.filter((s) => s.storeKey === filter.storeKey) : stores;
      return chosen.flatMap((store) =>
        world.buyers(store.platform).map((b) => ({
          platform: b.platform,
          nick: b.nick,
          orders: world.orders(store.storeKey, b.nick),
        })),
      );
    },
    orders(filter) {
      const chosen = filter?.storeKey ? stores.filter((s) => s.storeKey === filter.storeKey) : stores;
      return chosen.flatMap((store) => world.orders(store.storeKey, filter?.buyerNick));
    },
    events: (filter) =>
      eventLog.filter(
        (e) =>
          (filter?.kind === undefined || e.kind === filter.kind) &&
          (filter?.storeKey === undefined || e.event.storeKey === filter.storeKey),
      ),
    setFaults: (change) => faults.set(change),
    clearFaults: () => faults.clear(),
    settled: (timeoutMs = 10_000) => pushQueue.settled(timeoutMs),
    setProfile(name) {
      profile.set(name, now());
      traffic.reschedule();
      return profile.at(now());
    },
    profile: () => profile.at(now()),
    setMix(change) {
      profile.setMix(change);
      traffic.reschedule();
      return profile.at(now());
    },
    clearMix() {
      profile.clearMix();
      traffic.reschedule();
      return profile.at(now());
    },
    record: (range) => record.rows(range),
    recordCsv: (range) => record.csv(range),
    recordSummary: (range) => record.summary(range),
    runDue: () => scheduler.runDue(),
  };
  return sim;
}
