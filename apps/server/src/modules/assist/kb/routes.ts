import fs from "node:fs";
import {
  ApiError,
  AttachmentUploadQuery,
  CreateKbArticleRequest,
  KbArticle,
  KbArticleList,
  KbArticleListQuery,
  KbAttachment,
  KbSearchQuery,
  KbSearchResult,
  KbVersionDetail,
  KbVersionList,
  UpdateKbArticleRequest,
} from "@yunxi/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../../platform/context.ts";
import { isId } from "../../../platform/db/ids.ts";
import { AppError, notFound } from "../../../platform/http/errors.ts";
import { actorOf } from "../../identity/index.ts";
import { segmenter } from "../library/text.ts";
import type { ConversationLookups } from "../replies/context.ts";
import { isInline, storedFilePath } from "./files.ts";
import {
  addAttachment,
  attachmentRow,
  createArticle,
  deleteArticle,
  getArticle,
  getVersion,
  listArticles,
  listVersions,
  removeAttachment,
  restoreVersion,
  searchKnowledge,
  updateArticle,
} from "./service.ts";

const IdParams = z.strictObject({ id: z.string().max(64) });
const VersionParams = z.strictObject({ id: z.string().max(64), version: z.coerce.number().int().min(1) });
/** An article of 100,000 Chinese characters is 300 KB of JSON: above the server's default body limit. */
const ARTICLE_MAX_BYTES = 1024 * 1024;
const errors = {
  400: ApiError,
  401: ApiError,
  403: ApiError,
  404: ApiError,
  409: ApiError,
  413: ApiError,
  415: ApiError,
};

/**
 * The knowledge base: everyone reads the articles of the stores they serve and
 * searches them (the workspace's side panel, the admin page); supervisors and above
 * write, attach files and restore versions. Register inside its own scope: it adds
 * the raw body parser for attachments.
 */
export function knowledgeRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  lookups: Pick<ConversationLookups, "conversationBuyer">,
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  segmenter();

  // Attachments come as the raw file (application/octet-stream), whatever their type.
  app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: ctx.config.uploadMaxBytes }, (_r, body, done) =>
    done(null, body),
  );

  r.get(
    "/api/library/kb/search",
    { schema: { tags: ["library"], querystring: KbSearchQuery, response: { 200: KbSearchResult, ...errors } } },
    async (request) => {
      const started = performance.now();
      const actor = actorOf(request);
      let storeId = request.query.storeId ?? null;
      if (request.query.conversationId) {
        if (!isId(request.query.conversationId)) throw notFound("Conversation");
        storeId = (await lookups.conversationBuyer(ctx.db, actor, request.query.conversationId)).storeId;
      }
      const items = await searchKnowledge(ctx, actor, { q: request.query.q, storeId, limit: request.query.limit });
      return { items, tookMs: Math.round((performance.now() - started) * 100) / 100 };
    },
  );

  r.get(
    "/api/library/kb/articles",
    { schema: { tags: ["library"], querystring: KbArticleListQuery, response: { 200: KbArticleList, ...errors } } },
    async (request) => listArticles(ctx, actorOf(request), request.query),
  );

  r.post(
    "/api/library/kb/articles",
    {
      bodyLimit: ARTICLE_MAX_BYTES,
      schema: { tags: ["library"], body: CreateKbArticleRequest, response: { 201: KbArticle, ...errors } },
    },
    async (request, reply) => reply.status(201).send(await createArticle(ctx, actorOf(request), request.body)),
  );

  r.get(
    "/api/library/kb/articles/:id",
    { schema: { tags: ["library"], params: IdParams, response: { 200: KbArticle, ...errors } } },
    async (request) => getArticle(ctx, actorOf(request), request.params.id),
  );

  r.patch(
    "/api/library/kb/articles/:id",
    {
      bodyLimit: ARTICLE_MAX_BYTES,
      schema: {
        tags: ["library"],
        params: IdParams,
        body: UpdateKbArticleRequest,
        response: { 200: KbArticle, ...errors },
      },
    },
    async (request) => updateArticle(ctx, actorOf(request), request.params.id, request.body),
  );

  r.delete(
    "/api/library/kb/articles/:id",
    { schema: { tags: ["library"], params: IdParams, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      await deleteArticle(ctx, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  r.get(
    "/api/library/kb/articles/:id/versions",
    { schema: { tags: ["library"], params: IdParams, response: { 200: KbVersionList, ...errors } } },
    async (request) => ({ items: await listVersions(ctx, actorOf(request), request.params.id) }),
  );

  r.get(
    "/api/library/kb/articles/:id/versions/:version",
    { schema: { tags: ["library"], params: VersionParams, response: { 200: KbVersionDetail, ...errors } } },
    async (request) => getVersion(ctx, actorOf(request), request.params.id, request.params.version),
  );

  r.post(
    "/api/library/kb/articles/:id/versions/:version/restore",
    { schema: { tags: ["library"], params: VersionParams, response: { 200: KbArticle, ...errors } } },
    async (request) => restoreVersion(ctx, actorOf(request), request.params.id, request.params.version),
  );

  r.post(
    "/api/library/kb/articles/:id/attachments",
    {
      schema: {
        tags: ["library"],
        params: IdParams,
        querystring: AttachmentUploadQuery,
        response: { 201: KbAttachment, ...errors },
      },
    },
    async (request, reply) => {
      const body: unknown = request.body;
      const bytes = Buffer.isBuffer(body) ? body : typeof body === "string" ? Buffer.from(body) : null;
      if (!bytes) throw new AppError(415, "unsupported_media_type", "Send the file as application/octet-stream");
      const attachment = await addAttachment(ctx, actorOf(request), request.params.id, request.query.name, bytes);
      return reply.status(201).send(attachment);
    },
  );

  r.get(
    "/api/library/kb/attachments/:id",
    { schema: { tags: ["library"], params: IdParams } },
    async (request, reply) => {
      const row = await attachmentRow(ctx.db, actorOf(request), request.params.id);
      const file = storedFilePath(ctx.config.dataDir, row.storageName);
      if (!file) throw notFound("Attachment");
      const disposition = isInline(row.mime) ? "inline" : "attachment";
      return reply
        .type(row.mime)
        .header("content-disposition", `${disposition}; filename*=UTF-8''${encodeURIComponent(row.fileName)}`)
        .header("x-content-type-options", "nosniff")
        .header("content-security-policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
        .header("cache-control", "private, max-age=3600")
        .send(fs.createReadStream(file));
    },
  );

  r.delete(
    "/api/library/kb/attachments/:id",
    { schema: { tags: ["library"], params: IdParams, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      await removeAttachment(ctx, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
