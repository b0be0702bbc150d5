import type { PlatformId } from "@yunxi/contracts";
import {
  type AuthorizationTokens,
  adapters,
  type BuyerIdentity,
  type InboundEvent,
  type LogisticsTrace,
  type MarketplaceAdapter,
  type OutboundMessage,
  PlatformError,
  type PlatformOrder,
} from "@yunxi/marketplaces";
import { createOrg, createUser } from "../src/modules/identity/index.ts";
import { assertStoresInOrg, createStore, type StoreRow } from "../src/modules/stores/index.ts";
import { ApiClient } from "./api-client.ts";
import { startTestServer, type TestServer } from "./harness.ts";

/**
 * An in-process marketplace for server tests that must steer the platform's
 * answers (down, revoked grant, rate limits) independently of the simulator.
 * Pushes are JSON `{ events }` signed by echoing the app secret in `x-fake-sign`.
 */
export class FakeMarketplace {
  readonly platform: PlatformId;
  sent: { at: number; message: OutboundMessage; accessToken: string | undefined }[] = [];
  orders = new Map<string, PlatformOrder[]>();
  logistics = new Map<string, LogisticsTrace>();
  /** Every call to the platform fails as if it timed out. */
  down = false;
  /** The seller revoked the grant: refresh and send refuse for good. */
  revoked = false;
  sendsPerSecond = 0;
  tokenLifetimeMs = 3600_000;
  refreshes = 0;
  #tokenSeq = 0;

  constructor(platform: PlatformId) {
    this.platform = platform;
  }

  #guard(accessToken?: string): void {
    if (this.down) throw new PlatformError("timeout", "platform timed out", true);
    if (this.revoked || accessToken === "revoked") {
      throw new PlatformError("invalid_session", "the seller revoked the authorization", false);
    }
  }

  #tokens(now: Date): AuthorizationTokens {
    this.#tokenSeq++;
    return {
      accessToken: `access-${this.#tokenSeq}`,
      refreshToken: `refresh-${this.#tokenSeq}`,
      expiresAt: new Date(now.getTime() + this.tokenLifetimeMs),
    };
  }

  /** A buyer's orders as the platform answers them (JSON-shaped input, dates as ISO strings). */
  setOrders(buyerId: string, orders: unknown[]): void {
    this.orders.set(buyerId, reviveJson<PlatformOrder[]>(JSON.stringify(orders)));
  }

  get adapter(): MarketplaceAdapter {
    const self = this;
    return {
      platform: this.platform,
      get limits() {
        return {
          maxTextLength: 50,
          forbidsExternalLinks: true,
          allowedLinkHosts: ["fake-market.example"],
          sendsPerSecond: self.sendsPerSecond,
        };
      },
      authorization: {
        authorizeUrl: ({ gatewayUrl, appKey, redirectUri, state }) =>
          `${gatewayUrl}/authorize?${new URLSearchParams({ client_id: appKey, redirect_uri: redirectUri, state })}`,
        exchangeCode: async (store, { code }) => {
          self.#guard();
          if (code !== "good-code") throw new PlatformError("invalid_grant", "code is invalid or used", false);
          return self.#tokens(store.now?.() ?? new Date());
        },
        refresh: async (store) => {
          self.#guard();
          self.refreshes++;
          return self.#tokens(store.now?.() ?? new Date());
        },
      },
      verifyPush: (request, credentials) => {
        if (request.headers["x-fake-sign"] !== credentials.appSecret) {
          return { ok: false, reason: "bad_signature", message: "bad fake signature" };
        }
        try {
          return { ok: true, events: reviveEvents(request.rawBody) };
        } catch (err) {
          return { ok: false, reason: "malformed", message: String(err) };
        }
      },
      acknowledgePush: () => ({ status: 200, contentType: "application/json", body: '{"ok":true}' }),
      send: async (store, message) => {
        self.#guard(store.credentials.accessToken);
        self.sent.push({ at: Date.now(), message, accessToken: store.credentials.accessToken });
        return { platformMessageId: `fake-${self.sent.length}` };
      },
      fetchBuyerOrders: async (store, buyer: BuyerIdentity) => {
        self.#guard(store.credentials.accessToken);
        return self.orders.get(buyer.platformBuyerId) ?? [];
      },
      fetchOrder: async (_store, orderId) => {
        self.#guard();
        const found = [...self.orders.values()].flat().find((o) => o.orderId === orderId);
        if (!found) throw new PlatformError("not_found", "no such order", false);
        return found;
      },
      fetchLogistics: async (_store, orderId) => {
        self.#guard();
        const trace = self.logistics.get(orderId);
        if (!trace) throw new PlatformError("not_found", "no logistics for this order", false);
        return trace;
      },
      sendCoupon: async () => ({ couponId: "coupon-1" }),
    };
  }

  /** Replace the platform's adapter for this test file (vitest isolates modules per file). */
  install(): () => void {
    const previous = adapters[this.platform];
    adapters[this.platform] = this.adapter;
    return () => {
      adapters[this.platform] = previous;
    };
  }
}

