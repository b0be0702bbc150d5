export {
  conversationForBot,
  HANDOVER_TAG,
  handOverToHuman,
  onTriaged,
  recentMessagesForBot,
  sendBotReply,
  type TriageListener,
  type TriageReview,
} from "./bot.ts";
export { buyerHistory, conversationByPlatformMessageIds, conversationThread } from "./channel-threads.ts";
export { customerConversations, followCustomerLinksInInbox } from "./customer-links.ts";
export { type IngestResult, ingestInbound } from "./ingest.ts";
export {
  correctIntentTag,
  type IntentCorrected,
  type IntentRefinement,
  intentTagOf,
  parseIntentTag,
  type RefinementOutcome,
  refineIntentTag,
} from "./intent-tag.ts";
export { type MessageRow, presentMessage } from "./presenter.ts";
export { conversationBuyer, getConversationRow, lastMessageTimes } from "./queries.ts";
export {
  DELIVERY_MAX_ATTEMPTS,
  DELIVERY_QUEUE,
  type DeliveryOutcome,
  pendingDelivery,
  type ReplyChecks,
  recordDelivery,
} from "./replies.ts";
export { inboxRoutes } from "./routes.ts";
export { isOpen as isWithinBusinessHours } from "./routing/business-hours.ts";
export {
  registerWorkspace,
  retriageCustomer,
  routeOrg,
  scheduleWorkspaceSweep,
  seedPriorityRules,
  seedWorkspace,
  setAgentStatus,
  suggestedPriorityRules,
  sweepOrg,
  triageAndRoute,
  workspaceRoutes,
} from "./routing/index.ts";
export { listGroups, storeRoutings } from "./routing/settings.ts";
