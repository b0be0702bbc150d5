import fs from "node:fs";
import {
  ApiError,
  WidgetHistory,
  WidgetSendRequest,
  WidgetSendResult,
  WidgetSession,
  WidgetSessionRequest,
  WidgetUpload,
} from "@yunxi/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../../platform/context.ts";
import { AppError, notFound } from "../../../platform/http/errors.ts";
import { channelStore } from "../channel-store.ts";
import { acceptedImageMimes, saveImage, UPLOADS_ROUTE, uploadedFile } from "../uploads.ts";
import { allowOrigin, answerPreflight } from "./cors.ts";
import { type AgentsOnline, openVisit, postVisitorMessage, visitHistory, visitorOf } from "./service.ts";

const StoreParams = z.strictObject({ storeKey: z.string().min(1).max(200) });
const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError, 415: ApiError };
const perMinute = (max: number) => ({ public: true, rateLimit: { max, timeWindow: "1 minute" } });

export interface WidgetRouteDeps {
  agentsOnline: AgentsOnline;
  /** apps/widget/dist/widget.js, if built. */
  widgetScript: string | undefined;
}

/**
 * The widget's public API under /widget: start a visit, read the thread, write,
 * upload an image; plus the script itself and the uploaded images. Every call but
 * the session start carries the visitor's bearer token.
 */
export async function widgetRoutes(app: FastifyInstance, ctx: AppContext, deps: WidgetRouteDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const webchat = (storeKey: string) => channelStore(ctx, "webchat", storeKey);

  app.addContentTypeParser(
    acceptedImageMimes,
    { parseAs: "buffer", bodyLimit: ctx.config.uploadMaxBytes },
    (_r, body, done) => done(null, body),
  );

  app.get("/widget.js", { config: { public: true } }, async (_request, reply) => {
    if (!deps.widgetScript || !fs.existsSync(deps.widgetScript)) {
      throw notFound("Widget script (run `npm run build`)");
    }
    return reply
      .type("text/javascript; charset=utf-8")
      .header("cache-control", "public, max-age=300")
      .header("access-control-allow-origin", "*")
      .send(fs.createReadStream(deps.widgetScript));
  });

  app.options("/widget/:storeKey/*", { config: { public: true } }, answerPreflight);

  r.post(
    "/widget/:storeKey/session",
    {
      config: perMinute(30),
      schema: {
        tags: ["widget"],
        params: StoreParams,
        body: WidgetSessionRequest,
        response: { 200: WidgetSession, ...errors },
      },
    },
    async (request, reply) => {
      const target = await webchat(request.params.storeKey);
      allowOrigin(request, reply, target);
      return openVisit(ctx, target, request.body, deps.agentsOnline);
    },
  );

  r.get(
    "/widget/:storeKey/messages",
    {
      config: perMinute(60),
      schema: { tags: ["widget"], params: StoreParams, response: { 200: WidgetHistory, ...errors } },
    },
    async (request, reply) => {
      const target = await webchat(request.params.storeKey);
      allowOrigin(request, reply, target);
      return visitHistory(ctx, target, visitorOf(ctx, target, request.headers.authorization));
    },
  );

  r.post(
    "/widget/:storeKey/messages",
    {
      config: perMinute(60),
      schema: {
        tags: ["widget"],
        params: StoreParams,
        body: WidgetSendRequest,
        response: { 200: WidgetSendResult, ...errors },
      },
    },
    async (request, reply) => {
      const target = await webchat(request.params.storeKey);
      allowOrigin(request, reply, target);
      const visitor = visitorOf(ctx, target, request.headers.authorization);
      return postVisitorMessage(ctx, target, visitor, request.body, deps.agentsOnline);
    },
  );

  r.post(
    "/widget/:storeKey/uploads",
    {
      config: perMinute(10),
      schema: { tags: ["widget"], params: StoreParams, response: { 201: WidgetUpload, ...errors } },
    },
    async (request, reply) => {
      const target = await webchat(request.params.storeKey);
      allowOrigin(request, reply, target);
      visitorOf(ctx, target, request.headers.authorization);
      if (!Buffer.isBuffer(request.body)) {
        throw new AppError(415, "unsupported_media_type", `Send the image as ${acceptedImageMimes.join(", ")}`);
      }
      const saved = saveImage(ctx.config.dataDir, request.headers["content-type"] ?? "", request.body);
      if (!saved.ok) throw new AppError(415, saved.code, saved.message);
      return reply.status(201).send({ url: saved.url });
    },
  );

  app.get<{ Params: { name: string } }>(
    `${UPLOADS_ROUTE}/:name`,
    { config: { public: true } },
    async (request, reply) => {
      const found = uploadedFile(ctx.config.dataDir, request.params.name);
      if (!found) throw notFound("Image");
      return reply
        .type(found.mime)
        .header("x-content-type-options", "nosniff")
        .header("content-security-policy", "default-src 'none'; sandbox")
        .header("cache-control", "public, max-age=31536000, immutable")
        .header("access-control-allow-origin", "*")
        .header("cross-origin-resource-policy", "cross-origin")
        .send(fs.createReadStream(found.file));
    },
  );
}
