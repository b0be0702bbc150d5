export {
  type ConversationLookups,
  contextOf,
  fillTemplate,
  orderOfConversation,
  templateContextFor,
  unfilledVariables,
} from "./context.ts";
export { exportReplies, importReplies } from "./excel.ts";
export { cannedReplyRoutes } from "./routes.ts";
export { type ReplySearchHit, searchReplies } from "./service.ts";
