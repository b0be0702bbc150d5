import fs from "node:fs";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { notFound } from "./errors.ts";

/**
 * Serve the built web app on the same port as the API, with the SPA's index.html
 * for client-side routes. API and push paths stay JSON 404s.
 */
export async function serveWeb(app: FastifyInstance, dist: string | undefined): Promise<void> {
  const hasWeb = dist !== undefined && fs.existsSync(path.join(dist, "index.html"));
  if (hasWeb) await app.register(fastifyStatic, { root: dist, wildcard: false, index: "index.html" });
  app.setNotFoundHandler((request, reply) => {
    const isApi = /^\/(api|connect|socket\.io)(\/|$)/.test(request.url);
    if (!hasWeb || isApi || request.method !== "GET") throw notFound("Route");
    return reply.type("text/html").sendFile("index.html");
  });
}
