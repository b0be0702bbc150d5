import type { FastifyReply, FastifyRequest } from "fastify";
import { forbidden } from "../../../platform/http/errors.ts";
import type { StoreWithCredentials } from "../../stores/index.ts";

/**
 * CORS for the widget API. The widget authenticates with a bearer token, never a
 * cookie, so a foreign page gains nothing it could not get with curl: any origin
 * may call by default (`*`, no credentials), which lets one script tag work on
 * every page of a merchant's sites and H5 pages. A store that lists
 * `allowedOrigins` gets only those echoed back, and a browser call from any other
 * origin is refused — that keeps the widget off other people's sites, not a
 * determined client, which the identity signature is for.
 */
export function allowOrigin(request: FastifyRequest, reply: FastifyReply, target: StoreWithCredentials): void {
  const origin = request.headers.origin;
  const allowed = target.credentials.allowedOrigins;
  if (!allowed || allowed.length === 0) {
    reply.header("access-control-allow-origin", "*");
    return;
  }
  reply.header("vary", "Origin");
  if (origin === undefined) return; // not a browser's cross-origin call
  const normalized = allowed.map((o) => new URL(o).origin);
  if (!normalized.includes(origin)) throw forbidden("This site may not embed the store's chat widget");
  reply.header("access-control-allow-origin", origin);
}

/** Preflight: permission to send is granted to all; each real call is then checked by allowOrigin. */
export function answerPreflight(request: FastifyRequest, reply: FastifyReply) {
  return reply
    .header("access-control-allow-origin", request.headers.origin ?? "*")
    .header("access-control-allow-methods", "GET, POST")
    .header("access-control-allow-headers", "authorization, content-type")
    .header("access-control-max-age", "600")
    .header("vary", "Origin")
    .code(204)
    .send();
}
