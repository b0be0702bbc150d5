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
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("stores_key").on(t.platform, t.storeKey), index("stores_org").on(t.orgId)],
);
