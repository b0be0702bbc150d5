import {
  ApiError,
  Conversation,
  ConversationList,
  ListConversationsQuery,
  ListMessagesQuery,
  Message,
  MessageList,
  SendMessageRequest,
  SurveySettings,
  UpdateConversationRequest,
} from "@yunxi/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../platform/context.ts";
import { isId } from "../../platform/db/ids.ts";
import { notFound } from "../../platform/http/errors.ts";
import { actorOf } from "../identity/index.ts";
import { presentMessage } from "./presenter.ts";
import { getConversationRow, listConversations, listMessages, presentConversations } from "./queries.ts";
import { markRead, type ReplyChecks, retryDelivery, sendReply, setStatus } from "./replies.ts";
import { getSurveySettings, saveSurveySettings } from "./survey/settings.ts";

const IdParams = z.strictObject({ id: z.string().max(64) });
const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError, 409: ApiError, 422: ApiError };

/** Route ids that are not UUIDs cannot exist; answer as for another org's id. */
function requireId(id: string, what: string): string {
  if (!isId(id)) throw notFound(what);
  return id;
}

export type InboxRouteDeps = ReplyChecks;

export function inboxRoutes(app: FastifyInstance, ctx: AppContext, deps: InboxRouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // Yunxi's satisfaction survey: supervisors read, admins change.
  r.get(
    "/api/survey-settings",
    { schema: { tags: ["inbox"], response: { 200: SurveySettings, ...errors } } },
    async (request) => getSurveySettings(ctx.db, actorOf(request)),
  );
  r.put(
    "/api/survey-settings",
    { schema: { tags: ["inbox"], body: SurveySettings, response: { 200: SurveySettings, ...errors } } },
    async (request) => saveSurveySettings(ctx, actorOf(request), request.body),
  );

  r.get(
    "/api/conversations",
    {
      schema: { tags: ["inbox"], querystring: ListConversationsQuery, response: { 200: ConversationList, ...errors } },
    },
    async (request) => ({ items: await listConversations(ctx, actorOf(request), request.query) }),
  );

  r.get(
    "/api/conversations/:id",
    { schema: { tags: ["inbox"], params: IdParams, response: { 200: Conversation, ...errors } } },
    async (request) => {
      const actor = actorOf(request);
      const row = await getConversationRow(ctx.db, actor, requireId(request.params.id, "Conversation"));
      const [shown] = await presentConversations(ctx.db, actor.orgId, [row]);
      return shown!;
    },
  );

  r.patch(
    "/api/conversations/:id",
    {
      schema: {
        tags: ["inbox"],
        params: IdParams,
        body: UpdateConversationRequest,
        response: { 200: Conversation, ...errors },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const id = requireId(request.params.id, "Conversation");
      if (request.body.status) return setStatus(ctx, actor, id, request.body.status, deps);
      const row = await getConversationRow(ctx.db, actor, id);
      const [shown] = await presentConversations(ctx.db, actor.orgId, [row]);
      return shown!;
    },
  );

  r.post(
    "/api/conversations/:id/read",
    { schema: { tags: ["inbox"], params: IdParams, response: { 200: Conversation, ...errors } } },
    async (request) => markRead(ctx, actorOf(request), requireId(request.params.id, "Conversation")),
  );

  r.get(
    "/api/conversations/:id/messages",
    {
      schema: {
        tags: ["inbox"],
        params: IdParams,
        querystring: ListMessagesQuery,
        response: { 200: MessageList, ...errors },
      },
    },
    async (request) => {
      const rows = await listMessages(
        ctx.db,
        actorOf(request),
        requireId(request.params.id, "Conversation"),
        request.query.limit,
      );
      return { items: rows.map(presentMessage) };
    },
  );

  r.post(
    "/api/conversations/:id/messages",
    {
      schema: {
        tags: ["inbox"],
        params: IdParams,
        body: SendMessageRequest,
        response: { 200: Message, 201: Message, ...errors },
      },
    },
    async (request, reply) => {
      const { message, created } = await sendReply(
        ctx,
        actorOf(request),
        requireId(request.params.id, "Conversation"),
        request.body,
        deps,
      );
      return reply.status(created ? 201 : 200).send(presentMessage(message));
    },
  );

  r.post(
    "/api/messages/:id/retry",
    { schema: { tags: ["inbox"], params: IdParams, response: { 200: Message, ...errors } } },
    async (request) =>
      presentMessage(await retryDelivery(ctx, actorOf(request), requireId(request.params.id, "Message"))),
  );
}
