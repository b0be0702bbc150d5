export { type IngestResult, ingestInbound } from "./ingest.ts";
export { presentMessage } from "./presenter.ts";
export { lastMessageTimes } from "./queries.ts";
export {
  DELIVERY_MAX_ATTEMPTS,
  DELIVERY_QUEUE,
  type DeliveryOutcome,
  pendingDelivery,
  recordDelivery,
} from "./replies.ts";
export { inboxRoutes } from "./routes.ts";
