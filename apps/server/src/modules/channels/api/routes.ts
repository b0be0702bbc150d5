import { ApiError, ApiInboundMessage, ApiInboundResult } from "@yunxi/contracts";
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../../../platform/context.ts";
import { AppError, badRequest } from "../../../platform/http/errors.ts";
import { ingestInbound } from "../../inbox/index.ts";
import { channelStore, storeRef } from "../channel-store.ts";
import { verifyTimestamped } from "../signing.ts";

export const API_TIMESTAMP_HEADER = "x-yunxi-timestamp";
export const API_SIGNATURE_HEADER = "x-yunxi-signature";
const MAX_BODY = 256 * 1024;

/**
 * `POST /channels/api/<storeKey>/messages`: a message from anything that is not a
 * marketplace (an app, a kiosk, a CRM). Signed with the store's secret over
 * `timestamp + "." + body`; outside the replay window it is refused, inside it a
 * repeat of the same messageId is stored once and acknowledged again.
 */
export async function apiChannelRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  // The signature covers the exact bytes: keep the body as sent, parse it after verifying.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string", bodyLimit: MAX_BODY }, (_req, body, done) => done(null, body));

  app.post<{ Params: { storeKey: string }; Body: string | undefined }>(
    "/channels/api/:storeKey/messages",
    {
      config: { public: true, rateLimit: { max: 600, timeWindow: "1 minute" } },
      schema: { tags: ["channels"], response: { 400: ApiError, 401: ApiError, 404: ApiError } },
    },
    async (request) => {
      const target = await channelStore(ctx, "api", request.params.storeKey);
      const rawBody = typeof request.body === "string" ? request.body : "";
      const header = (name: string) => {
        const v = request.headers[name];
        return Array.isArray(v) ? v[0] : v;
      };
      const verdict = verifyTimestamped({
        secret: target.credentials.appSecret,
        timestamp: header(API_TIMESTAMP_HEADER),
        signature: header(API_SIGNATURE_HEADER),
        payload: rawBody,
        separator: ".",
        now: ctx.now(),
        maxSkewSeconds: ctx.config.pushMaxSkewSeconds,
      });
      if (!verdict.ok) {
        request.log.warn({ storeId: target.store.id, reason: verdict.reason }, "api channel request refused");
        throw new AppError(401, verdict.reason, verdict.message);
      }
      const input = ApiInboundMessage.safeParse(parseJson(rawBody));
      if (!input.success)
        throw badRequest(input.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
      const m = input.data;
      const buyer = { platformBuyerId: m.user.id, displayName: m.user.name ?? m.user.id };
      const sentAt = ctx.now();
      const events = [
        ...(m.imageUrl ? [{ id: `${m.messageId}#image`, content: { type: "image" as const, url: m.imageUrl } }] : []),
        ...(m.text ? [{ id: m.messageId, content: { type: "text" as const, text: m.text } }] : []),
      ].map(({ id, content }) => ({ kind: "message" as const, platformMessageId: id, buyer, content, sentAt }));
      const result = await ingestInbound(ctx, storeRef(target), events);
      ctx.metrics.inboundMessages.inc({ platform: "api", status: result.stored ? "stored" : "duplicate" });
      return ApiInboundResult.parse({ accepted: true, duplicate: result.stored === 0 });
    },
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest("The body is not JSON");
  }
}
