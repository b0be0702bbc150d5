import type { AppContext } from "../../../platform/context.ts";
import { queryRows, sql } from "../../../platform/db/client.ts";
import { retriageCustomer, routeOrg, TRIAGE_QUEUE, triageAndRoute } from "./queue.ts";
import { registerWorkspaceSweep, requeueLostAccess } from "./sweep.ts";

export { setAgentStatus } from "./agents.ts";
export { suggestedPriorityRules } from "./priority.ts";
export { workspaceRoutes } from "./routes.ts";
export { seedPriorityRules, seedWorkspace } from "./settings.ts";
export { scheduleWorkspaceSweep, sweepOrg } from "./sweep.ts";
export { retriageCustomer, routeOrg, triageAndRoute };

/** The workspace's background work: triage after ingest, the sweep, and re-queueing when access changes. */
export function registerWorkspace(ctx: AppContext): () => void {
  ctx.jobs.register(TRIAGE_QUEUE, async (job) => {
    await triageAndRoute(ctx, job.orgId);
  });
  registerWorkspaceSweep(ctx);
  // A user's stores or access changed: what they held in stores they lost goes back to the queue now.
  return ctx.bus.onChanged((kind, userId) => {
    if (kind !== "user") return;
    void (async () => {
      const [row] = await queryRows<{ org_id: string }>(
        ctx.db,
        sql`SELECT org_id FROM conversations WHERE assignee_id = ${userId} AND status <> 'resolved' LIMIT 1`,
      );
      if (row) await requeueLostAccess(ctx, row.org_id);
    })().catch((err: unknown) => ctx.log.error({ err }, "re-queue after an access change failed"));
  });
}
