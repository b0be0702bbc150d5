import type { ExportFormat, ScheduleCadence, ScheduleFilters, ScheduleReportKind } from "@yunxi/contracts";
import type { AppContext } from "../../../platform/context.ts";
import { type Executor, sql } from "../../../platform/db/client.ts";
import { type ClaimedJob, RetryLater } from "../../../platform/jobs/queue.ts";
import { recordAudit } from "../../audit/index.ts";
import { type Actor, actorOfUser } from "../../identity/index.ts";
import { type ExportOptions, exportOutcome, recordExport, runExport } from "../exports.ts";
import { buildBundle, type ReportBundle } from "../report-data.ts";
import { resolveScope } from "../scope.ts";
import { type Attachment, DeliveryError, filesForWebhook, postWebhook, sendReportMail } from "./channels.ts";
import { mailServerOf, type ScheduleRow, secretContext } from "./service.ts";
import { kindTitles, kpiSummary, mailBody } from "./summary.ts";
import { reportScheduleRuns, reportSchedules } from "./tables.ts";

/**
 * One run of a schedule, as a job: build the files with the export code (as the
 * schedule's creator, with their permissions as they are now), mail them, post the
 * webhook, record the outcome. A channel that got the report is not sent to again
 * when a retry follows a failure of the other. Retries use the job queue's back-off;
 * the last failure, or one that retrying cannot fix, is recorded with its reason.
 * Files are the exports' (built under a temporary name, renamed when complete), so a
 * failed run leaves no partial file.
 */

type RunRow = typeof reportScheduleRuns.$inferSelect;

const formats: ExportFormat[] = ["xlsx", "pdf"];
const extension: Record<ExportFormat, string> = { xlsx: "xlsx", pdf: "pdf" };

async function loadRun(db: Executor, runId: string): Promise<{ run: RunRow; schedule: ScheduleRow } | null> {
  const [run] = await db.select().from(reportScheduleRuns).where(sql`${reportScheduleRuns.id} = ${runId}`);
  if (!run) return null;
  const [schedule] = await db
    .select()
    .from(reportSchedules)
    .where(sql`${reportSchedules.orgId} = ${run.orgId} AND ${reportSchedules.id} = ${run.scheduleId}`);
  return schedule ? { run, schedule } : null;
}

async function setRun(db: Executor, run: RunRow, set: Partial<RunRow>): Promise<void> {
  await db
    .update(reportScheduleRuns)
    .set(set)
    .where(sql`${reportScheduleRuns.orgId} = ${run.orgId} AND ${reportScheduleRuns.id} = ${run.id}`);
}

/** The schedule's creator as they stand now: a disabled or deleted creator's schedules stop delivering. */
async function creatorOf(ctx: AppContext, schedule: ScheduleRow): Promise<Actor> {
  const actor = await actorOfUser(ctx.db, schedule.orgId, schedule.createdBy);
  if (!actor) throw new DeliveryError("The schedule's creator is disabled or no longer exists", false);
  return actor;
}

/** Each format's export for this run: one finished earlier (a retry) is reused, else built now. */
async function buildFiles(
  ctx: AppContext,
  actor: Actor,
  run: RunRow,
  schedule: ScheduleRow,
  options: ExportOptions,
): Promise<Attachment[]> {
  const wanted = formats.filter((f) => (schedule.formats as ExportFormat[]).includes(f));
  const exportIds = { ...(run.exportIds as Partial<Record<ExportFormat, string>>) };
  const attachments: Attachment[] = [];
  for (const format of wanted) {
    let id = exportIds[format];
    let outcome = id ? await exportOutcome(ctx, run.orgId, id).catch(() => null) : null;
    if (!id || outcome?.status !== "done") {
      const request = {
        from: run.periodFrom,
        to: run.periodTo,
        filters: schedule.filters as ScheduleFilters,
        format,
        granularity: "day" as const,
        includeConversations: false,
      };
      const created = await ctx.db.transaction(async (tx) => {
        const row = await recordExport(tx, actor, request, { scheduleId: schedule.id, runId: run.id });
        exportIds[format] = row.id;
        await setRun(tx, run, { exportIds });
        return row;
      });
      id = created.id;
      await runExport(ctx, id, options);
      outcome = await exportOutcome(ctx, run.orgId, id);
    }
    if (!outcome?.file) throw new DeliveryError(`The ${format} file could not be built: ${outcome?.error}`, true);
    attachments.push({
      name: `${schedule.name}_${run.periodFrom}${run.periodTo === run.periodFrom ? "" : `_${run.periodTo}`}.${extension[format]}`,
      file: outcome.file,
    });
  }
  return attachments;
}

