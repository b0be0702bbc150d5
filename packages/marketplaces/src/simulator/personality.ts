import type { PlatformId } from "@yunxi/contracts";
import type { SimStore } from "./options.ts";
import type { World } from "./world.ts";

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

/** One HTTP push, freshly timestamped and signed for one delivery attempt. */
export interface EncodedPush {
  /** Path under the Yunxi base URL, e.g. `/connect/taobao/<storeKey>`. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
}

/** A gateway call, framework-free: query and form parameters already decoded. */
export interface GatewayRequest {
  query: Record<string, string>;
  form: Record<string, string>;
  headers: Record<string, string | undefined>;
}

export interface GatewayResponse {
  status: number;
  body: unknown;
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
}
