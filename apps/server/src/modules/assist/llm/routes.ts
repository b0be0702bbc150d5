import {
  ApiError,
  AssistDraft,
  LlmSettings,
  LlmStatus,
  LlmTestResult,
  TestLlmRequest,
  UpdateLlmSettingsRequest,
} from "@yunxi/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../../platform/context.ts";
import { isId } from "../../../platform/db/ids.ts";
import { notFound } from "../../../platform/http/errors.ts";
import { actorOf } from "../../identity/index.ts";
import { draftReply } from "./draft.ts";
import { getSettings, llmStatus, testEndpoint, updateSettings } from "./settings.ts";

const IdParams = z.strictObject({ id: z.string().max(64) });
const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError, 409: ApiError, 503: ApiError };
const tags = ["assist"];

/**
 * The optional LLM: admins configure and test it (the key write-only), every user learns
 * whether drafts are offered, and an agent who can see a conversation asks for a draft.
 */
export function llmRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get("/api/assist/llm", { schema: { tags, response: { 200: LlmSettings, ...errors } } }, async (request) =>
    getSettings(ctx, actorOf(request)),
  );

  r.put(
    "/api/assist/llm",
    { schema: { tags, body: UpdateLlmSettingsRequest, response: { 200: LlmSettings, ...errors } } },
    async (request) => updateSettings(ctx, actorOf(request), request.body),
  );

  r.post(
    "/api/assist/llm/test",
    { schema: { tags, body: TestLlmRequest, response: { 200: LlmTestResult, ...errors } } },
    async (request) => testEndpoint(ctx, actorOf(request), request.body),
  );

  r.get("/api/assist/llm/status", { schema: { tags, response: { 200: LlmStatus, ...errors } } }, async (request) =>
    llmStatus(ctx, actorOf(request)),
  );

  r.post(
    "/api/conversations/:id/assist/draft",
    { schema: { tags, params: IdParams, response: { 200: AssistDraft, ...errors } } },
    async (request) => {
      const actor = actorOf(request);
      if (!isId(request.params.id)) throw notFound("Conversation");
      return draftReply(ctx, actor, request.params.id);
    },
  );
}
