import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

/** Prometheus metrics served at /metrics. One registry per server instance so tests stay independent. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "yunxi_process_" });
  return {
    registry,
    inboundMessages: new Counter({
      name: "yunxi_inbound_messages_total",
      help: "Buyer messages received from platforms, by outcome (stored, duplicate, rejected).",
      labelNames: ["platform", "status"] as const,
      registers: [registry],
    }),
    outboundMessages: new Counter({
      name: "yunxi_outbound_messages_total",
      help: "Replies handed to platforms, by outcome (sent, retried, failed).",
      labelNames: ["platform", "status"] as const,
      registers: [registry],
    }),
    pushToStored: new Histogram({
      name: "yunxi_push_to_stored_seconds",
      help: "From receiving a platform push to its transaction committing.",
      labelNames: ["platform"] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    jobsProcessed: new Counter({
      name: "yunxi_jobs_total",
      help: "Background jobs by queue and outcome.",
      labelNames: ["queue", "status"] as const,
      registers: [registry],
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
