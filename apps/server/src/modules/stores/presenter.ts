import { type PlatformId, type Store, type StoreStatus, storeLabel } from "@yunxi/contracts";
import { authorizationOf } from "./authorization.ts";
import type { StoreRow } from "./service.ts";

/** Credentials and tokens never leave: the API only says whether they are set and where the grant stands. */
export function presentStore(row: StoreRow, lastMessageAt: Date | null, now: Date): Store {
  const platform = row.platform as PlatformId;
  return {
    id: row.id,
    platform,
    name: row.name,
    label: storeLabel(platform, row.name),
    storeKey: row.storeKey,
    gatewayUrl: row.gatewayUrl,
    sellerId: row.sellerId,
    status: row.status as StoreStatus,
    hasCredentials: row.credentialsEnc.length > 0,
    authorization: authorizationOf(row, now),
    lastMessageAt: lastMessageAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
