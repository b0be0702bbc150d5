import { ApiError, CreateUserRequest, LoginRequest, Me, Session, UpdateUserRequest, User } from "@yunxi/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../platform/context.ts";
import type { Executor } from "../../platform/db/client.ts";
import { isId } from "../../platform/db/ids.ts";
import { forbidden, notFound } from "../../platform/http/errors.ts";
import { actorOf, SESSION_COOKIE } from "./auth-hook.ts";
import { canManageUsers, canSeeUsers } from "./policy.ts";
import { presentMe, presentSession, presentUser } from "./presenter.ts";
import * as identity from "./service.ts";

const IdParams = z.strictObject({ id: z.string().max(64) });
const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError };

export interface IdentityRouteDeps {
  assertStoresInOrg: (tx: Executor, orgId: string, storeIds: string[]) => Promise<void>;
}

export function identityRoutes(app: FastifyInstance, ctx: AppContext, deps: IdentityRouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const secureCookie = ctx.config.publicUrl.startsWith("https://");

  r.post(
    "/api/auth/login",
    {
      config: { public: true, rateLimit: { max: 20, timeWindow: "1 minute" } },
      schema: {
        tags: ["auth"],
        body: LoginRequest,
        response: { 200: Me, ...errors, 423: ApiError, 429: ApiError },
      },
    },
    async (request, reply) => {
      const { token, session } = await identity.login(ctx, {
        ...request.body,
        ip: request.ip,
        userAgent: request.headers["user-agent"] ?? null,
      });
      reply.setCookie(SESSION_COOKIE, token, {
        path: "/",
        httpOnly: true,
        sameSite: "lax",
        secure: secureCookie,
        expires: session.expiresAt,
      });
      const user = await identity.findUser(ctx.db, session.orgId, session.userId);
      const actor = await identity.resolveSession(ctx, token);
      return presentMe(user, await identity.getOrg(ctx.db, user.orgId), actor!);
    },
  );

  r.post("/api/auth/logout", { schema: { tags: ["auth"], response: { 204: z.null() } } }, async (request, reply) => {
    const actor = actorOf(request);
    await identity.revokeSession(ctx, actor, actor.sessionId);
    reply.clearCookie(SESSION_COOKIE, { path: "/" });
    return reply.status(204).send(null);
  });

  r.get("/api/auth/me", { schema: { tags: ["auth"], response: { 200: Me, 401: ApiError } } }, async (request) => {
    const actor = actorOf(request);
    const user = await identity.findUser(ctx.db, actor.orgId, actor.userId);
    return presentMe(user, await identity.getOrg(ctx.db, actor.orgId), actor);
  });

  r.get(
    "/api/auth/sessions",
    { schema: { tags: ["auth"], response: { 200: z.object({ items: z.array(Session) }) } } },
    async (request) => {
      const actor = actorOf(request);
      const rows = await identity.listSessions(ctx, actor);
      return { items: rows.map((s) => presentSession(s, actor.sessionId)) };
    },
  );

  r.delete(
    "/api/auth/sessions/:id",
    { schema: { tags: ["auth"], params: IdParams, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      if (!isId(request.params.id)) throw notFound("Session");
      await identity.revokeSession(ctx, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  r.get(
    "/api/users",
    { schema: { tags: ["users"], response: { 200: z.object({ items: z.array(User) }), ...errors } } },
    async (request) => {
      const actor = actorOf(request);
      if (!canSeeUsers(actor)) throw forbidden();
      const rows = await identity.listUsers(ctx.db, actor.orgId);
      const memberships = await identity.membershipsOf(
        ctx.db,
        actor.orgId,
        rows.map((u) => u.id),
      );
      return { items: rows.map((u) => presentUser(u, memberships.get(u.id) ?? [])) };
    },
  );

  r.post(
    "/api/users",
    { schema: { tags: ["users"], body: CreateUserRequest, response: { 201: User, ...errors, 409: ApiError } } },
    async (request, reply) => {
      const actor = actorOf(request);
      if (!canManageUsers(actor)) throw forbidden();
      const user = await identity.createUser(ctx, actor.orgId, request.body, actor, deps.assertStoresInOrg);
      return reply.status(201).send(presentUser(user, request.body.storeIds));
    },
  );

  r.patch(
    "/api/users/:id",
    { schema: { tags: ["users"], params: IdParams, body: UpdateUserRequest, response: { 200: User, ...errors } } },
    async (request) => {
      const actor = actorOf(request);
      if (!isId(request.params.id)) throw notFound("User");
      const user = await identity.updateUser(ctx, actor, request.params.id, request.body, deps.assertStoresInOrg);
      const memberships = await identity.membershipsOf(ctx.db, actor.orgId, [user.id]);
      return presentUser(user, memberships.get(user.id) ?? []);
    },
  );
}
