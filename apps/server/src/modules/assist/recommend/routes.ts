import { ApiError, Recommendation } from "@yunxi/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../../platform/context.ts";
import { actorOf } from "../../identity/index.ts";
import { recommendFor } from "./service.ts";

const IdParams = z.strictObject({ id: z.string().max(64) });
const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError };

/** The recommended solution beside a conversation: anyone who can see the conversation. */
export function recommendationRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    "/api/conversations/:id/recommendation",
    { schema: { tags: ["assist"], params: IdParams, response: { 200: Recommendation, ...errors } } },
    async (request) => recommendFor(ctx, actorOf(request), request.params.id),
  );
}
