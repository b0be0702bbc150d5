import type { OrderStatus, PlatformId } from "@yunxi/contracts";

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
  /**
   * A request-signing secret separate from appSecret, where the platform has one
   * (Kuaishou's `signSecret`; its appSecret is used only for OAuth).
   */
  signSecret?: string | undefined;
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

/**
 * Where an order is in its life, the same words for every platform (each
 * adapter maps its own statuses). Defined once in the contracts the server and
 * the web share; re-exported so adapters and their users need not reach there.
 */
export { type OrderStatus, orderStatuses } from "@yunxi/contracts";

export interface OrderItem {
  productId: string;
  title: string;
  sku?: string | undefined;
  quantity: number;
  priceCents: number;
}

export interface Logistics {
  carrier: string;
  trackingNo: string;
}

/** An order as Yunxi keeps it, normalized from any platform. Amounts in fen (cents). */
export interface PlatformOrder {
  orderId: string;
  buyer: BuyerIdentity;
  status: OrderStatus;
  /** The platform's own status word (WAIT_SELLER_SEND_GOODS …), shown as a detail. */
  platformStatus: string;
  items: OrderItem[];
  totalCents: number;
  createdAt: Date;
  paidAt?: Date | undefined;
  /** The ship-by time promised to the buyer (the auto-reply quotes it). */
  promisedShipAt?: Date | undefined;
  shippedAt?: Date | undefined;
  logistics?: Logistics | undefined;
  /** The receiver's phone in clear as the platform gives it; the server keeps only a keyed hash. */
  receiverPhone?: string | undefined;
}

export interface LogisticsTrace extends Logistics {
  nodes: { at: Date; description: string }[];
}

export type OrderChange =
  | "created"
  | "paid"
  | "shipped"
  | "delivered"
  | "completed"
  | "closed"
  | "refund_requested"
  | "refund_agreed"
  | "refund_closed";

/** A platform push normalized. One push may carry several events. */
export type InboundEvent =
  | {
      kind: "message";
      /** Unique per store on the platform: a repeated push carries the same id and is a no-op. */
      platformMessageId: string;
      buyer: BuyerIdentity;
      content: InboundContent;
      sentAt: Date;
    }
  | {
      /** The buyer read the store's messages up to `readAt`. */
      kind: "read";
      buyer: BuyerIdentity;
      readAt: Date;
    }
  | {
      kind: "order";
      /** Unique per store: the platform's event/message id, so a repeated push is a no-op. */
      eventId: string;
      change: OrderChange;
      order: PlatformOrder;
      at: Date;
    }
  | {
      /** The buyer rated the store after an order (评价) or a service session. */
      kind: "evaluation";
      eventId: string;
      buyer: BuyerIdentity;
      orderId?: string | undefined;
      /** 1 (worst) … 5 (best), mapped from the platform's scale. */
      score: number;
      comment: string;
      at: Date;
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

export type OutboundContent =
  | { type: "text"; text: string }
  | { type: "image"; url: string }
  | { type: "product_card"; productId: string }
  | { type: "order_card"; orderId: string };

export interface OutboundMessage {
  buyer: BuyerIdentity;
  content: OutboundContent;
  /** Our message id, sent as the platform's dedupe key where it has one. */
  clientMessageId: string;
}

export interface SendResult {
  platformMessageId: string;
}

/** What the platform refuses before we even try, checked by `checkOutbound` so the agent sees why at once. */
export interface PlatformLimits {
  maxTextLength: number;
  /** Links to other sites are forbidden in chat on most marketplaces. */
  forbidsExternalLinks: boolean;
  /** Hosts a link may point to even when external links are forbidden (the platform's own). */
  allowedLinkHosts: string[];
  /** Sends per second per store the platform tolerates. */
  sendsPerSecond: number;
}

/** Tokens of a seller's authorization (OAuth-style grant). */
export interface AuthorizationTokens {
  accessToken: string;
  refreshToken?: string | undefined;
  expiresAt: Date;
  refreshExpiresAt?: Date | undefined;
  /** The seller account the grant is for (shop id, seller nick …). */
  sellerId?: string | undefined;
}

export interface AuthorizationFlow {
  /** Where to send the seller's browser to grant access. */
  authorizeUrl(input: { gatewayUrl: string; appKey: string; redirectUri: string; state: string }): string;
  /** Trade the code from the redirect for tokens. Throws PlatformError. */
  exchangeCode(store: StoreContext, input: { code: string; redirectUri: string }): Promise<AuthorizationTokens>;
  /** Renew before expiry. Throws PlatformError (non-retryable when the grant is revoked). */
  refresh(store: StoreContext, refreshToken: string): Promise<AuthorizationTokens>;
}

export interface CouponGrant {
  couponId: string;
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
  readonly limits: PlatformLimits;
  readonly authorization: AuthorizationFlow;
  /** Verify signature and timestamp (replays outside the window refused) and normalize. Pure, no I/O. */
  verifyPush(request: PushRequest, credentials: AdapterCredentials, now: Date): PushVerification;
  /** The body the platform expects once the push is stored. */
  acknowledgePush(): PushAck;
  /** Send text, an image, a product card or an order card to the buyer. Throws PlatformError. */
  send(store: StoreContext, message: OutboundMessage): Promise<SendResult>;
  /** The buyer's orders in this store, newest first. Throws PlatformError. */
  fetchBuyerOrders(store: StoreContext, buyer: BuyerIdentity): Promise<PlatformOrder[]>;
  /** One order by id. Throws PlatformError (code "not_found" when the platform has no such order). */
  fetchOrder(store: StoreContext, orderId: string): Promise<PlatformOrder>;
  /** Where the parcel of an order is. Throws PlatformError. */
  fetchLogistics(store: StoreContext, orderId: string): Promise<LogisticsTrace>;
  /** Give the buyer a coupon from one of the store's coupon templates. Throws PlatformError. */
  sendCoupon(store: StoreContext, buyer: BuyerIdentity, templateId: string): Promise<CouponGrant>;
}
