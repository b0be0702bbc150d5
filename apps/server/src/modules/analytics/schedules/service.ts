import type {
  ExportFormat,
  ReportMailSettings,
  ReportMailSettingsInput,
  ReportSchedule,
  ReportScheduleInput,
  SavedReportSchedule,
  ScheduleFilters,
  ScheduleRun,
} from "@yunxi/contracts";
import type { AppContext } from "../../../platform/context.ts";
import { randomToken } from "../../../platform/crypto.ts";
import { type Executor, sql } from "../../../platform/db/client.ts";
import { isId, newId } from "../../../platform/db/ids.ts";
import { AppError, forbidden, notFound } from "../../../platform/http/errors.ts";
import { enqueue } from "../../../platform/jobs/queue.ts";
import { recordAudit } from "../../audit/index.ts";
import { type Actor, canSeeStore, getOrg, listUsers } from "../../identity/index.ts";
import { findCjkFont, MissingFontError } from "../pdf.ts";
import { assertSupervisor, canChangeAnalyticsSettings, resolveScope } from "../scope.ts";
import { reportMailSettings, reportScheduleRuns, reportSchedules } from "./tables.ts";
import { clockToMinutes, minutesToClock, nextRunAt, reportPeriod } from "./timing.ts";

/**
 * Report schedules: supervisors and admins manage the schedules whose filters they
 * may see; admins set the org's outgoing mail server. Every change is audited; a
 * webhook secret is made by us, shown once, and kept encrypted.
 */

export const SCHEDULE_RUN_QUEUE = "analytics-schedule-run";
/** One try and three retries, 1 s, 2 s and 4 s apart (the job queue's back-off). */
export const RUN_ATTEMPTS = 4;

export type ScheduleRow = typeof reportSchedules.$inferSelect;
type RunRow = typeof reportScheduleRuns.$inferSelect;

const iso = (d: Date | null) => d?.toISOString() ?? null;
export const secretContext = (scheduleId: string) => `report-schedule:${scheduleId}`;
const passwordContext = (orgId: string) => `report-mail:${orgId}`;

