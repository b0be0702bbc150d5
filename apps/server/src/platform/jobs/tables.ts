import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Durable background jobs, claimed with `FOR UPDATE SKIP LOCKED` so any number of
 * workers on any number of nodes share them. Jobs with the same ordering key run
 * one at a time, in order (replies of one conversation are delivered in order).
 */
export const jobs = pgTable(
  "jobs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    orgId: uuid("org_id").notNull(),
    queue: text("queue").notNull(),
    payload: jsonb("payload").notNull(),
    /** queued → running → (deleted when done) | failed */
    status: text("status").notNull().default("queued"),
    orderingKey: text("ordering_key"),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(8),
    runAt: timestamp("run_at", { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("jobs_claim").on(t.status, t.runAt), index("jobs_ordering").on(t.orderingKey, t.id)],
);
