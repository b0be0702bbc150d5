import type { FastifyInstance } from "fastify";
import type { AppContext } from "../../platform/context.ts";
import { registerRollupConsumer, scheduleRollups } from "./consumer.ts";
import { registerExports } from "./exports.ts";
import { rebuildRollups } from "./rebuild.ts";
import { analyticsRoutes } from "./routes.ts";
import { scheduleRoutes } from "./schedules/routes.ts";
import { registerScheduler, scheduleTick } from "./schedules/scheduler.ts";
import { scopeRoutes } from "./scope-routes.ts";
import { REBUILD_QUEUE } from "./settings.ts";

export { consumeAll, consumeOrg, ROLLUP_QUEUE } from "./consumer.ts";
export { EXPORT_QUEUE, runExport } from "./exports.ts";
export { type RebuildResult, rebuildRollups } from "./rebuild.ts";
export { seedExampleSchedule } from "./schedules/example.ts";
export { claimDueSchedules, SCHEDULE_TICK_QUEUE } from "./schedules/scheduler.ts";

/**
 * The data hub in one call from the composition root: its routes, the rollup
 * consumer and the report scheduler (recurring jobs), report exports, rebuilds and
 * scheduled deliveries (jobs).
 */
export async function installAnalytics(app: FastifyInstance, ctx: AppContext): Promise<void> {
  analyticsRoutes(app, ctx);
  scopeRoutes(app, ctx);
  scheduleRoutes(app, ctx);
  registerRollupConsumer(ctx);
  registerExports(ctx);
  registerScheduler(ctx);
  ctx.jobs.register(REBUILD_QUEUE, async (job) => {
    const { from, to } = job.payload;
    if (typeof from === "string" && typeof to === "string") {
      await rebuildRollups(ctx, job.orgId, new Date(from), new Date(to));
    }
  });
  if (ctx.config.workerConcurrency > 0) {
    await scheduleRollups(ctx);
    await scheduleTick(ctx);
  }
}