async function audit(db: Executor, run: RunRow, action: string, details: Record<string, unknown>): Promise<void> {
  await recordAudit(db, {
    orgId: run.orgId,
    actorId: null,
    action,
    targetType: "report_schedule",
    targetId: run.scheduleId,
    details: { runId: run.id, from: run.periodFrom, to: run.periodTo, ...details },
  });
}

interface Prepared {
  run: RunRow;
  schedule: ScheduleRow;
  kind: ScheduleReportKind;
  timeZone: string;
  attachments: Attachment[];
  bundle: ReportBundle;
}

/** The report as the creator may see it now: files and figures. */
async function prepare(ctx: AppContext, run: RunRow, schedule: ScheduleRow, options: ExportOptions): Promise<Prepared> {
  const actor = await creatorOf(ctx, schedule);
  // The creator's scope decides what the report shows; a filter they may no longer see fails the run.
  const scope = await resolveScope(ctx.db, actor, schedule.filters as ScheduleFilters).catch((err: Error) => {
    throw new DeliveryError(`The schedule's creator may not see these figures: ${err.message}`, false);
  });
  const attachments = await buildFiles(ctx, actor, run, schedule, options);
  const bundle = await buildBundle(
    ctx.db,
    scope,
    { from: run.periodFrom, to: run.periodTo, granularity: "day" },
    ctx.now().getTime(),
    schedule.name,
  );
  return { run, schedule, kind: schedule.kind as ScheduleReportKind, timeZone: scope.timeZone, attachments, bundle };
}

async function mailReport(ctx: AppContext, p: Prepared): Promise<void> {
  const { run, schedule, kind } = p;
  const recipients = schedule.recipients as string[];
  const server = await mailServerOf(ctx, run.orgId);
  if (!server) throw new DeliveryError("No outgoing mail server is set for reports (定时报表 → 发信设置)", false);
  const fileNames = p.attachments.map((a) => a.name);
  const period = run.periodFrom === run.periodTo ? run.periodFrom : `${run.periodFrom} 至 ${run.periodTo}`;
  await sendReportMail(server, {
    to: recipients,
    subject: `【云席】${schedule.name}｜${kindTitles[kind]}｜${period}`,
    ...mailBody({ scheduleName: schedule.name, kind, bundle: p.bundle, fileNames }),
    attachments: p.attachments,
    messageId: `<report-${run.id}@${server.from.split("@")[1] ?? "yunxi.local"}>`,
  });
  await ctx.db.transaction(async (tx) => {
    await setRun(tx, run, { emailSentAt: ctx.now() });
    await audit(tx, run, "analytics.schedule_delivered", { channel: "email", recipients });
  });
}

async function postReport(ctx: AppContext, p: Prepared, url: string, secretEnc: string): Promise<void> {
  const { run, schedule, kind } = p;
  await postWebhook(
    url,
    ctx.vault.decrypt(secretEnc, secretContext(schedule.id)),
    {
      event: "report.scheduled",
      deliveryId: run.id,
      schedule: { id: schedule.id, name: schedule.name, kind, cadence: schedule.cadence as ScheduleCadence },
      period: { from: run.periodFrom, to: run.periodTo, timezone: p.timeZone },
      summary: kpiSummary(p.bundle.kpis.current),
      files: filesForWebhook(p.attachments),
      generatedAt: ctx.now().toISOString(),
    },
    ctx.now().getTime(),
  );
  await ctx.db.transaction(async (tx) => {
    await setRun(tx, run, { webhookSentAt: ctx.now() });
    await audit(tx, run, "analytics.schedule_delivered", { channel: "webhook", url });
  });
}

