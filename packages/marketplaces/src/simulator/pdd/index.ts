import type { PlatformPersonality } from "../personality.ts";
import { pddGatewayRoutes } from "./gateway.ts";
import { encodePddEvent, encodePddPush } from "./push-encoder.ts";

export const pddPersonality: PlatformPersonality = {
  platform: "pdd",
  gatewayRoutes: pddGatewayRoutes,
  encodePush: encodePddPush,
  encodeEvent: encodePddEvent,
};
