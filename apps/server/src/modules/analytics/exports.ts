import fs from "node:fs";
import path from "node:path";
import { type CreateExportRequest, type ExportJob, type PlatformId, storeLabel } from "@yunxi/contracts";
import type { AppContext } from "../../platform/context.ts";
import { type Executor, queryRows, sql } from "../../platform/db/client.ts";
import { isId, newId } from "../../platform/db/ids.ts";
import { AppError, conflict, notFound } from "../../platform/http/errors.ts";
import { enqueue } from "../../platform/jobs/queue.ts";
import { recordAudit } from "../audit/index.ts";
import type { Actor } from "../identity/index.ts";
import { type FontCandidate, findCjkFont, MissingFontError, writePdf } from "./pdf.ts";
import { buildBundle, conversationLines } from "./report-data.ts";
import { agentsOn, canSeeEveryGroup, resolveRange, resolveScope, type Scope } from "./scope.ts";
import { analyticsExports } from "./tables.ts";
import { writeXlsx } from "./xlsx.ts";

/**
 * Report exports run as jobs: the request is checked (range, filters, permissions)
 * and recorded in the audit log at once; the job builds the file under a temporary
 * name and renames it only when complete, so a failed export leaves no file, only
 * its reason. Files live in DATA_DIR/exports (shared storage when several nodes run).
 */
export const EXPORT_QUEUE = "analytics-export";

type ExportRow = typeof analyticsExports.$inferSelect;

/** What the job needs to act as the requester did (their permissions at request time). */
interface ExportParams {
  request: CreateExportRequest;
  actor: Pick<Actor, "orgId" | "userId" | "role" | "storeIds" | "name">;
}

const extension = { xlsx: "xlsx", pdf: "pdf" } as const;
export const exportsDir = (dataDir: string) => path.join(dataDir, "exports");
const filePath = (dataDir: string, row: Pick<ExportRow, "id" | "format">) =>
  path.join(exportsDir(dataDir), `${row.id}.${extension[row.format as keyof typeof extension]}`);