function present(row: ScheduleRow, timezone: string, names: Map<string, string>): ReportSchedule {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as ReportSchedule["kind"],
    filters: row.filters as ScheduleFilters,
    cadence: row.cadence as ReportSchedule["cadence"],
    time: minutesToClock(row.minuteOfDay),
    weekday: row.weekday,
    dayOfMonth: row.dayOfMonth,
    formats: row.formats as ExportFormat[],
    recipients: row.recipients as string[],
    webhookUrl: row.webhookUrl,
    enabled: row.enabled,
    timezone,
    createdBy: { id: row.createdBy, name: names.get(row.createdBy) ?? "" },
    nextRunAt: iso(row.nextRunAt),
    lastRunAt: iso(row.lastRunAt),
    lastStatus: row.lastStatus as ReportSchedule["lastStatus"],
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function presentRun(row: RunRow): ScheduleRun {
  return {
    id: row.id,
    scheduleId: row.scheduleId,
    trigger: row.trigger as ScheduleRun["trigger"],
    periodFrom: row.periodFrom,
    periodTo: row.periodTo,
    status: row.status as ScheduleRun["status"],
    attempts: row.attempts,
    error: row.error,
    emailSentAt: iso(row.emailSentAt),
    webhookSentAt: iso(row.webhookSentAt),
    createdAt: row.createdAt.toISOString(),
    finishedAt: iso(row.finishedAt),
  };
}

async function presenter(db: Executor, orgId: string) {
  const [org, users] = await Promise.all([getOrg(db, orgId), listUsers(db, orgId)]);
  const names = new Map(users.map((u) => [u.id, u.name]));
  return (row: ScheduleRow) => present(row, org.timezone, names);
}

/** A schedule is the actor's to see and manage when its store filter is one they serve. */
const inScope = (actor: Actor, filters: ScheduleFilters) =>
  filters.storeId === undefined || canSeeStore(actor, filters.storeId);

async function scheduleRow(db: Executor, actor: Actor, id: string): Promise<ScheduleRow> {
  assertSupervisor(actor);
  if (!isId(id)) throw notFound("Schedule");
  const [row] = await db
    .select()
    .from(reportSchedules)
    .where(sql`${reportSchedules.orgId} = ${actor.orgId} AND ${reportSchedules.id} = ${id}`);
  if (!row) throw notFound("Schedule");
  if (!inScope(actor, row.filters as ScheduleFilters)) throw forbidden("You do not serve this schedule's store");
  return row;
}

export async function listSchedules(db: Executor, actor: Actor): Promise<ReportSchedule[]> {
  assertSupervisor(actor);
  const rows = await db
    .select()
    .from(reportSchedules)
    .where(sql`${reportSchedules.orgId} = ${actor.orgId}`)
    .orderBy(reportSchedules.createdAt);
  const show = await presenter(db, actor.orgId);
  return rows.filter((r) => inScope(actor, r.filters as ScheduleFilters)).map(show);
}

export async function getSchedule(db: Executor, actor: Actor, id: string): Promise<ReportSchedule> {
  const row = await scheduleRow(db, actor, id);
  return (await presenter(db, actor.orgId))(row);
}

/**
 * The filters are checked as a report request would be (unknown store or group 404,
 * a store the actor does not serve 403), so a schedule never asks for more than its
 * creator may see; a PDF needs the CJK font now, not at 09:00 tomorrow.
 */
async function checkInput(ctx: AppContext, actor: Actor, input: ReportScheduleInput): Promise<string> {
  assertSupervisor(actor);
  const scope = await resolveScope(ctx.db, actor, input.filters);
  if (input.formats.includes("pdf") && !findCjkFont()) {
    throw new AppError(503, "internal", new MissingFontError().message);
  }
  return scope.timeZone;
}

function timingColumns(input: ReportScheduleInput, nowMs: number, timeZone: string) {
  const timing = {
    cadence: input.cadence,
    minuteOfDay: clockToMinutes(input.time),
    weekday: input.weekday,
    dayOfMonth: input.dayOfMonth,
  };
  return { ...timing, nextRunAt: input.enabled ? new Date(nextRunAt(timing, nowMs, timeZone)) : null };
}

/** What the audit keeps of a schedule (never the secret). */
const auditDetails = (input: ReportScheduleInput) => ({
  name: input.name,
  kind: input.kind,
  filters: input.filters,
  cadence: input.cadence,
  time: input.time,
  weekday: input.weekday,
  dayOfMonth: input.dayOfMonth,
  formats: input.formats,
  recipients: input.recipients,
  webhookUrl: input.webhookUrl,
  enabled: input.enabled,
});

export async function createSchedule(
  ctx: AppContext,
  actor: Actor,
  input: ReportScheduleInput,
): Promise<SavedReportSchedule> {
  const timeZone = await checkInput(ctx, actor, input);
  const id = newId();
  const secret = input.webhookUrl ? randomToken(32) : null;
  const row = await ctx.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(reportSchedules)
      .values({
        id,
        orgId: actor.orgId,
        name: input.name,
        kind: input.kind,
        filters: input.filters,
        ...timingColumns(input, ctx.now().getTime(), timeZone),
        formats: input.formats,
        recipients: input.recipients,
        webhookUrl: input.webhookUrl,
        webhookSecretEnc: secret ? ctx.vault.encrypt(secret, secretContext(id)) : null,
        enabled: input.enabled,
        createdBy: actor.userId,
      })
      .returning();
    await recordAudit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: "analytics.schedule_created",
      targetType: "report_schedule",
      targetId: id,
      details: auditDetails(input),
    });
    return created!;
  });
  return { schedule: (await presenter(ctx.db, actor.orgId))(row), webhookSecret: secret };
}

