import {
  ApiError,
  ReportMailSettings,
  ReportMailSettingsInput,
  ReportSchedule,
  ReportScheduleInput,
  ReportScheduleList,
  SavedReportSchedule,
  ScheduleRun,
  ScheduleRunList,
  WebhookSecret,
} from "@yunxi/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../../platform/context.ts";
import { actorOf } from "../../identity/index.ts";
import {
  createSchedule,
  deleteSchedule,
  getMailSettings,
  getSchedule,
  listRuns,
  listSchedules,
  revealWebhookSecret,
  runNow,
  setMailSettings,
  updateSchedule,
} from "./service.ts";

const IdParams = z.strictObject({ id: z.string().max(64) });
const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError, 409: ApiError, 503: ApiError };

/** Scheduled reports: supervisors and admins; the outgoing mail server, admins. */
export function scheduleRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["analytics"];
  const base = "/api/analytics/schedules";

  r.get(`${base}/smtp`, { schema: { tags, response: { 200: ReportMailSettings, ...errors } } }, async (request) =>
    getMailSettings(ctx.db, actorOf(request)),
  );
  r.put(
    `${base}/smtp`,
    { schema: { tags, body: ReportMailSettingsInput, response: { 200: ReportMailSettings, ...errors } } },
    async (request) => setMailSettings(ctx, actorOf(request), request.body),
  );

  r.get(base, { schema: { tags, response: { 200: ReportScheduleList, ...errors } } }, async (request) => ({
    items: await listSchedules(ctx.db, actorOf(request)),
  }));
  r.post(
    base,
    { schema: { tags, body: ReportScheduleInput, response: { 201: SavedReportSchedule, ...errors } } },
    async (request, reply) => reply.status(201).send(await createSchedule(ctx, actorOf(request), request.body)),
  );
  r.get(
    `${base}/:id`,
    { schema: { tags, params: IdParams, response: { 200: ReportSchedule, ...errors } } },
    async (request) => getSchedule(ctx.db, actorOf(request), request.params.id),
  );
  r.put(
    `${base}/:id`,
    {
      schema: { tags, params: IdParams, body: ReportScheduleInput, response: { 200: SavedReportSchedule, ...errors } },
    },
    async (request) => updateSchedule(ctx, actorOf(request), request.params.id, request.body),
  );
  r.delete(
    `${base}/:id`,
    { schema: { tags, params: IdParams, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      await deleteSchedule(ctx, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
  r.post(
    `${base}/:id/run`,
    { schema: { tags, params: IdParams, response: { 202: ScheduleRun, ...errors } } },
    async (request, reply) => reply.status(202).send(await runNow(ctx, actorOf(request), request.params.id)),
  );
  r.get(
    `${base}/:id/runs`,
    { schema: { tags, params: IdParams, response: { 200: ScheduleRunList, ...errors } } },
    async (request) => ({ items: await listRuns(ctx.db, actorOf(request), request.params.id) }),
  );
  r.get(
    `${base}/:id/webhook-secret`,
    { schema: { tags, params: IdParams, response: { 200: WebhookSecret, ...errors } } },
    async (request) => ({ webhookSecret: await revealWebhookSecret(ctx, actorOf(request), request.params.id) }),
  );
}
