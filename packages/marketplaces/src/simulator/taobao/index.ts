import type { PlatformPersonality } from "../personality.ts";
import { taobaoGatewayRoutes } from "./gateway.ts";
import { encodeTaobaoEvent, encodeTaobaoPush } from "./push-encoder.ts";

export const taobaoPersonality: PlatformPersonality = {
  platform: "taobao",
  gatewayRoutes: taobaoGatewayRoutes,
  encodePush: encodeTaobaoPush,
  encodeEvent: encodeTaobaoEvent,
};
