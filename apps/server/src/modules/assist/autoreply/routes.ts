import {
  ApiError,
  AutoReplyDecisionList,
  AutoReplyDecisionQuery,
  AutoReplyMetrics,
  AutoReplyMetricsQuery,
  AutoReplyRules,
  AutoReplyRulesList,
  Conversation,
  CorrectIntentRequest,
  UpdateAutoReplyRulesRequest,
} from "@yunxi/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../../platform/context.ts";
import { actorOf } from "../../identity/index.ts";
import { correctIntent } from "./corrections.ts";
import { autoReplyMetrics, listDecisions } from "./decisions.ts";
import { listRules, updateRules } from "./rules.ts";

const StoreParams = z.strictObject({ storeId: z.string().max(64) });
const IdParams = z.strictObject({ id: z.string().max(64) });
const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError };
const tags = ["autoreply"];

/**
 * The auto-reply's rules per store (everyone reads the stores they serve; supervisors
 * and above change them), the log of the bot's decisions, and its figures.
 */
export function autoReplyRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    "/api/assist/autoreply/rules",
    { schema: { tags, response: { 200: AutoReplyRulesList, ...errors } } },
    async (request) => ({ items: await listRules(ctx.db, actorOf(request)) }),
  );

  r.put(
    "/api/assist/autoreply/rules/:storeId",
    {
      schema: {
        tags,
        params: StoreParams,
        body: UpdateAutoReplyRulesRequest,
        response: { 200: AutoReplyRules, ...errors },
      },
    },
    async (request) => updateRules(ctx, actorOf(request), request.params.storeId, request.body),
  );

  r.get(
    "/api/assist/autoreply/decisions",
    { schema: { tags, querystring: AutoReplyDecisionQuery, response: { 200: AutoReplyDecisionList, ...errors } } },
    async (request) => ({ items: await listDecisions(ctx.db, actorOf(request), request.query) }),
  );

  r.get(
    "/api/assist/autoreply/metrics",
    { schema: { tags, querystring: AutoReplyMetricsQuery, response: { 200: AutoReplyMetrics, ...errors } } },
    async (request) => autoReplyMetrics(ctx.db, actorOf(request), request.query),
  );

  /** One-click correction of AI pre-review's intent tag, by anyone who can see the conversation; kept for retraining. */
  r.post(
    "/api/conversations/:id/intent",
    {
      schema: {
        tags: ["assist"],
        params: IdParams,
        body: CorrectIntentRequest,
        response: { 200: Conversation, ...errors },
      },
    },
    async (request) => correctIntent(ctx, actorOf(request), request.params.id, request.body.intent),
  );
}
