import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import type { Simulator } from "./simulator.ts";

/**
 * The JSON control API under `/sim/api/`, for tests, benchmarks and the control
 * page. It only drives the simulator; the platform protocols live in the gateways.
 */

const RateBody = z.object({ ratePerMinute: z.number().min(0).max(600_000) });
const SayBody = z.object({
  storeKey: z.string().min(1),
  buyerNick: z.string().min(1).max(60).optional(),
  text: z.string().min(1).max(2000),
});
const FaultsBody = z.object({
  failNextSends: z.number().int().min(0).optional(),
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  down: z.boolean().optional(),
});
const TargetBody = z.object({ yunxiUrl: z.url().nullable() });
const StoreFilter = z.object({ storeKey: z.string().optional(), buyerNick: z.string().optional() });

function invalid(reply: FastifyReply, error: z.ZodError) {
  return reply.code(400).send({ error: { code: "validation_failed", message: z.prettifyError(error) } });
}

export function registerControlApi(app: FastifyInstance, sim: Simulator): void {
  app.get("/sim/api/state", async () => sim.state());

  app.put("/sim/api/rate", async (request, reply) => {
    const body = RateBody.safeParse(request.body);
    if (!body.success) return invalid(reply, body.error);
    sim.setRate(body.data.ratePerMinute);
    return { ratePerMinute: sim.state().ratePerMinute };
  });

  app.post("/sim/api/stop-traffic", async () => {
    sim.setRate(0);
    return { ratePerMinute: 0 };
  });

  app.post("/sim/api/say", async (request, reply) => {
    const body = SayBody.safeParse(request.body);
    if (!body.success) return invalid(reply, body.error);
    const said = sim.say(body.data);
    if (!said) return reply.code(404).send({ error: { code: "not_found", message: "unknown storeKey" } });
    return said;
  });

  app.get("/sim/api/pushes", async (request) => {
    const filter = StoreFilter.parse(request.query);
    return { pushes: sim.pushes({ storeKey: filter.storeKey }) };
  });

  app.get("/sim/api/replies", async (request) => {
    const filter = StoreFilter.parse(request.query);
    return { replies: sim.replies(filter) };
  });

  app.get("/sim/api/buyers", async (request) => {
    const filter = StoreFilter.parse(request.query);
    return { buyers: sim.buyers(filter) };
  });

  app.post("/sim/api/faults", async (request, reply) => {
    const body = FaultsBody.safeParse(request.body ?? {});
    if (!body.success) return invalid(reply, body.error);
    return { faults: sim.setFaults(body.data) };
  });

  app.delete("/sim/api/faults", async () => ({ faults: sim.clearFaults() }));

  app.put("/sim/api/yunxi-url", async (request, reply) => {
    const body = TargetBody.safeParse(request.body);
    if (!body.success) return invalid(reply, body.error);
    sim.setYunxiUrl(body.data.yunxiUrl ?? undefined);
    return { yunxiUrl: body.data.yunxiUrl };
  });
}
