import {
  ApiError,
  CannedReply,
  CannedReplyList,
  CannedReplyListQuery,
  CannedReplySearchQuery,
  CannedReplySearchResult,
  CreateCannedReplyRequest,
  FillTemplateRequest,
  FillTemplateResult,
  fillTemplate,
  RecordReplyUsageRequest,
  ReplyExcelQuery,
  ReplyImportReport,
  ReplyUsage,
  TemplateContext,
  UpdateCannedReplyRequest,
  variablesIn,
} from "@yunxi/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../../platform/context.ts";
import { isId } from "../../../platform/db/ids.ts";
import { AppError, badRequest, notFound } from "../../../platform/http/errors.ts";
import { actorOf } from "../../identity/index.ts";
import { segmenter } from "../library/text.ts";
import { type ConversationLookups, templateContextFor } from "./context.ts";
import { exportReplies, importReplies, XLSX_MIME } from "./excel.ts";
import { createReply, deleteReply, getReply, listReplies, recordUsage, searchReplies, updateReply } from "./service.ts";

const IdParams = z.strictObject({ id: z.string().max(64) });
const ContextQuery = z.strictObject({ conversationId: z.string().max(64) });
const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError, 409: ApiError, 415: ApiError };
const IMPORT_MAX_BYTES = 10 * 1024 * 1024;

/**
 * Canned replies (话术库): the composer's search with the conversation's values filled
 * in, usage counts, management (personal by anyone, shared by supervisors) and the
 * Excel import/export. Register inside its own scope: it adds the .xlsx body parser.
 */
export function cannedReplyRoutes(app: FastifyInstance, ctx: AppContext, lookups: ConversationLookups): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  segmenter();

  app.addContentTypeParser(
    [XLSX_MIME, "application/octet-stream"],
    { parseAs: "buffer", bodyLimit: IMPORT_MAX_BYTES },
    (_request, body, done) => done(null, body),
  );

  const conversationContext = (request: Parameters<typeof actorOf>[0], conversationId: string) => {
    if (!isId(conversationId)) throw notFound("Conversation");
    return templateContextFor(ctx.db, actorOf(request), conversationId, lookups);
  };

  r.get(
    "/api/library/replies/search",
    {
      schema: {
        tags: ["library"],
        querystring: CannedReplySearchQuery,
        response: { 200: CannedReplySearchResult, ...errors },
      },
    },
    async (request) => {
      const started = performance.now();
      const actor = actorOf(request);
      const { q, conversationId, match, limit } = request.query;
      let storeId = request.query.storeId;
      let context: TemplateContext | null = null;
      if (conversationId) {
        const found = await conversationContext(request, conversationId);
        storeId = found.storeId;
        context = found.context;
      }
      if (!storeId) throw badRequest("Give conversationId or storeId");
      const hits = await searchReplies(ctx, actor, { q, storeId, match, limit });
      return {
        items: hits.map((hit) => {
          const filled = context ? fillTemplate(hit.reply.text, context) : null;
          return {
            ...hit,
            filledText: filled?.text ?? hit.reply.text,
            missing: filled?.missing ?? variablesIn(hit.reply.text),
          };
        }),
        context,
        tookMs: Math.round((performance.now() - started) * 100) / 100,
      };
    },
  );

  /** The values of the variables in a conversation: the composer fills inserted replies with them. */
  r.get(
    "/api/library/replies/context",
    {
      schema: {
        tags: ["library"],
        querystring: ContextQuery,
        response: { 200: z.object({ storeId: z.string(), context: TemplateContext }), ...errors },
      },
    },
    async (request) => conversationContext(request, request.query.conversationId),
  );

  r.post(
    "/api/library/replies/fill",
    { schema: { tags: ["library"], body: FillTemplateRequest, response: { 200: FillTemplateResult, ...errors } } },
    async (request) => {
      const { context } = await conversationContext(request, request.body.conversationId);
      return { ...fillTemplate(request.body.text, context), context };
    },
  );

  r.get(
    "/api/library/replies",
    {
      schema: { tags: ["library"], querystring: CannedReplyListQuery, response: { 200: CannedReplyList, ...errors } },
    },
    async (request) => listReplies(ctx, actorOf(request), request.query),
  );

  r.post(
    "/api/library/replies",
    { schema: { tags: ["library"], body: CreateCannedReplyRequest, response: { 201: CannedReply, ...errors } } },
    async (request, reply) => reply.status(201).send(await createReply(ctx, actorOf(request), request.body)),
  );

  r.get(
    "/api/library/replies/export",
    { schema: { tags: ["library"], querystring: ReplyExcelQuery } },
    async (request, reply) => {
      const personal = request.query.personal === "true";
      const file = await exportReplies(ctx, actorOf(request), personal);
      const name = encodeURIComponent(personal ? "我的话术.xlsx" : "话术库.xlsx");
      return reply
        .type(XLSX_MIME)
        .header("content-disposition", `attachment; filename="replies.xlsx"; filename*=UTF-8''${name}`)
        .header("cache-control", "no-store")
        .send(file);
    },
  );

  r.post(
    "/api/library/replies/import",
    {
      schema: { tags: ["library"], querystring: ReplyExcelQuery, response: { 200: ReplyImportReport, ...errors } },
    },
    async (request) => {
      if (!Buffer.isBuffer(request.body)) {
        throw new AppError(415, "unsupported_media_type", `Send the workbook as ${XLSX_MIME}`);
      }
      return importReplies(ctx, actorOf(request), request.query.personal === "true", request.body);
    },
  );

  r.get(
    "/api/library/replies/:id",
    { schema: { tags: ["library"], params: IdParams, response: { 200: CannedReply, ...errors } } },
    async (request) => getReply(ctx, actorOf(request), request.params.id),
  );

  r.patch(
    "/api/library/replies/:id",
    {
      schema: {
        tags: ["library"],
        params: IdParams,
        body: UpdateCannedReplyRequest,
        response: { 200: CannedReply, ...errors },
      },
    },
    async (request) => updateReply(ctx, actorOf(request), request.params.id, request.body),
  );

  r.delete(
    "/api/library/replies/:id",
    { schema: { tags: ["library"], params: IdParams, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      await deleteReply(ctx, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  /** The composer calls this when a reply is inserted (and may again when it is sent). */
  r.post(
    "/api/library/replies/:id/usage",
    {
      schema: {
        tags: ["library"],
        params: IdParams,
        body: RecordReplyUsageRequest.optional(),
        response: { 200: ReplyUsage, ...errors },
      },
    },
    async (request) => recordUsage(ctx, actorOf(request), request.params.id),
  );
}
