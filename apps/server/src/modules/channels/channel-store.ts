import type { PlatformId } from "@yunxi/contracts";
import type { AppContext } from "../../platform/context.ts";
import { AppError, notFound } from "../../platform/http/errors.ts";
import { isActive, type StoreWithCredentials, storeForPush } from "../stores/index.ts";

/** The active store of an own channel addressed by its public key; 404 for unknown, 403 for disabled. */
export async function channelStore(
  ctx: AppContext,
  platform: PlatformId,
  storeKey: string,
): Promise<StoreWithCredentials> {
  const target = await storeForPush(ctx, platform, storeKey.slice(0, 200));
  if (!target) throw notFound("Store");
  if (!isActive(target.store)) throw new AppError(403, "store_disabled", "This store is disabled");
  return target;
}

/** What ingestInbound needs to know about the store. */
export const storeRef = ({ store }: StoreWithCredentials) => ({
  id: store.id,
  orgId: store.orgId,
  platform: store.platform,
  name: store.name,
});
