import { index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const stores = pgTable(
  "stores",
  {
    id: uuid("id").primaryKey(),
    orgId: uuid("org_id").notNull(),
    platform: text("platform").notNull(),
    name: text("name").notNull(),
    /** Public, unguessable key in the push URL `/connect/<platform>/<storeKey>`. */
    storeKey: text("store_key").notNull(),
    gatewayUrl: text("gateway_url").notNull(),
    sellerId: text("seller_id").notNull(),
    status: text("status").notNull().default("active"),
    /** AES-256-GCM blob (platform/crypto Vault); never leaves the server. */
    credentialsEnc: text("credentials_enc").notNull(),
    // The seller's grant. The tokens themselves live in the encrypted credentials; these
    // plain columns say where the grant stands, so lists and the refresh sweep need no decryption.
    /** not_authorized | authorized | lapsed ("expiring" is computed from the expiry). */
    authState: text("auth_state").notNull().default("not_authorized"),
    tokenExpiresAt: timestamp("token_expires_at", { withTimezone: true }),
    /** When the current tokens were issued: with the expiry it gives the token's lifetime. */
    authRefreshedAt: timestamp("auth_refreshed_at", { withTimezone: true }),
    /** The platform's last refusal (revoked grant, failed refresh), shown to the admin. */
    authError: text("auth_error"),
    /** SHA-256 of the nonce of the one grant flow in progress: the callback consumes it once. */
    authNonceHash: text("auth_nonce_hash"),
    /** The next moment a reply may go to the platform: spaces sends to the platform's rate limit across nodes. */
    nextSendAt: timestamp("next_send_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("stores_key").on(t.platform, t.storeKey),
    index("stores_org").on(t.orgId),
    index("stores_token_expiry").on(t.tokenExpiresAt),
  ],
);
