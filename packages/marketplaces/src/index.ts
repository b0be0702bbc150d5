import type { PlatformId } from "@yunxi/contracts";
import type { MarketplaceAdapter } from "./adapter.ts";
import { douyinAdapter } from "./douyin/adapter.ts";
import { jdAdapter } from "./jd/adapter.ts";
import { kuaishouAdapter } from "./kuaishou/adapter.ts";
import { pddAdapter } from "./pdd/adapter.ts";
import { taobaoAdapter } from "./taobao/adapter.ts";

export * from "./adapter.ts";
export { douyinAdapter } from "./douyin/adapter.ts";
export { jdAdapter } from "./jd/adapter.ts";
export { kuaishouAdapter } from "./kuaishou/adapter.ts";
export { checkOutbound, type OutboundCheck, type OutboundRefusalCode } from "./limits.ts";
export { pddAdapter } from "./pdd/adapter.ts";
export { taobaoAdapter } from "./taobao/adapter.ts";

/** Every platform with an adapter. The connect module looks adapters up here, never by import. */
export const adapters: Partial<Record<PlatformId, MarketplaceAdapter>> = {
  taobao: taobaoAdapter,
  jd: jdAdapter,
  pdd: pddAdapter,
  douyin: douyinAdapter,
  kuaishou: kuaishouAdapter,
};

export function adapterFor(platform: PlatformId): MarketplaceAdapter | undefined {
  return adapters[platform];
}
