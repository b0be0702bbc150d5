import { ApiError, Classification, ClassifyRequest } from "@yunxi/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { AppContext } from "../../platform/context.ts";
import { actorOf } from "../identity/index.ts";
import { classify, warmUp } from "./classifier/index.ts";

const errors = { 400: ApiError, 401: ApiError, 403: ApiError };

export function assistRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // Read the model at start-up, not on the first buyer message.
  const started = performance.now();
  warmUp();
  ctx.log.debug({ ms: Math.round(performance.now() - started) }, "intent model loaded");

  /** Classify any text, as the inbox does with each buyer message: for evaluation and tooling. Any signed-in user. */
  r.post(
    "/api/assist/classify",
    { schema: { tags: ["assist"], body: ClassifyRequest, response: { 200: Classification, ...errors } } },
    async (request) => {
      actorOf(request);
      return classify(request.body.text, request.body.context);
    },
  );
}
