import type { PlatformId } from "@yunxi/contracts";
import type { SimStore } from "./options.ts";
import type { SimOrder, World } from "./world.ts";

/**
 * What makes the simulator speak one platform: its API gateway and the way it
 * pushes buyer messages. Adding JD or Pinduoduo is adding one of these, with
 * the rest of the simulator (world, traffic, push retries, faults) shared.
 */

/** A buyer message as the simulated platform holds it, before any platform encoding. */
export interface BuyerMessage {
  msgId: string;
  /** The platform's own id for the push envelope (TMC id …); stable across retries. */
  envelopeId: number;
  platform: PlatformId;
  storeKey: string;
  buyerNick: string;
  text: string;
  createdAt: Date;
}

/** An order change the simulated platform pushes (its personality encodes the platform's topic/tag). */
export interface OrderEventMessage {
  eventId: string;
  envelopeId: number;
  platform: PlatformId;
  storeKey: string;
  change:
    | "created"
    | "paid"
    | "shipped"
    | "delivered"
    | "completed"
    | "closed"
    | "refund_requested"
    | "refund_agreed"
    | "refund_closed";
  order: SimOrder;
  createdAt: Date;
}

export interface ReadReceiptMessage {
  eventId: string;
  envelopeId: number;
  platform: PlatformId;
  storeKey: string;
  buyerNick: string;
  createdAt: Date;
}

export interface EvaluationMessage {
  eventId: string;
  envelopeId: number;
  platform: PlatformId;
  storeKey: string;
  buyerNick: string;
  orderId: string | null;
  /** 1 … 5 */
  score: number;
  comment: string;
  createdAt: Date;
}

/** Everything a simulated platform pushes to Yunxi. */
export type SimEvent =
  | { kind: "message"; message: BuyerMessage }
  | { kind: "order"; event: OrderEventMessage }
  | { kind: "read"; event: ReadReceiptMessage }
  | { kind: "evaluation"; event: EvaluationMessage };

/** One HTTP push, freshly timestamped and signed for one delivery attempt. */
export interface EncodedPush {
  /** Path under the Yunxi base URL, e.g. `/connect/taobao/<storeKey>`. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
}

/**
 * A JSON push addressed to the store's Yunxi endpoint `/connect/<platform>/<storeKey>`;
 * the signature travels in `query` or in `headers`, as the platform puts it.
 */
export function jsonPushTo(
  platform: PlatformId,
  store: SimStore,
  body: string,
  signed: { query?: Record<string, string>; headers?: Record<string, string> },
): EncodedPush {
  return {
    path: `/connect/${platform}/${encodeURIComponent(store.storeKey)}`,
    query: signed.query ?? {},
    headers: {
      "content-type": "application/json; charset=utf-8",
      "user-agent": "yunxi-marketplace-simulator",
      ...signed.headers,
    },
    body,
  };
}

/** A gateway call, framework-free: query and form parameters already decoded. */
export interface GatewayRequest {
  query: Record<string, string>;
  form: Record<string, string>;
  headers: Record<string, string | undefined>;
  /** The parsed body as Fastify gave it (a JSON body's object), for gateways that take JSON (抖店). */
  body?: unknown;
}

export interface GatewayResponse {
  status: number;
  body: unknown;
  /** Extra response headers (a redirect's Location, an HTML page's content-type). */
  headers?: Record<string, string>;
}

export interface GatewayRoute {
  method: "GET" | "POST";
  url: string;
  handle(request: GatewayRequest): GatewayResponse;
}

export interface PersonalityContext {
  world: World;
  now: () => Date;
}

export interface PlatformPersonality {
  platform: PlatformId;
  gatewayRoutes(context: PersonalityContext): GatewayRoute[];
  encodePush(store: SimStore, message: BuyerMessage, attemptAt: Date): EncodedPush;
  /**
   * Encode any event (order changes, read receipts, evaluations, messages).
   * Returns undefined for an event the platform does not push (the simulator then skips it).
   */
  encodeEvent?(store: SimStore, event: SimEvent, attemptAt: Date): EncodedPush | undefined;
}
