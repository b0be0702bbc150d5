import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.ts";
import { sql } from "../db/client.ts";

/** Liveness, readiness (the database answers) and Prometheus metrics. */
export function healthRoutes(app: FastifyInstance, ctx: AppContext, isShuttingDown: () => boolean): void {
  const hide = { hide: true };
  app.get("/healthz", { config: { public: true }, schema: hide }, async () => ({ status: "ok" }));
  app.get("/readyz", { config: { public: true }, schema: hide }, async (_request, reply) => {
    if (isShuttingDown()) return reply.status(503).send({ status: "shutting_down" });
    try {
      await ctx.db.execute(sql`SELECT 1`);
      return { status: "ready", database: ctx.dbKind };
    } catch {
      return reply.status(503).send({ status: "database_unavailable" });
    }
  });
  app.get("/metrics", { config: { public: true }, schema: hide }, async (_request, reply) => {
    reply.type(ctx.metrics.registry.contentType);
    return ctx.metrics.registry.metrics();
  });
}
