import type { PlatformPersonality } from "../personality.ts";
import { douyinGatewayRoutes } from "./gateway.ts";
import { encodeDouyinEvent, encodeDouyinPush } from "./push-encoder.ts";

export const douyinPersonality: PlatformPersonality = {
  platform: "douyin",
  gatewayRoutes: douyinGatewayRoutes,
  encodePush: encodeDouyinPush,
  encodeEvent: encodeDouyinEvent,
};
