import type { AutoReplyOutcome, Intent, UpdateAutoReplyRulesRequest } from "@yunxi/contracts";
import {
  AutoReplyDecisionList,
  AutoReplyMetrics,
  AutoReplyRules,
  AutoReplyRulesList,
  Conversation,
} from "@yunxi/contracts";
import { queryString, requestJson } from "../api/client.ts";

/** The auto-reply endpoints (contracts/autoreply.ts): rules per store, the bot's decisions, its figures. */

const enc = encodeURIComponent;

export const autoReplyApi = {
  rules: (signal?: AbortSignal) => requestJson("GET", "/api/assist/autoreply/rules", AutoReplyRulesList, { signal }),
  update: (storeId: string, body: UpdateAutoReplyRulesRequest) =>
    requestJson("PUT", `/api/assist/autoreply/rules/${enc(storeId)}`, AutoReplyRules, { body }),
  decisions: (query: { storeId?: string; outcome?: AutoReplyOutcome; limit?: number }, signal?: AbortSignal) =>
    requestJson("GET", `/api/assist/autoreply/decisions${queryString(query)}`, AutoReplyDecisionList, { signal }),
  metrics: (query: { from: string; to: string; storeId?: string }, signal?: AbortSignal) =>
    requestJson("GET", `/api/assist/autoreply/metrics${queryString(query)}`, AutoReplyMetrics, { signal }),
};

/** One-click correction of a conversation's intent tag (kept for retraining the classifier). */
export const intentApi = {
  correct: (conversationId: string, intent: Intent) =>
    requestJson("POST", `/api/conversations/${enc(conversationId)}/intent`, Conversation, { body: { intent } }),
};
