import { AnalyticsFilterScope, ApiError } from "@yunxi/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { AppContext } from "../../platform/context.ts";
import { type Executor, queryRows, sql } from "../../platform/db/client.ts";
import { type Actor, actorOf } from "../identity/index.ts";
import { oversightOf, resolveScope } from "./scope.ts";
import { NO_AGENT } from "./tables.ts";

const errors = { 401: ApiError, 403: ApiError };

/** The agents, groups and stores the caller's figures may be cut by (scope.ts decides). */
export async function filterScope(db: Executor, actor: Actor): Promise<AnalyticsFilterScope> {
  const [scope, oversight] = await Promise.all([resolveScope(db, actor, {}), oversightOf(db, actor)]);
  const agentIds = scope.agentIds?.filter((id) => id !== NO_AGENT) ?? [...scope.userNames.keys()];
  const agents = agentIds
    .map((id) => ({ id, name: scope.userNames.get(id) ?? id }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const groups =
    oversight.kind === "own"
      ? []
      : (
          await queryRows<{ id: string; name: string }>(
            db,
            sql`SELECT id, name FROM agent_groups WHERE org_id = ${actor.orgId} ORDER BY name`,
          )
        ).filter((g) => oversight.kind === "all" || oversight.groupIds.has(g.id));
  return { oversight: oversight.kind, agents, groups, storeIds: scope.storeIds };
}

export function scopeRoutes(app: FastifyInstance, ctx: AppContext): void {
  app
    .withTypeProvider<ZodTypeProvider>()
    .get(
      "/api/analytics/scope",
      { schema: { tags: ["analytics"], response: { 200: AnalyticsFilterScope, ...errors } } },
      async (request) => filterScope(ctx.db, actorOf(request)),
    );
}