/**
 * Each channel that has not had this run yet is tried, independently: an unreachable
 * mail server does not hold back the webhook. Their failures come back as one error,
 * worth retrying when any of them is.
 */
async function deliver(ctx: AppContext, run: RunRow, schedule: ScheduleRow, options: ExportOptions): Promise<void> {
  const prepared = await prepare(ctx, run, schedule, options);
  const sends: Array<() => Promise<void>> = [];
  if ((schedule.recipients as string[]).length > 0 && !run.emailSentAt) sends.push(() => mailReport(ctx, prepared));
  const { webhookUrl, webhookSecretEnc } = schedule;
  if (webhookUrl && webhookSecretEnc && !run.webhookSentAt) {
    sends.push(() => postReport(ctx, prepared, webhookUrl, webhookSecretEnc));
  }
  const failures: DeliveryError[] = [];
  for (const send of sends) {
    await send().catch((err: unknown) => {
      failures.push(err instanceof DeliveryError ? err : new DeliveryError(String(err), true));
    });
  }
  if (failures.length > 0) {
    throw new DeliveryError(
      failures.map((f) => f.message).join("; "),
      failures.some((f) => f.retryable),
    );
  }
}

async function finish(
  ctx: AppContext,
  run: RunRow,
  status: "sent" | "failed" | "retrying",
  error: string | null,
): Promise<void> {
  const final = status !== "retrying";
  await ctx.db.transaction(async (tx) => {
    await setRun(tx, run, { status, error, ...(final && { finishedAt: ctx.now() }) });
    await tx
      .update(reportSchedules)
      .set({ lastStatus: status, lastError: error, ...(final && { lastRunAt: ctx.now() }) })
      .where(sql`${reportSchedules.orgId} = ${run.orgId} AND ${reportSchedules.id} = ${run.scheduleId}`);
    if (status === "failed") await audit(tx, run, "analytics.schedule_delivery_failed", { reason: error });
  });
}

/** The delivery job: one attempt; throws RetryLater to be tried again after the queue's back-off. */
export async function runDelivery(ctx: AppContext, job: ClaimedJob, options: ExportOptions = {}): Promise<void> {
  const runId = job.payload.runId;
  const loaded = typeof runId === "string" ? await loadRun(ctx.db, runId) : null;
  if (!loaded || loaded.run.status === "sent" || loaded.run.status === "failed") return;
  const { schedule } = loaded;
  const run = { ...loaded.run, attempts: job.attempts };
  await setRun(ctx.db, run, { status: "running", attempts: job.attempts });
  try {
    await deliver(ctx, run, schedule, options);
    await finish(ctx, run, "sent", null);
  } catch (err) {
    const message = (err instanceof Error ? err.message : String(err)).slice(0, 1000);
    const retryable = !(err instanceof DeliveryError) || err.retryable;
    ctx.log.warn({ err, runId, attempt: job.attempts }, "scheduled report delivery failed");
    if (retryable && job.attempts < job.maxAttempts) {
      await finish(ctx, run, "retrying", message);
      throw new RetryLater(message);
    }
    await finish(ctx, run, "failed", message);
  }
}

/** A job that died on an unexpected error after its last attempt still ends its run as failed. */
export async function failDelivery(ctx: AppContext, job: ClaimedJob, error: Error): Promise<void> {
  const runId = job.payload.runId;
  const loaded = typeof runId === "string" ? await loadRun(ctx.db, runId) : null;
  if (loaded && loaded.run.status !== "sent" && loaded.run.status !== "failed") {
    await finish(ctx, loaded.run, "failed", error.message.slice(0, 1000));
  }
}
