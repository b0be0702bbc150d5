import type { PlatformPersonality } from "../personality.ts";
import { jdGatewayRoutes } from "./gateway.ts";
import { encodeJdEvent, encodeJdPush } from "./push-encoder.ts";

export const jdPersonality: PlatformPersonality = {
  platform: "jd",
  gatewayRoutes: jdGatewayRoutes,
  encodePush: encodeJdPush,
  encodeEvent: encodeJdEvent,
};
