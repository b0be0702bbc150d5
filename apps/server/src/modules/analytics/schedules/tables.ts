import { boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Report schedules: what to report (kind, filters, formats), when (cadence, local
 * time, weekday or day of month, in the org's time zone), to whom (e-mail
 * recipients, a signed webhook). `next_run_at` is the instant of the next run;
 * the scheduler claims due rows by moving it forward in the same statement.
 */
export const reportSchedules = pgTable(
  "report_schedules",
  {
    id: uuid("id").primaryKey(),
    orgId: uuid("org_id").notNull(),
    name: text("name").notNull(),
    /** overview | agents | platforms | needs */
    kind: text("kind").notNull(),
    /** contracts ScheduleFilters */
    filters: jsonb("filters").notNull(),
    /** daily | weekly | monthly */
    cadence: text("cadence").notNull(),
    /** Minutes after local midnight. */
    minuteOfDay: integer("minute_of_day").notNull(),
    weekday: integer("weekday"),
    dayOfMonth: integer("day_of_month"),
    /** ["xlsx", "pdf"] */
    formats: jsonb("formats").notNull(),
    recipients: jsonb("recipients").notNull(),
    webhookUrl: text("webhook_url"),
    /** The webhook's HMAC key, vault-encrypted (associated data: the schedule id). */
    webhookSecretEnc: text("webhook_secret_enc"),
    enabled: boolean("enabled").notNull().default(true),
    /** Whose view the report shows: it never shows more than this user may see. */
    createdBy: uuid("created_by").notNull(),
    nextRunAt: timestamp("next_run_at", { withTimezone: true }),
    lastRunAt: timestamp("last_run_at", { withTimezone: true }),
    lastStatus: text("last_status"),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("report_schedules_due").on(t.nextRunAt), index("report_schedules_org").on(t.orgId, t.createdAt)],
);

/**
 * One delivery of a schedule: the period it covers, its exports, and which channel
 * already got it, so a retry after a failed webhook does not mail twice.
 */
export const reportScheduleRuns = pgTable(
  "report_schedule_runs",
  {
    id: uuid("id").primaryKey(),
    orgId: uuid("org_id").notNull(),
    scheduleId: uuid("schedule_id").notNull(),
    /** schedule | manual */
    trigger: text("trigger").notNull(),
    periodFrom: text("period_from").notNull(),
    periodTo: text("period_to").notNull(),
    /** queued | running | retrying | sent | failed */
    status: text("status").notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    error: text("error"),
    /** The analytics_exports rows built for this run, by format. */
    exportIds: jsonb("export_ids").notNull().default({}),
    emailSentAt: timestamp("email_sent_at", { withTimezone: true }),
    webhookSentAt: timestamp("webhook_sent_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("report_schedule_runs_schedule").on(t.orgId, t.scheduleId, t.createdAt)],
);

/** The org's outgoing mail server for reports (admins); the password vault-encrypted. */
export const reportMailSettings = pgTable("report_mail_settings", {
  orgId: uuid("org_id").primaryKey(),
  host: text("host").notNull(),
  port: integer("port").notNull(),
  secure: boolean("secure").notNull().default(false),
  username: text("username"),
  passwordEnc: text("password_enc"),
  fromAddress: text("from_address").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