const dateKeys = new Set(["sentAt", "readAt", "at", "createdAt", "paidAt", "promisedShipAt", "shippedAt"]);

function reviveJson<T>(raw: string): T {
  return JSON.parse(raw, (key, value) => (dateKeys.has(key) && typeof value === "string" ? new Date(value) : value));
}

function reviveEvents(raw: string): InboundEvent[] {
  const parsed = reviveJson<{ events: InboundEvent[] }>(raw);
  if (!Array.isArray(parsed.events)) throw new Error("events missing");
  return parsed.events;
}

export interface FakeWorld {
  t: TestServer;
  market: FakeMarketplace;
  store: StoreRow;
  orgId: string;
  owner: ApiClient;
  agent: ApiClient;
  /** An agent of another store: must see nothing of this one. */
  outsider: ApiClient;
  push(events: unknown[]): Promise<Response>;
  close(): Promise<void>;
}

/** A test server with one org (owner, agent, outsider) and one store on the fake marketplace. */
export async function startFakeWorld(
  options: { platform?: PlatformId; now?: () => Date; env?: Record<string, string> } = {},
): Promise<FakeWorld> {
  const market = new FakeMarketplace(options.platform ?? "jd");
  const uninstall = market.install();
  const t = await startTestServer({
    ...(options.now && { now: options.now }),
    ...(options.env && { env: options.env }),
  });
  const ctx = t.server.ctx;
  const org = await createOrg(ctx, { name: "测试公司" });
  const credentials = { appKey: "fake-app", appSecret: "fake-secret", accessToken: "seed-token" };
  const store = await createStore(ctx, null, org.id, {
    platform: market.platform,
    name: "自营店",
    gatewayUrl: "http://127.0.0.1:9/fake",
    sellerId: "seller-1",
    credentials,
  });
  const other = await createStore(ctx, null, org.id, {
    platform: market.platform,
    name: "别家店",
    gatewayUrl: "http://127.0.0.1:9/fake",
    sellerId: "seller-2",
    credentials,
  });
  const people = [
    { key: "owner", role: "owner" as const, stores: [] },
    { key: "agent", role: "agent" as const, stores: [store.id] },
    { key: "outsider", role: "agent" as const, stores: [other.id] },
  ];
  const clients: Record<string, ApiClient> = {};
  for (const p of people) {
    const email = `${p.key}@fake.test`;
    const password = `pw-${p.key}-123456`;
    await createUser(
      ctx,
      org.id,
      { email, name: p.key, role: p.role, password, storeIds: p.stores },
      null,
      assertStoresInOrg,
    );
    clients[p.key] = await new ApiClient(t.url).login(email, password);
  }
  return {
    t,
    market,
    store,
    orgId: org.id,
    owner: clients.owner!,
    agent: clients.agent!,
    outsider: clients.outsider!,
    push: (events) =>
      fetch(`${t.url}/connect/${market.platform}/${store.storeKey}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-fake-sign": "fake-secret" },
        body: JSON.stringify({ events }),
      }),
    close: async () => {
      await t.close();
      uninstall();
    },
  };
}
