import type { FastifyInstance } from "fastify";
import type { AppContext } from "../../../platform/context.ts";
import { registerAutoReply } from "./job.ts";
import { autoReplyRoutes } from "./routes.ts";

export { correctionLines } from "./corrections.ts";
export { parseCorrections } from "./corrections-file.ts";
export { AUTO_REPLY_QUEUE, answerConversation } from "./job.ts";
export { defaultRules, enableDefaultRules, rulesOfStore } from "./rules.ts";

/** The order-aware auto-reply: its routes, and its job following triage. */
export function installAutoReply(app: FastifyInstance, ctx: AppContext): void {
  autoReplyRoutes(app, ctx);
  registerAutoReply(ctx);
}