/** A full replace. The webhook keeps its secret while it has a URL; a first URL gets a new one, shown once. */
export async function updateSchedule(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: ReportScheduleInput,
): Promise<SavedReportSchedule> {
  const current = await scheduleRow(ctx.db, actor, id);
  const timeZone = await checkInput(ctx, actor, input);
  const secret = input.webhookUrl && !current.webhookSecretEnc ? randomToken(32) : null;
  const secretEnc = !input.webhookUrl
    ? null
    : secret
      ? ctx.vault.encrypt(secret, secretContext(id))
      : current.webhookSecretEnc;
  const row = await ctx.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(reportSchedules)
      .set({
        name: input.name,
        kind: input.kind,
        filters: input.filters,
        ...timingColumns(input, ctx.now().getTime(), timeZone),
        formats: input.formats,
        recipients: input.recipients,
        webhookUrl: input.webhookUrl,
        webhookSecretEnc: secretEnc,
        enabled: input.enabled,
        updatedAt: ctx.now(),
      })
      .where(sql`${reportSchedules.orgId} = ${actor.orgId} AND ${reportSchedules.id} = ${id}`)
      .returning();
    await recordAudit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: "analytics.schedule_updated",
      targetType: "report_schedule",
      targetId: id,
      details: auditDetails(input),
    });
    return updated!;
  });
  return { schedule: (await presenter(ctx.db, actor.orgId))(row), webhookSecret: secret };
}

export async function deleteSchedule(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  const row = await scheduleRow(ctx.db, actor, id);
  await ctx.db.transaction(async (tx) => {
    await tx
      .delete(reportScheduleRuns)
      .where(sql`${reportScheduleRuns.orgId} = ${actor.orgId} AND ${reportScheduleRuns.scheduleId} = ${id}`);
    await tx
      .delete(reportSchedules)
      .where(sql`${reportSchedules.orgId} = ${actor.orgId} AND ${reportSchedules.id} = ${id}`);
    await recordAudit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: "analytics.schedule_deleted",
      targetType: "report_schedule",
      targetId: id,
      details: { name: row.name },
    });
  });
}

/** Admins may read a webhook's secret again (to configure the receiver); the reading is audited. */
export async function revealWebhookSecret(ctx: AppContext, actor: Actor, id: string): Promise<string> {
  if (!canChangeAnalyticsSettings(actor)) throw forbidden("Only admins can read a webhook secret");
  const row = await scheduleRow(ctx.db, actor, id);
  if (!row.webhookSecretEnc) throw notFound("Webhook secret");
  await ctx.db.transaction((tx) =>
    recordAudit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: "analytics.schedule_secret_viewed",
      targetType: "report_schedule",
      targetId: id,
    }),
  );
  return ctx.vault.decrypt(row.webhookSecretEnc, secretContext(id));
}

/**
 * A run of a schedule and its delivery job, in the caller's transaction: for the
 * scheduler (the period before the due time) and for 立即发送 (the period before now).
 */
export async function enqueueRun(
  tx: Executor,
  schedule: Pick<ScheduleRow, "id" | "orgId" | "cadence">,
  trigger: "schedule" | "manual",
  atMs: number,
  timeZone: string,
): Promise<RunRow> {
  const period = reportPeriod(schedule.cadence as ReportSchedule["cadence"], atMs, timeZone);
  const [run] = await tx
    .insert(reportScheduleRuns)
    .values({
      id: newId(),
      orgId: schedule.orgId,
      scheduleId: schedule.id,
      trigger,
      periodFrom: period.from,
      periodTo: period.to,
    })
    .returning();
  await enqueue(tx, {
    orgId: schedule.orgId,
    queue: SCHEDULE_RUN_QUEUE,
    payload: { runId: run!.id },
    orderingKey: `${SCHEDULE_RUN_QUEUE}:${schedule.id}`,
    maxAttempts: RUN_ATTEMPTS,
  });
  return run!;
}

