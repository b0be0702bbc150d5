import type { FastifyInstance } from "fastify";
import type { AppContext } from "../../../platform/context.ts";
import { registerLlmClassification } from "./classify-job.ts";
import { llmRoutes } from "./routes.ts";

export { LLM_CLASSIFY_QUEUE, refineIntent } from "./classify-job.ts";

/** The optional LLM: its routes, and its classify-when-unsure job following triage. */
export function installLlm(app: FastifyInstance, ctx: AppContext): void {
  llmRoutes(app, ctx);
  registerLlmClassification(ctx);
}
