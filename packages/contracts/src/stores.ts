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
  /** Kuaishou signs API calls with a signSecret distinct from the OAuth appSecret. */
  signSecret: z.string().min(1).max(500).optional(),
  // Own channels (web chat, e-mail, API): appSecret signs identified visitors and API requests.
  /** API channel: where replies are POSTed as HMAC-signed webhooks. */
  webhookUrl: z.url().max(2000).optional(),
  /** Web chat: page origins allowed to embed the widget (`https://shop.example`); unset allows any. */
  allowedOrigins: z.array(z.url().max(200)).max(20).optional(),
  /** E-mail: the relay that carries replies out (the store's mail provider). */
  smtp: z
    .strictObject({
      host: z.string().min(1).max(200),
      port: z.number().int().min(1).max(65535),
      secure: z.boolean().optional(),
      user: z.string().max(200).optional(),
      pass: z.string().max(500).optional(),
    })
    .optional(),
});
export type StoreCredentials = z.infer<typeof StoreCredentials>;

/** `not_required`: Yunxi's own channels (web chat, e-mail, API) have no platform grant. */
export const authorizationStates = ["authorized", "expiring", "lapsed", "not_authorized", "not_required"] as const;
export const AuthorizationState = z.enum(authorizationStates);
export type AuthorizationState = z.infer<typeof AuthorizationState>;

/** Where the seller's grant stands: lapsed stores stop sending, with the reason shown. */
export const StoreAuthorization = z.object({
  state: AuthorizationState,
  expiresAt: z.string().nullable(),
  /** The platform's last refusal (revoked grant, refresh failed …). */
  lastError: z.string().nullable(),
  refreshedAt: z.string().nullable(),
});
export type StoreAuthorization = z.infer<typeof StoreAuthorization>;

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
  authorization: StoreAuthorization,
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

export const StoreList = z.object({ items: z.array(Store) });
export type StoreList = z.infer<typeof StoreList>;

/** Start the platform's grant flow: the answer says where to send the seller's browser. */
export const AuthorizeStart = z.object({ authorizeUrl: z.string(), state: z.string() });
export type AuthorizeStart = z.infer<typeof AuthorizeStart>;

export const TestSendRequest = z.strictObject({
  buyerId: z.string().trim().min(1).max(200),
  text: z.string().trim().min(1).max(500),
});
export type TestSendRequest = z.infer<typeof TestSendRequest>;

/** A test message went through; a platform refusal answers 502 `platform_error` instead. */
export const TestSendResult = z.object({ ok: z.boolean(), platformMessageId: z.string() });
export type TestSendResult = z.infer<typeof TestSendResult>;

/** The platform's redirect back after the seller's consent (or refusal). */
export const AuthorizeCallbackQuery = z.object({
  code: z.string().max(2000).optional(),
  state: z.string().max(1000).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
});
