import { ApiError, LogisticsTrace, OrderList } from "@yunxi/contracts";
import type { BuyerIdentity } from "@yunxi/marketplaces";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../platform/context.ts";
import type { Executor } from "../../platform/db/client.ts";
import { isId } from "../../platform/db/ids.ts";
import { notFound } from "../../platform/http/errors.ts";
import { customerExists } from "../customers/index.ts";
import { type Actor, actorOf } from "../identity/index.ts";
import { listOrgStores } from "../stores/index.ts";
import { presentOrder } from "./presenter.ts";
import { customerOrders, type OrderOwner } from "./service.ts";
import { orderLogistics, syncBuyerOrders } from "./sync.ts";

const IdParams = z.strictObject({ id: z.string().max(64) });
const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError, 409: ApiError, 502: ApiError };

function requireId(id: string, what: string): string {
  if (!isId(id)) throw notFound(what);
  return id;
}

export interface OrderRouteDeps {
  /** The buyer of a conversation the actor may see (from the inbox); throws "not found" otherwise. */
  conversationBuyer: (
    db: Executor,
    actor: Actor,
    conversationId: string,
  ) => Promise<OrderOwner & { buyer: BuyerIdentity }>;
}

export function orderRoutes(app: FastifyInstance, ctx: AppContext, deps: OrderRouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    "/api/conversations/:id/orders",
    { schema: { tags: ["orders"], params: IdParams, response: { 200: OrderList, ...errors } } },
    async (request, reply) => {
      const actor = actorOf(request);
      const owner = await deps.conversationBuyer(ctx.db, actor, requireId(request.params.id, "Conversation"));
      const { rows, store, source } = await syncBuyerOrders(ctx, owner, owner.buyer);
      // Whether the list is fresh from the platform or what we had stored when it failed.
      reply.header("x-orders-source", source);
      return { items: rows.map((row) => presentOrder(row, store)) };
    },
  );

  r.get(
    "/api/customers/:id/orders",
    { schema: { tags: ["orders"], params: IdParams, response: { 200: OrderList, ...errors } } },
    async (request) => {
      const actor = actorOf(request);
      const customerId = requireId(request.params.id, "Customer");
      if (!(await customerExists(ctx.db, actor.orgId, customerId))) throw notFound("Customer");
      const [rows, stores] = await Promise.all([
        customerOrders(ctx.db, actor, customerId),
        listOrgStores(ctx.db, actor.orgId),
      ]);
      const storesById = new Map(stores.map((s) => [s.id, s]));
      return { items: rows.map((row) => presentOrder(row, storesById.get(row.storeId)!)) };
    },
  );

  r.get(
    "/api/orders/:id/logistics",
    { schema: { tags: ["orders"], params: IdParams, response: { 200: LogisticsTrace, ...errors } } },
    async (request) => {
      const trace = await orderLogistics(ctx, actorOf(request), requireId(request.params.id, "Order"));
      return {
        carrier: trace.carrier,
        trackingNo: trace.trackingNo,
        nodes: trace.nodes.map((n) => ({ at: n.at.toISOString(), description: n.description })),
      };
    },
  );
}
