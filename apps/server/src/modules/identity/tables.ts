import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const orgs = pgTable("orgs", {
  id: uuid("id").primaryKey(),
  /** The org's own id: every table has org_id, this one included, to keep the rule without exception. */
  orgId: uuid("org_id").notNull(),
  name: text("name").notNull(),
  timezone: text("timezone").notNull().default("Asia/Shanghai"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey(),
    orgId: uuid("org_id").notNull(),
    /** Lower-cased; unique across orgs so login needs no org name. */
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: text("role").notNull(),
    passwordHash: text("password_hash").notNull(),
    disabled: boolean("disabled").notNull().default(false),
    failedLogins: integer("failed_logins").notNull().default(0),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("users_email").on(t.email), index("users_org").on(t.orgId)],
);

export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey(),
    orgId: uuid("org_id").notNull(),
    userId: uuid("user_id").notNull(),
    /** SHA-256 of the cookie token: a database leak does not leak live sessions. */
    tokenHash: text("token_hash").notNull(),
    csrfToken: text("csrf_token").notNull(),
    userAgent: text("user_agent"),
    ip: text("ip"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("sessions_token").on(t.tokenHash), index("sessions_user").on(t.orgId, t.userId)],
);

/** Which stores an agent serves. Supervisors and admins see every store of their org. */
export const userStores = pgTable(
  "user_stores",
  {
    orgId: uuid("org_id").notNull(),
    userId: uuid("user_id").notNull(),
    storeId: uuid("store_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.storeId] }), index("user_stores_store").on(t.orgId, t.storeId)],
);
