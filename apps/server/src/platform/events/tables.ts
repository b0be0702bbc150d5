import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * The event log behind realtime: every event an agent's screen reacts to, with an
 * org-wide increasing sequence number so a reconnecting client can ask for what
 * it missed. Rows are appended inside the transaction that caused them.
 */
export const realtimeEvents = pgTable(
  "realtime_events",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    orgId: uuid("org_id").notNull(),
    storeId: uuid("store_id"),
    type: text("type").notNull(),
    payload: jsonb("payload").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("realtime_events_org_seq").on(t.orgId, t.seq)],
);