export function presentExport(row: ExportRow): ExportJob {
  const params = row.params as ExportParams;
  return {
    id: row.id,
    format: row.format as ExportJob["format"],
    status: row.status as ExportJob["status"],
    progress: row.progress,
    error: row.error,
    fileName: row.fileName,
    sizeBytes: row.sizeBytes,
    from: params.request.from,
    to: params.request.to,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

export interface ExportOptions {
  /** Where to look for a CJK font (tests point it at nothing). */
  fonts?: FontCandidate[];
}

/**
 * An export's row and its audit entry, in the caller's transaction; run it with
 * `runExport` (a job, or a scheduled report's delivery). `via` tells the audit why.
 */
export async function recordExport(
  tx: Executor,
  actor: Pick<Actor, "orgId" | "userId" | "role" | "storeIds" | "name">,
  request: CreateExportRequest,
  via: Record<string, unknown> = {},
): Promise<ExportRow> {
  const params: ExportParams = {
    request,
    actor: { orgId: actor.orgId, userId: actor.userId, role: actor.role, storeIds: actor.storeIds, name: actor.name },
  };
  const [created] = await tx
    .insert(analyticsExports)
    .values({ id: newId(), orgId: actor.orgId, requestedBy: actor.userId, format: request.format, params })
    .returning();
  await recordAudit(tx, {
    orgId: actor.orgId,
    actorId: actor.userId,
    action: "analytics.export_requested",
    targetType: "analytics_export",
    targetId: created!.id,
    details: {
      format: request.format,
      from: request.from,
      to: request.to,
      filters: request.filters,
      includeConversations: request.includeConversations,
      ...via,
    },
  });
  return created!;
}

export async function createExport(
  ctx: AppContext,
  actor: Actor,
  request: CreateExportRequest,
  options: ExportOptions = {},
): Promise<ExportJob> {
  // The same checks as the reports: a bad range or filter fails now, with no job and no file.
  const scope = await resolveScope(ctx.db, actor, request.filters);
  resolveRange(request.from, request.to, scope.timeZone);
  if (request.format === "pdf" && !findCjkFont(options.fonts)) {
    throw new AppError(503, "internal", new MissingFontError().message);
  }
  const row = await ctx.db.transaction(async (tx) => {
    const created = await recordExport(tx, actor, request);
    await enqueue(tx, {
      orgId: actor.orgId,
      queue: EXPORT_QUEUE,
      payload: { exportId: created.id },
      maxAttempts: 2,
    });
    return created;
  });
  ctx.jobs.notify();
  return presentExport(row);
}

async function exportRow(db: Executor, orgId: string, id: string): Promise<ExportRow | undefined> {
  if (!isId(id)) return undefined;
  const [row] = await db
    .select()
    .from(analyticsExports)
    .where(sql`${analyticsExports.orgId} = ${orgId} AND ${analyticsExports.id} = ${id}`);
  return row;
}

/** The requester sees their exports; supervisors and admins every export of the org. */
export async function getExport(db: Executor, actor: Actor, id: string): Promise<ExportRow> {
  const row = await exportRow(db, actor.orgId, id);
  // Another's export may hold figures outside the caller's groups: only admins see every export.
  if (!row || (row.requestedBy !== actor.userId && !canSeeEveryGroup(actor))) throw notFound("Export");
  return row;
}

export async function listExports(db: Executor, actor: Actor): Promise<ExportJob[]> {
  const mine = canSeeEveryGroup(actor) ? sql`true` : sql`${analyticsExports.requestedBy} = ${actor.userId}`;
  const rows = await db
    .select()
    .from(analyticsExports)
    .where(sql`${analyticsExports.orgId} = ${actor.orgId} AND ${mine}`)
    .orderBy(sql`${analyticsExports.createdAt} DESC`)
    .limit(50);
  return rows.map(presentExport);
}

export interface ExportedFile {
  file: string;
  fileName: string;
  mime: string;
  size: number;
}

/** The finished file: path, name and type; a queued, running or failed export has none. */
export async function exportFile(ctx: AppContext, actor: Actor, id: string): Promise<ExportedFile> {
  return finishedFile(ctx, await getExport(ctx.db, actor, id));
}

/** An export's outcome, read by the org's own code (a scheduled report attaching its file). */
export async function exportOutcome(
  ctx: AppContext,
  orgId: string,
  id: string,
): Promise<{ status: string; error: string | null; file: ExportedFile | null }> {
  const row = await exportRow(ctx.db, orgId, id);
  if (!row) throw notFound("Export");
  return { status: row.status, error: row.error, file: row.status === "done" ? finishedFile(ctx, row) : null };
}

function finishedFile(ctx: AppContext, row: ExportRow): ExportedFile {
  if (row.status !== "done")
    throw conflict(row.status === "failed" ? `The export failed: ${row.error}` : "The export is not ready yet");
  const file = filePath(ctx.config.dataDir, row);
  if (!fs.existsSync(file)) throw notFound("Export file");
  return {
    file,
    fileName: row.fileName ?? path.basename(file),
    mime:
      row.format === "pdf" ? "application/pdf" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    size: fs.statSync(file).size,
  };
}

async function setProgress(db: Executor, id: string, progress: number): Promise<void> {
  await db.execute(sql`UPDATE analytics_exports SET progress = ${Math.round(progress)} WHERE id = ${id}`);
}

function scopeLabel(scope: Scope, request: CreateExportRequest): string {
  const parts: string[] = [];
  const f = request.filters;
  if (f.storeId) {
    const s = scope.allStores.get(f.storeId);
    if (s) parts.push(storeLabel(s.platform as PlatformId, s.name));
  }
  if (f.platform) parts.push(`平台 ${f.platform}`);
  if (f.groupId) parts.push("客服组");
  if (f.agentId) parts.push(`客服 ${scope.userNames.get(f.agentId) ?? f.agentId}`);
  if (f.intent) parts.push(`意图 ${f.intent === "-" ? "未分类" : f.intent}`);
  if (f.category) parts.push(`类目 ${f.category === "-" ? "未识别" : f.category}`);
  return parts.length > 0 ? parts.join("，") : "全部";
}

/** Build the export's file. Never leaves a partial file; a failure is recorded with its reason. */
export async function runExport(ctx: AppContext, exportId: string, options: ExportOptions = {}): Promise<void> {
  const [row] = await ctx.db.select().from(analyticsExports).where(sql`${analyticsExports.id} = ${exportId}`);
  if (!row || row.status === "done" || row.status === "failed") return;
  await ctx.db.execute(
    sql`UPDATE analytics_exports SET status = 'running', progress = 0, error = NULL WHERE id = ${row.id}`,
  );
  const params = row.params as ExportParams;
  const request = params.request;
  const final = filePath(ctx.config.dataDir, row);
  const partial = `${final}.part`;
  try {
    const font = request.format === "pdf" ? findCjkFont(options.fonts) : null;
    if (request.format === "pdf" && !font) throw new MissingFontError();
    fs.mkdirSync(exportsDir(ctx.config.dataDir), { recursive: true });
    const actor = { ...params.actor, sessionId: "", csrfToken: "" } as Actor;
    const scope = await resolveScope(ctx.db, actor, request.filters);
    const range = resolveRange(request.from, request.to, scope.timeZone);
    const nowMs = ctx.now().getTime();
    const bundle = await buildBundle(ctx.db, scope, request, nowMs, scopeLabel(scope, request));
    await setProgress(ctx.db, row.id, 30);
    if (request.format === "pdf") {
      await writePdf(partial, bundle, font!);
    } else {
      const total = request.includeConversations
        ? await countConversations(ctx.db, scope, range.startMs, range.endMs)
        : 0;
      await writeXlsx({
        filename: partial,
        bundle,
        scope,
        ...(request.includeConversations && {
          conversations: conversationLines(ctx.db, scope, range.startMs, range.endMs),
          onRows: (rows: number) => setProgress(ctx.db, row.id, 30 + (65 * rows) / Math.max(1, total)),
        }),
      });
    }
    fs.renameSync(partial, final);
    const fileName = `云席报表_${request.from}_${request.to}.${extension[request.format]}`;
    await ctx.db.execute(
      sql`UPDATE analytics_exports SET status = 'done', progress = 100, file_name = ${fileName},
            size_bytes = ${fs.statSync(final).size}, finished_at = ${ctx.now().toISOString()}::timestamptz
          WHERE id = ${row.id}`,
    );
  } catch (err) {
    // Whatever was written goes: a failed export leaves no file to download.
    fs.rmSync(partial, { force: true, recursive: true });
    fs.rmSync(final, { force: true, recursive: true });
    const message = err instanceof Error ? err.message : String(err);
    ctx.log.warn({ err, exportId }, "analytics export failed");
    await ctx.db.execute(
      sql`UPDATE analytics_exports SET status = 'failed', error = ${message.slice(0, 1000)},
            finished_at = ${ctx.now().toISOString()}::timestamptz WHERE id = ${row.id}`,
    );
  }
}

async function countConversations(db: Executor, scope: Scope, startMs: number, endMs: number): Promise<number> {
  const [row] = await queryRows<{ n: string | number }>(
    db,
    sql`SELECT count(*) AS n FROM analytics_conversations c
        WHERE c.org_id = ${scope.orgId} AND c.started_at >= ${new Date(startMs).toISOString()}::timestamptz
          AND c.started_at < ${new Date(endMs).toISOString()}::timestamptz
          ${scope.storeIds === null ? sql`` : sql`AND c.store_id = ANY(${sql.param(scope.storeIds)}::uuid[])`}
          AND ${agentsOn(scope, sql`c.agent_id`)}`,
  );
  return Number(row?.n ?? 0);
}

export function registerExports(ctx: AppContext, options: ExportOptions = {}): void {
  ctx.jobs.register(EXPORT_QUEUE, async (job) => {
    const id = job.payload.exportId;
    if (typeof id === "string") await runExport(ctx, id, options);
  });
}
