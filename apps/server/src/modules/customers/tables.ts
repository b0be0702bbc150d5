import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const customers = pgTable(
  "customers",
  {
    id: uuid("id").primaryKey(),
    orgId: uuid("org_id").notNull(),
    displayName: text("display_name").notNull(),
    /** The buyer's own tags (VIP, 老客户, 差评风险): priority rules and SOP triggers read them. */
    tags: jsonb("tags").$type<string[]>().notNull().default([]),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("customers_org").on(t.orgId)],
);

/**
 * A buyer as one platform knows them. `scope` is "" for platforms whose buyer id is
 * global (Taobao nick) and the store id for per-shop ids (PDD, Douyin open ids).
 * The link columns say why the identity belongs to its customer: it made the
 * customer on first contact, or it was linked later (a shared receiver phone, the
 * web widget's identified visitor, a supervisor's hand).
 */
export const customerIdentities = pgTable(
  "customer_identities",
  {
    id: uuid("id").primaryKey(),
    orgId: uuid("org_id").notNull(),
    customerId: uuid("customer_id").notNull(),
    platform: text("platform").notNull(),
    scope: text("scope").notNull(),
    platformBuyerId: text("platform_buyer_id").notNull(),
    displayName: text("display_name").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** first_contact | phone_match | widget_identified | manual (contracts LinkReason) */
    linkReason: text("link_reason").notNull().default("first_contact"),
    linkedAt: timestamp("linked_at", { withTimezone: true }).notNull().defaultNow(),
    /** The user who linked it by hand; null for automatic links. */
    linkedBy: uuid("linked_by"),
    /** What made the link, e.g. the platform order numbers that shared a receiver phone (never the phone). */
    linkDetail: text("link_detail"),
  },
  (t) => [
    uniqueIndex("customer_identities_key").on(t.orgId, t.platform, t.scope, t.platformBuyerId),
    index("customer_identities_customer").on(t.customerId),
  ],
);
