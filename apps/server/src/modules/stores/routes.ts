import {
  ApiError,
  AuthorizeCallbackQuery,
  AuthorizeStart,
  CreateStoreRequest,
  Store,
  StoreList,
  UpdateStoreRequest,
} from "@yunxi/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../platform/context.ts";
import { isId } from "../../platform/db/ids.ts";
import { forbidden, notFound } from "../../platform/http/errors.ts";
import { actorOf, canManageStores } from "../identity/index.ts";
import { callbackPath, completeAuthorization, startAuthorization } from "./authorization.ts";
import { presentStore } from "./presenter.ts";
import * as storesService from "./service.ts";

const IdParams = z.strictObject({ id: z.string().max(64) });
const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError };

/** Where the admin console shows the outcome of a grant flow (a web route). */
const adminStoresPage = "/admin/stores";

export interface StoreRouteDeps {
  /** When each store last saw a message (from the inbox). */
  lastMessageTimes: (orgId: string) => Promise<Map<string, Date>>;
}

export function storeRoutes(app: FastifyInstance, ctx: AppContext, deps: StoreRouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get("/api/stores", { schema: { tags: ["stores"], response: { 200: StoreList, ...errors } } }, async (request) => {
    const actor = actorOf(request);
    const [rows, times] = await Promise.all([
      storesService.listStores(ctx.db, actor),
      deps.lastMessageTimes(actor.orgId),
    ]);
    const now = ctx.now();
    return { items: rows.map((s) => presentStore(s, times.get(s.id) ?? null, now)) };
  });

  r.post(
    "/api/stores",
    { schema: { tags: ["stores"], body: CreateStoreRequest, response: { 201: Store, ...errors } } },
    async (request, reply) => {
      const actor = actorOf(request);
      if (!canManageStores(actor)) throw forbidden();
      const row = await storesService.createStore(ctx, actor, actor.orgId, request.body);
      return reply.status(201).send(presentStore(row, null, ctx.now()));
    },
  );

  r.patch(
    "/api/stores/:id",
    { schema: { tags: ["stores"], params: IdParams, body: UpdateStoreRequest, response: { 200: Store, ...errors } } },
    async (request) => {
      const actor = actorOf(request);
      if (!isId(request.params.id)) throw notFound("Store");
      const row = await storesService.updateStore(ctx, actor, request.params.id, request.body);
      const times = await deps.lastMessageTimes(actor.orgId);
      return presentStore(row, times.get(row.id) ?? null, ctx.now());
    },
  );

  r.post(
    "/api/stores/:id/authorize",
    { schema: { tags: ["stores"], params: IdParams, response: { 200: AuthorizeStart, ...errors } } },
    async (request) => {
      if (!isId(request.params.id)) throw notFound("Store");
      return startAuthorization(ctx, actorOf(request), request.params.id);
    },
  );

  // The platform sends the seller's browser back here; the signed state, not a session, says which store.
  r.get(
    callbackPath,
    {
      config: { public: true },
      schema: { tags: ["stores"], querystring: AuthorizeCallbackQuery, response: { 400: ApiError } },
    },
    async (request, reply) => {
      const outcome = await completeAuthorization(ctx, request.query);
      const query = outcome.ok
        ? new URLSearchParams({ authorized: outcome.storeId })
        : new URLSearchParams({ authorizeFailed: outcome.storeId, error: outcome.error.slice(0, 300) });
      return reply.redirect(`${adminStoresPage}?${query}`, 302);
    },
  );
}
