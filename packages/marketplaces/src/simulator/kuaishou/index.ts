import type { PlatformPersonality } from "../personality.ts";
import { kuaishouGatewayRoutes } from "./gateway.ts";
import { encodeKuaishouEvent, encodeKuaishouPush } from "./push-encoder.ts";

export const kuaishouPersonality: PlatformPersonality = {
  platform: "kuaishou",
  gatewayRoutes: kuaishouGatewayRoutes,
  encodePush: encodeKuaishouPush,
  encodeEvent: encodeKuaishouEvent,
};
