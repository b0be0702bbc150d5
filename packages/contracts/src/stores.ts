import { z } from "zod";
import { PlatformId } from "./platforms.ts";

export const storeStatuses = ["active", "disabled"] as const;
export const StoreStatus = z.enum(storeStatuses);
export type StoreStatus = z.infer<typeof StoreStatus>;

/**
 * Platform credentials as an admin enters them. They are encrypted at rest and no
 * route ever returns them: a Store only says whether they are set.
 */
export const StoreCredentials = z.strictObject({
  appKey: z.string().min(1).max(200),
  appSecret: z.string().min(1).max(500),
  accessToken: z.string().max(2000).optional(),
  refreshToken: z.string().max(2000).optional(),
});
export type StoreCredentials = z.infer<typeof StoreCredentials>;

export const Store = z.object({
  id: z.string(),
  platform: PlatformId,
  name: z.string(),
  /** `淘宝-旗舰店`: platform + store name, shown wherever the store appears. */
  label: z.string(),
  /** Public key in the push URL `/connect/<platform>/<storeKey>`. */
  storeKey: z.string(),
  /** The platform's API gateway this store talks to (the simulator in the demo). */
  gatewayUrl: z.string(),
  /** The seller account on the platform (Taobao seller nick, shop id …). */
  sellerId: z.string(),
  status: StoreStatus,
  hasCredentials: z.boolean(),
  lastMessageAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Store = z.infer<typeof Store>;

export const CreateStoreRequest = z.strictObject({
  platform: PlatformId,
  name: z.string().trim().min(1).max(60),
  gatewayUrl: z.url().max(500),
  sellerId: z.string().trim().min(1).max(200),
  credentials: StoreCredentials,
});
export type CreateStoreRequest = z.infer<typeof CreateStoreRequest>;

export const UpdateStoreRequest = z.strictObject({
  name: z.string().trim().min(1).max(60).optional(),
  gatewayUrl: z.url().max(500).optional(),
  status: StoreStatus.optional(),
  credentials: StoreCredentials.optional(),
});
export type UpdateStoreRequest = z.infer<typeof UpdateStoreRequest>;