/** 立即发送: the last whole period, delivered now; the schedule's timing is unchanged. */
export async function runNow(ctx: AppContext, actor: Actor, id: string): Promise<ScheduleRun> {
  const row = await scheduleRow(ctx.db, actor, id);
  const org = await getOrg(ctx.db, actor.orgId);
  const run = await ctx.db.transaction(async (tx) => {
    const created = await enqueueRun(tx, row, "manual", ctx.now().getTime(), org.timezone);
    await tx
      .update(reportSchedules)
      .set({ lastStatus: "queued", lastError: null })
      .where(sql`${reportSchedules.orgId} = ${actor.orgId} AND ${reportSchedules.id} = ${id}`);
    await recordAudit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: "analytics.schedule_run_requested",
      targetType: "report_schedule",
      targetId: id,
      details: { runId: created.id, from: created.periodFrom, to: created.periodTo },
    });
    return created;
  });
  ctx.jobs.notify();
  return presentRun(run);
}

export async function listRuns(db: Executor, actor: Actor, id: string): Promise<ScheduleRun[]> {
  await scheduleRow(db, actor, id);
  const rows = await db
    .select()
    .from(reportScheduleRuns)
    .where(sql`${reportScheduleRuns.orgId} = ${actor.orgId} AND ${reportScheduleRuns.scheduleId} = ${id}`)
    .orderBy(sql`${reportScheduleRuns.createdAt} DESC`)
    .limit(20);
  return rows.map(presentRun);
}

// ── Outgoing mail (admins) ───────────────────────────────────────────────

export interface MailServer {
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  password: string | null;
  from: string;
}

async function mailRow(db: Executor, orgId: string) {
  const [row] = await db.select().from(reportMailSettings).where(sql`${reportMailSettings.orgId} = ${orgId}`);
  return row;
}

/** The org's relay with its password decrypted, for the delivery; null when none is set. */
export async function mailServerOf(ctx: AppContext, orgId: string): Promise<MailServer | null> {
  const row = await mailRow(ctx.db, orgId);
  if (!row) return null;
  return {
    host: row.host,
    port: row.port,
    secure: row.secure,
    user: row.username,
    password: row.passwordEnc ? ctx.vault.decrypt(row.passwordEnc, passwordContext(orgId)) : null,
    from: row.fromAddress,
  };
}

function assertAdmin(actor: Actor): void {
  if (!canChangeAnalyticsSettings(actor)) throw forbidden("Only admins can change the report mail server");
}

export async function getMailSettings(db: Executor, actor: Actor): Promise<ReportMailSettings> {
  assertAdmin(actor);
  const row = await mailRow(db, actor.orgId);
  return {
    configured: row !== undefined,
    host: row?.host ?? null,
    port: row?.port ?? null,
    secure: row?.secure ?? false,
    user: row?.username ?? null,
    passwordSet: Boolean(row?.passwordEnc),
    from: row?.fromAddress ?? null,
  };
}

/** The password is write-only: omitted keeps it, null removes it, a string replaces it. */
export async function setMailSettings(
  ctx: AppContext,
  actor: Actor,
  input: ReportMailSettingsInput,
): Promise<ReportMailSettings> {
  assertAdmin(actor);
  const current = await mailRow(ctx.db, actor.orgId);
  const passwordEnc =
    input.password === undefined
      ? (current?.passwordEnc ?? null)
      : input.password === null
        ? null
        : ctx.vault.encrypt(input.password, passwordContext(actor.orgId));
  const values = {
    host: input.host,
    port: input.port,
    secure: input.secure,
    username: input.user,
    passwordEnc,
    fromAddress: input.from,
    updatedAt: ctx.now(),
  };
  await ctx.db.transaction(async (tx) => {
    await tx
      .insert(reportMailSettings)
      .values({ orgId: actor.orgId, ...values })
      .onConflictDoUpdate({ target: reportMailSettings.orgId, set: values });
    await recordAudit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: "analytics.report_mail_changed",
      targetType: "org",
      targetId: actor.orgId,
      details: {
        host: input.host,
        port: input.port,
        secure: input.secure,
        user: input.user,
        from: input.from,
        password: input.password === undefined ? "kept" : input.password === null ? "removed" : "changed",
      },
    });
  });
  return getMailSettings(ctx.db, actor);
}
