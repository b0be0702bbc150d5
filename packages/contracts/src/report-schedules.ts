import { z } from "zod";
import { ExportFormat } from "./analytics.ts";
import { PlatformId } from "./platforms.ts";

/**
 * Scheduled reports (issue 6): a report of the last day, week or month, built at a
 * local time of the org and delivered by e-mail (attachments) and/or a signed
 * webhook. See docs/metrics.md "Scheduled reports" for the webhook's payload.
 */

/** What the report leads with: the KPI overview, agents, platforms or customer needs. */
export const scheduleReportKinds = ["overview", "agents", "platforms", "needs"] as const;
export const ScheduleReportKind = z.enum(scheduleReportKinds);
export type ScheduleReportKind = z.infer<typeof ScheduleReportKind>;

/** daily = yesterday, weekly = last week Monday–Sunday, monthly = last calendar month. */
export const scheduleCadences = ["daily", "weekly", "monthly"] as const;
export const ScheduleCadence = z.enum(scheduleCadences);
export type ScheduleCadence = z.infer<typeof ScheduleCadence>;

export const scheduleRunStatuses = ["queued", "running", "retrying", "sent", "failed"] as const;
export const ScheduleRunStatus = z.enum(scheduleRunStatuses);
export type ScheduleRunStatus = z.infer<typeof ScheduleRunStatus>;

/** A schedule reports on a store, a platform or a group, or the whole org (no filter). */
export const ScheduleFilters = z.strictObject({
  storeId: z.string().max(64).optional(),
  platform: PlatformId.optional(),
  groupId: z.string().max(64).optional(),
});
export type ScheduleFilters = z.infer<typeof ScheduleFilters>;

/** `HH:mm`, 24-hour, in the org's time zone. */
export const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:mm, 00:00–23:59");

export const MAX_RECIPIENTS = 20;

const scheduleShape = {
  name: z.string().trim().min(1).max(80),
  kind: ScheduleReportKind,
  filters: ScheduleFilters.default({}),
  cadence: ScheduleCadence,
  time: ClockTime,
  /** Weekly only: 1 = Monday … 7 = Sunday. */
  weekday: z.number().int().min(1).max(7).nullable().default(null),
  /** Monthly only: 1…31; a month without that day sends on its last day. */
  dayOfMonth: z.number().int().min(1).max(31).nullable().default(null),
  formats: z
    .array(ExportFormat)
    .min(1)
    .max(2)
    .refine((f) => new Set(f).size === f.length, "Each format once"),
  recipients: z.array(z.email().max(254)).max(MAX_RECIPIENTS).default([]),
  /** Where the signed JSON goes; null = no webhook. */
  webhookUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .nullable()
    .default(null),
  enabled: z.boolean().default(true),
};

type Timing = { cadence: ScheduleCadence; weekday: number | null; dayOfMonth: number | null };
type Targets = { recipients: string[]; webhookUrl: string | null };

const timingChecks = <T extends z.ZodType<Timing & Targets>>(schema: T) =>
  schema
    .refine((s) => (s.cadence === "weekly") === (s.weekday !== null), {
      message: "A weekly schedule needs a weekday, and only a weekly one",
      path: ["weekday"],
    })
    .refine((s) => (s.cadence === "monthly") === (s.dayOfMonth !== null), {
      message: "A monthly schedule needs a day of the month, and only a monthly one",
      path: ["dayOfMonth"],
    })
    .refine((s) => s.recipients.length > 0 || s.webhookUrl !== null, {
      message: "A schedule needs at least one recipient or a webhook URL",
      path: ["recipients"],
    });

/** Create and replace take the whole schedule (PUT is a full replace). */
export const ReportScheduleInput = timingChecks(z.strictObject(scheduleShape));
export type ReportScheduleInput = z.infer<typeof ReportScheduleInput>;

export const ReportSchedule = z.object({
  id: z.string(),
  name: z.string(),
  kind: ScheduleReportKind,
  filters: ScheduleFilters,
  cadence: ScheduleCadence,
  time: z.string(),
  weekday: z.number().nullable(),
  dayOfMonth: z.number().nullable(),
  formats: z.array(ExportFormat),
  recipients: z.array(z.string()),
  webhookUrl: z.string().nullable(),
  enabled: z.boolean(),
  timezone: z.string(),
  createdBy: z.object({ id: z.string(), name: z.string() }),
  nextRunAt: z.string().nullable(),
  lastRunAt: z.string().nullable(),
  lastStatus: ScheduleRunStatus.nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ReportSchedule = z.infer<typeof ReportSchedule>;

/** The answer to create/replace: the webhook secret appears here once, when it is made. */
export const SavedReportSchedule = z.object({
  schedule: ReportSchedule,
  webhookSecret: z.string().nullable(),
});
export type SavedReportSchedule = z.infer<typeof SavedReportSchedule>;

export const ReportScheduleList = z.object({ items: z.array(ReportSchedule) });

export const ScheduleRun = z.object({
  id: z.string(),
  scheduleId: z.string(),
  trigger: z.enum(["schedule", "manual"]),
  periodFrom: z.string(),
  periodTo: z.string(),
  status: ScheduleRunStatus,
  attempts: z.number(),
  error: z.string().nullable(),
  emailSentAt: z.string().nullable(),
  webhookSentAt: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type ScheduleRun = z.infer<typeof ScheduleRun>;
export const ScheduleRunList = z.object({ items: z.array(ScheduleRun) });

export const WebhookSecret = z.object({ webhookSecret: z.string() });

// ── Outgoing mail for reports (admins) ───────────────────────────────────

export const ReportMailSettingsInput = z.strictObject({
  host: z.string().trim().min(1).max(253),
  port: z.number().int().min(1).max(65_535),
  /** TLS from the first byte (465); false = plain, upgraded with STARTTLS when offered. */
  secure: z.boolean().default(false),
  user: z.string().max(254).nullable().default(null),
  /** Write-only: omitted keeps the stored password, null removes it. */
  password: z.string().max(512).nullable().optional(),
  from: z.email().max(254),
});
export type ReportMailSettingsInput = z.infer<typeof ReportMailSettingsInput>;

export const ReportMailSettings = z.object({
  configured: z.boolean(),
  host: z.string().nullable(),
  port: z.number().nullable(),
  secure: z.boolean(),
  user: z.string().nullable(),
  passwordSet: z.boolean(),
  from: z.string().nullable(),
});
export type ReportMailSettings = z.infer<typeof ReportMailSettings>;

// ── The webhook's body ───────────────────────────────────────────────────

export const ScheduleWebhookPayload = z.object({
  event: z.literal("report.scheduled"),
  deliveryId: z.string(),
  schedule: z.object({ id: z.string(), name: z.string(), kind: ScheduleReportKind, cadence: ScheduleCadence }),
  period: z.object({ from: z.string(), to: z.string(), timezone: z.string() }),
  summary: z.record(z.string(), z.number().nullable()),
  files: z.array(z.object({ name: z.string(), mime: z.string(), sizeBytes: z.number(), base64: z.string() })),
  generatedAt: z.string(),
});
export type ScheduleWebhookPayload = z.infer<typeof ScheduleWebhookPayload>;
