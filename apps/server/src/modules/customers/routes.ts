import {
  ApiError,
  CustomerProfile,
  CustomerSearchQuery,
  CustomerSearchResult,
  LinkIdentityRequest,
  SetCustomerTagsRequest,
} from "@yunxi/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../platform/context.ts";
import type { Executor } from "../../platform/db/client.ts";
import { isId } from "../../platform/db/ids.ts";
import { forbidden, notFound } from "../../platform/http/errors.ts";
import { type Actor, actorOf, atLeast } from "../identity/index.ts";
import {
  type CustomerReads,
  canLinkCustomers,
  customerProfile,
  linkByHand,
  searchCustomers,
  setCustomerTags,
  unlinkByHand,
} from "./profile.ts";

const IdParams = z.strictObject({ id: z.string().max(64) });
const IdentityParams = z.strictObject({ id: z.string().max(64), identityId: z.string().max(64) });
const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError, 409: ApiError };

function requireId(id: string, what: string): string {
  if (!isId(id)) throw notFound(what);
  return id;
}

/** Linking, unlinking and searching the whole org for it: supervisors and above. */
function linkingActor(actor: Actor): Actor {
  if (!canLinkCustomers(actor)) throw forbidden("Only supervisors can link and unlink customers");
  return actor;
}

export interface CustomerRouteDeps extends CustomerReads {
  /** The customer of a conversation the actor may see (inbox); throws "not found" otherwise. */
  conversationBuyer: (db: Executor, actor: Actor, conversationId: string) => Promise<{ customerId: string }>;
  /** The buyer's tags changed: their open conversations are weighed again (inbox priority rules). */
  tagsChanged: (orgId: string, customerId: string) => Promise<void>;
}

export function customerRoutes(app: FastifyInstance, ctx: AppContext, deps: CustomerRouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const profile = (actor: Actor, customerId: string) => customerProfile(ctx.db, actor, customerId, deps);

  r.get(
    "/api/customers",
    {
      schema: {
        tags: ["customers"],
        querystring: CustomerSearchQuery,
        response: { 200: CustomerSearchResult, ...errors },
      },
    },
    async (request) => {
      const { q, limit } = request.query;
      return { items: await searchCustomers(ctx.db, linkingActor(actorOf(request)), q, limit) };
    },
  );

  r.get(
    "/api/customers/:id",
    { schema: { tags: ["customers"], params: IdParams, response: { 200: CustomerProfile, ...errors } } },
    async (request) => profile(actorOf(request), requireId(request.params.id, "Customer")),
  );

  // The buyer of an open conversation, whichever customer they belong to now (links move buyers).
  r.get(
    "/api/conversations/:id/customer",
    { schema: { tags: ["customers"], params: IdParams, response: { 200: CustomerProfile, ...errors } } },
    async (request) => {
      const actor = actorOf(request);
      const { customerId } = await deps.conversationBuyer(ctx.db, actor, requireId(request.params.id, "Conversation"));
      return profile(actor, customerId);
    },
  );

  r.post(
    "/api/customers/:id/identities",
    {
      schema: {
        tags: ["customers"],
        params: IdParams,
        body: LinkIdentityRequest,
        response: { 200: CustomerProfile, ...errors },
      },
    },
    async (request) => {
      const actor = linkingActor(actorOf(request));
      const customerId = requireId(request.params.id, "Customer");
      const identityId = requireId(request.body.identityId, "Identity");
      await linkByHand(ctx, actor, customerId, identityId, request.body.note ?? null, request.ip);
      return profile(actor, customerId);
    },
  );

  r.delete(
    "/api/customers/:id/identities/:identityId",
    { schema: { tags: ["customers"], params: IdentityParams, response: { 200: CustomerProfile, ...errors } } },
    async (request) => {
      const actor = linkingActor(actorOf(request));
      const customerId = requireId(request.params.id, "Customer");
      await unlinkByHand(ctx, actor, customerId, requireId(request.params.identityId, "Identity"), request.ip);
      return profile(actor, customerId);
    },
  );

  // The buyer's own tags (VIP …): anyone who serves one of the buyer's conversations, or a supervisor.
  r.put(
    "/api/customers/:id/tags",
    {
      schema: {
        tags: ["customers"],
        params: IdParams,
        body: SetCustomerTagsRequest,
        response: { 200: CustomerProfile, ...errors },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const customerId = requireId(request.params.id, "Customer");
      const visible = await deps.customerConversations(ctx.db, actor, customerId);
      if (visible.length === 0 && !atLeast(actor, "supervisor")) throw notFound("Customer");
      await setCustomerTags(ctx, actor, customerId, request.body.tags, request.ip);
      await deps.tagsChanged(actor.orgId, customerId);
      return profile(actor, customerId);
    },
  );
}
