import type { PlatformId } from "@yunxi/contracts";

/**
 * The one interface every marketplace adapter implements. The server's connect
 * module knows only this; adding a platform is adding an adapter.
 */

/** What a store holds to talk to its platform (decrypted, server side only). */
export interface AdapterCredentials {
  appKey: string;
  appSecret: string;
  /** OAuth session / access token of the seller's authorization. */
  accessToken?: string | undefined;
}

/** Where and as whom the adapter talks to the platform. */
export interface StoreContext {
  /** Platform API gateway base URL, e.g. `https://eco.taobao.com` (the simulator in the demo). */
  gatewayUrl: string;
  /** Seller account on the platform (Taobao seller nick …). */
  sellerId: string;
  credentials: AdapterCredentials;
  /** Injected for tests and the simulator's accelerated clock. */
  now?: () => Date;
  /** Abort slow platform calls. Default 10 s. */
  timeoutMs?: number;
}

/** A push as the HTTP layer received it: the raw body is needed for signatures. */
export interface PushRequest {
  headers: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  rawBody: string;
}

/** The buyer as the platform identifies them (global nick on Taobao, per-shop open id elsewhere). */
export interface BuyerIdentity {
  platformBuyerId: string;
  displayName: string;
}

export type InboundContent =
  | { type: "text"; text: string }
  | { type: "image"; url: string }
  | { type: "product_card"; productId: string; title: string }
  | { type: "order_card"; orderId: string };

/** A platform push normalized. More kinds (order change, read receipt) come with the marketplaces issue. */
export type InboundEvent = {
  kind: "message";
  /** Unique per store on the platform: a repeated push carries the same id and is a no-op. */
  platformMessageId: string;
  buyer: BuyerIdentity;
  content: InboundContent;
  sentAt: Date;
};

export type PushVerification =
  | { ok: true; events: InboundEvent[] }
  | { ok: false; reason: "bad_signature" | "stale_timestamp" | "malformed"; message: string };

/** How to answer the platform once the push is stored (each platform expects its own body). */
export interface PushAck {
  status: number;
  contentType: string;
  body: string;
}

export interface OutboundText {
  buyer: BuyerIdentity;
  text: string;
  /** Our message id, sent as the platform's dedupe key where it has one. */
  clientMessageId: string;
}

export interface SendResult {
  platformMessageId: string;
}

export interface OrderSummary {
  orderId: string;
  status: string;
  title: string;
  amountCents: number;
  createdAt: string;
}

/**
 * A platform refused or failed a call. `retryable` decides whether the delivery
 * worker tries again (timeouts, 5xx, rate limits) or fails the message at once
 * (bad credentials, forbidden content).
 */
export class PlatformError extends Error {
  readonly platformCode: string;
  readonly retryable: boolean;
  constructor(platformCode: string, message: string, retryable: boolean) {
    super(message);
    this.name = "PlatformError";
    this.platformCode = platformCode;
    this.retryable = retryable;
  }
}

export interface MarketplaceAdapter {
  readonly platform: PlatformId;
  /** Verify signature and timestamp (replays outside the window refused) and normalize. Pure, no I/O. */
  verifyPush(request: PushRequest, credentials: AdapterCredentials, now: Date): PushVerification;
  /** The body the platform expects once the push is stored. */
  acknowledgePush(): PushAck;
  /** Send a text reply to the buyer. Throws PlatformError. */
  sendText(store: StoreContext, message: OutboundText): Promise<SendResult>;
  /** The buyer's recent orders in this store. Throws PlatformError. */
  fetchBuyerOrders(store: StoreContext, buyer: BuyerIdentity): Promise<OrderSummary[]>;
}
