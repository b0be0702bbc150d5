import { PlatformId } from "@yunxi/contracts";
import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import { MixChange, ProfileName } from "./profiles.ts";
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
const PushFilter = z.object({
  storeKey: z.string().optional(),
  kind: z.enum(["message", "order", "read", "evaluation", "all"]).optional(),
});
const EventFilter = z.object({
  storeKey: z.string().optional(),
  kind: z.enum(["order", "read", "evaluation"]).optional(),
});
const ProfileBody = z.object({ profile: ProfileName });
/** `from`/`to`: ISO times or epoch ms; `to` is exclusive. */
const Instant = z
  .string()
  .transform((value, ctx) => {
    const date = /^\d+$/.test(value) ? new Date(Number(value)) : new Date(value);
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: "custom", message: `not a time: ${value}` });
      return z.NEVER;
    }
    return date;
  })
  .optional();
const RecordQuery = z.object({
  from: Instant,
  to: Instant,
  storeKey: z.string().optional(),
  platform: PlatformId.optional(),
  format: z.enum(["json", "csv"]).default("json"),
});

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

  app.get("/sim/api/pushes", async (request, reply) => {
    const filter = PushFilter.safeParse(request.query);
    if (!filter.success) return invalid(reply, filter.error);
    return { pushes: sim.pushes(filter.data) };
  });

  app.get("/sim/api/events", async (request, reply) => {
    const filter = EventFilter.safeParse(request.query);
    if (!filter.success) return invalid(reply, filter.error);
    return { events: sim.events(filter.data) };
  });

  app.get("/sim/api/orders", async (request) => {
    const filter = StoreFilter.parse(request.query);
    return { orders: sim.orders(filter) };
  });

  app.get("/sim/api/profile", async () => ({ profile: sim.profile() }));

  app.put("/sim/api/profile", async (request, reply) => {
    const body = ProfileBody.safeParse(request.body);
    if (!body.success) return invalid(reply, body.error);
    return { profile: sim.setProfile(body.data.profile) };
  });

  app.put("/sim/api/mix", async (request, reply) => {
    const body = MixChange.safeParse(request.body);
    if (!body.success) return invalid(reply, body.error);
    return { profile: sim.setMix(body.data) };
  });

  app.delete("/sim/api/mix", async () => ({ profile: sim.clearMix() }));

  app.get("/sim/api/record", async (request, reply) => {
    const query = RecordQuery.safeParse(request.query);
    if (!query.success) return invalid(reply, query.error);
    const { format, ...range } = query.data;
    if (format === "csv") {
      const name = `buyer-record-${(range.from ?? new Date(0)).toISOString().slice(0, 19).replace(/:/g, "")}.csv`;
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${name}"`)
        .send(`\uFEFF${sim.recordCsv(range)}`);
    }
    return { summary: sim.recordSummary(range), sessions: sim.record(range) };
  });

  app.get("/sim/api/record/summary", async (request, reply) => {
    const query = RecordQuery.safeParse(request.query);
    if (!query.success) return invalid(reply, query.error);
    const { format: _format, ...range } = query.data;
    return sim.recordSummary(range);
  });

  app.get("/sim/api/replies", async (request) => {
    const filter = StoreFilter.parse(request.query);
    return { replies: sim.replies(filter) };
  });

  app.get("/sim/api/send-calls", async (request) => {
    const filter = StoreFilter.parse(request.query);
    return { sendCalls: sim.sendCalls(filter) };
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
