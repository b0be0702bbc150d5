import fs from "node:fs";
import {
  AgentReport,
  AnalyticsSettings,
  ApiError,
  ConversationQuality,
  CreateExportRequest,
  Dashboard,
  DashboardQuery,
  DrilldownQuery,
  DrilldownResult,
  ExportJob,
  ExportList,
  IntentReport,
  KpiQuery,
  KpiReport,
  PlatformReport,
  QualityReport,
  QualityRuleSet,
  ReportQuery,
} from "@yunxi/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../platform/context.ts";
import { actorOf } from "../identity/index.ts";
import { dashboard } from "./dashboard.ts";
import { createExport, exportFile, getExport, listExports, presentExport } from "./exports.ts";
import { agentReport, drilldown, intentReport, kpiReport, platformReport, qualityReport } from "./queries.ts";
import { assertSupervisor, resolveScope } from "./scope.ts";
import { conversationQuality, getQualityRules, getSettings, updateQualityRules, updateSettings } from "./settings.ts";

const IdParams = z.strictObject({ id: z.string().max(64) });
const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError, 409: ApiError, 503: ApiError };

/** Split a query's range and filters. */
function filtersOf<T extends Record<string, unknown>>(q: T) {
  const { storeId, platform, groupId, agentId, intent, category } = q as Record<string, string | undefined>;
  return Object.fromEntries(
    Object.entries({ storeId, platform, groupId, agentId, intent, category }).filter(([, v]) => v !== undefined),
  ) as Parameters<typeof resolveScope>[2];
}

/**
 * The data hub's API. Every route resolves the caller's scope first (which checks the
 * filters and the caller's right to see them), then reads the rollups.
 */
export function analyticsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["analytics"];
  const now = () => ctx.now().getTime();

  r.get(
    "/api/analytics/kpis",
    { schema: { tags, querystring: KpiQuery, response: { 200: KpiReport, ...errors } } },
    async (request) => {
      const scope = await resolveScope(ctx.db, actorOf(request), filtersOf(request.query));
      return kpiReport(ctx.db, scope, request.query, now());
    },
  );
  r.get(
    "/api/analytics/reports/agents",
    { schema: { tags, querystring: ReportQuery, response: { 200: AgentReport, ...errors } } },
    async (request) =>
      agentReport(ctx.db, await resolveScope(ctx.db, actorOf(request), filtersOf(request.query)), request.query, now()),
  );
  r.get(
    "/api/analytics/reports/platforms",
    { schema: { tags, querystring: ReportQuery, response: { 200: PlatformReport, ...errors } } },
    async (request) =>
      platformReport(
        ctx.db,
        await resolveScope(ctx.db, actorOf(request), filtersOf(request.query)),
        request.query,
        now(),
      ),
  );
  r.get(
    "/api/analytics/reports/intents",
    { schema: { tags, querystring: ReportQuery, response: { 200: IntentReport, ...errors } } },
    async (request) =>
      intentReport(
        ctx.db,
        await resolveScope(ctx.db, actorOf(request), filtersOf(request.query)),
        request.query,
        now(),
      ),
  );
  r.get(
    "/api/analytics/reports/quality",
    { schema: { tags, querystring: ReportQuery, response: { 200: QualityReport, ...errors } } },
    async (request) =>
      qualityReport(ctx.db, await resolveScope(ctx.db, actorOf(request), filtersOf(request.query)), request.query),
  );
  r.get(
    "/api/analytics/drilldown",
    { schema: { tags, querystring: DrilldownQuery, response: { 200: DrilldownResult, ...errors } } },
    async (request) =>
      drilldown(ctx.db, await resolveScope(ctx.db, actorOf(request), filtersOf(request.query)), request.query, now()),
  );
  r.get(
    "/api/analytics/dashboard",
    { schema: { tags, querystring: DashboardQuery, response: { 200: Dashboard, ...errors } } },
    async (request) => {
      const actor = actorOf(request);
      assertSupervisor(actor);
      return dashboard(ctx.db, await resolveScope(ctx.db, actor, filtersOf(request.query)), now());
    },
  );

  // ── Exports ──
  r.post(
    "/api/analytics/exports",
    { schema: { tags, body: CreateExportRequest, response: { 202: ExportJob, ...errors } } },
    async (request, reply) => reply.status(202).send(await createExport(ctx, actorOf(request), request.body)),
  );
  r.get("/api/analytics/exports", { schema: { tags, response: { 200: ExportList, ...errors } } }, async (request) => ({
    items: await listExports(ctx.db, actorOf(request)),
  }));
  r.get(
    "/api/analytics/exports/:id",
    { schema: { tags, params: IdParams, response: { 200: ExportJob, ...errors } } },
    async (request) => presentExport(await getExport(ctx.db, actorOf(request), request.params.id)),
  );
  r.get("/api/analytics/exports/:id/download", { schema: { tags, params: IdParams } }, async (request, reply) => {
    const file = await exportFile(ctx, actorOf(request), request.params.id);
    const ascii = file.fileName.replace(/[^\x20-\x7e]/g, "_").replace(/"/g, "");
    return reply
      .type(file.mime)
      .header("content-length", file.size)
      .header(
        "content-disposition",
        `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      )
      .send(fs.createReadStream(file.file));
  });

  // ── Quality rules and settings ──
  r.get(
    "/api/analytics/quality/rules",
    { schema: { tags, response: { 200: QualityRuleSet, ...errors } } },
    async (request) => getQualityRules(ctx.db, actorOf(request)),
  );
  r.put(
    "/api/analytics/quality/rules",
    { schema: { tags, body: QualityRuleSet, response: { 200: QualityRuleSet, ...errors } } },
    async (request) => updateQualityRules(ctx, actorOf(request), request.body),
  );
  r.get(
    "/api/analytics/quality/conversations/:id",
    { schema: { tags, params: IdParams, response: { 200: ConversationQuality, ...errors } } },
    async (request) => conversationQuality(ctx.db, actorOf(request), request.params.id),
  );
  r.get(
    "/api/analytics/settings",
    { schema: { tags, response: { 200: AnalyticsSettings, ...errors } } },
    async (request) => getSettings(ctx.db, actorOf(request)),
  );
  r.put(
    "/api/analytics/settings",
    { schema: { tags, body: AnalyticsSettings, response: { 200: AnalyticsSettings, ...errors } } },
    async (request) => updateSettings(ctx, actorOf(request), request.body),
  );
}
