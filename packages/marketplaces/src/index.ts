import type { PlatformId } from "@yunxi/contracts";
import type { MarketplaceAdapter } from "./adapter.ts";
import { taobaoAdapter } from "./taobao/adapter.ts";

export * from "./adapter.ts";
export { taobaoAdapter } from "./taobao/adapter.ts";

/** Every platform with an adapter. The connect module looks adapters up here, never by import. */
export const adapters: Partial<Record<PlatformId, MarketplaceAdapter>> = {
  taobao: taobaoAdapter,
};

export function adapterFor(platform: PlatformId): MarketplaceAdapter | undefined {
  return adapters[platform];
}
