import type { FastifyInstance, FastifyRequest } from "fastify";
import type { AppContext } from "../../platform/context.ts";
import { safeEqual } from "../../platform/crypto.ts";
import { AppError } from "../../platform/http/errors.ts";
import type { Actor } from "./policy.ts";
import { resolveSession } from "./service.ts";

export const SESSION_COOKIE = "yunxi_session";

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    /** Routes reachable without a session (login, health, platform pushes). */
    public?: boolean;
  }
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Every /api route needs a live session, and every state-changing one the CSRF
 * token of that session in `x-csrf-token` (double submit: a cross-site form
 * cannot read it). Routes opt out with `config: { public: true }`.
 */
export function installAuthHook(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest("actor", null);
  app.addHook("onRequest", async (request) => {
    if (!request.url.startsWith("/api/") || request.routeOptions.config?.public) return;
    const token = request.cookies[SESSION_COOKIE];
    const actor = token ? await resolveSession(ctx, token) : null;
    if (!actor) throw new AppError(401, "unauthenticated", "Please sign in");
    if (!SAFE_METHODS.has(request.method)) {
      const sent = request.headers["x-csrf-token"];
      if (typeof sent !== "string" || !safeEqual(sent, actor.csrfToken)) {
        throw new AppError(403, "csrf_failed", "Missing or wrong CSRF token");
      }
    }
    request.actor = actor;
  });
}

/** The authenticated actor of a route that is not public. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError(401, "unauthenticated", "Please sign in");
  return request.actor;
}
