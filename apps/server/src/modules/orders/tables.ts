import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/**
 * A buyer's order in one store, as the platform last told us (push or on-demand
 * sync). Amounts in fen. The receiver's phone is kept only as a keyed hash, so the
 * same buyer can be recognised across platforms without storing the number.
 */
export const orders = pgTable(
  "orders",
  {
    id: uuid("id").primaryKey(),
    orgId: uuid("org_id").notNull(),
    storeId: uuid("store_id").notNull(),
    customerId: uuid("customer_id").notNull(),
    identityId: uuid("identity_id").notNull(),
    /** The platform's order number (tid), unique per store. */
    platformOrderId: text("platform_order_id").notNull(),
    /** unpaid | paid | shipped | delivered | completed | closed | refunding | refunded */
    status: text("status").notNull(),
    platformStatus: text("platform_status").notNull(),
    /** contracts OrderItem[] */
    items: jsonb("items").notNull(),
    totalCents: integer("total_cents").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    paidAt: timestamp("paid_at", { withTimezone: true }),
    promisedShipAt: timestamp("promised_ship_at", { withTimezone: true }),
    shippedAt: timestamp("shipped_at", { withTimezone: true }),
    carrier: text("carrier"),
    trackingNo: text("tracking_no"),
    receiverPhoneHash: text("receiver_phone_hash"),
    /** The platform time of the change applied last: an older push arriving late does not move the status back. */
    statusAt: timestamp("status_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("orders_platform_id").on(t.orgId, t.storeId, t.platformOrderId),
    index("orders_identity").on(t.orgId, t.storeId, t.identityId, t.createdAt),
    index("orders_customer").on(t.orgId, t.customerId, t.createdAt),
    index("orders_phone").on(t.orgId, t.receiverPhoneHash),
  ],
);

/** Order pushes already applied, by the platform's event id: a repeated push is a no-op. */
export const orderEvents = pgTable(
  "order_events",
  {
    orgId: uuid("org_id").notNull(),
    storeId: uuid("store_id").notNull(),
    eventId: text("event_id").notNull(),
    orderId: uuid("order_id").notNull(),
    change: text("change").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.eventId] }), index("order_events_org").on(t.orgId, t.receivedAt)],
);

/** A buyer's rating (评价) of an order or a service session. */
export const evaluations = pgTable(
  "evaluations",
  {
    id: uuid("id").primaryKey(),
    orgId: uuid("org_id").notNull(),
    storeId: uuid("store_id").notNull(),
    customerId: uuid("customer_id").notNull(),
    identityId: uuid("identity_id").notNull(),
    /** The platform's event id: a repeated push is a no-op. */
    eventId: text("event_id").notNull(),
    platformOrderId: text("platform_order_id"),
    score: integer("score").notNull(),
    comment: text("comment").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("evaluations_event").on(t.storeId, t.eventId),
    index("evaluations_store").on(t.orgId, t.storeId, t.createdAt),
  ],
);
