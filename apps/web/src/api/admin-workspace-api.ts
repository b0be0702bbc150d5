import type {
  AgentStatus,
  ConversationStatus,
  NotificationSettings as NotificationSettingsType,
  SaveGroupRequest,
  SavePriorityRuleRequest,
  SurveySettings as SurveySettingsType,
  TransferRequest,
  UpdateAgentRequest,
  UpdateStoreRoutingRequest,
} from "@yunxi/contracts";
import {
  AgentGroup,
  AgentList,
  AgentState,
  Conversation,
  ConversationList,
  GroupList,
  NotificationSettings,
  PriorityRule,
  PriorityRuleList,
  StoreRouting,
  StoreRoutingList,
  SurveySettings,
} from "@yunxi/contracts";
import { queryString, requestJson, requestVoid } from "./client.ts";

/**
 * The workspace endpoints the presence control, the notification center, the supervisor view and
 * the routing settings call (docs: the lead's workspace API notes; schemas: contracts/workspace.ts).
 */

const enc = encodeURIComponent;

/** What the supervisor view asks of `GET /api/conversations` (the contract's `ListConversationsQuery`). */
export type WorkspaceConversationQuery = {
  status?: ConversationStatus;
  /** me | unassigned | a user id */
  assignee?: string;
  sla?: "breached" | "due_soon" | "ok";
  sort?: "recent" | "priority";
  limit?: number;
};

/** The input side of `SavePriorityRuleRequest` (storeId has a default). */
export type NewPriorityRule = Omit<SavePriorityRuleRequest, "storeId"> & { storeId?: string | null };

export const agentsApi = {
  list: (signal?: AbortSignal) => requestJson("GET", "/api/agents", AgentList, { signal }),
  me: (signal?: AbortSignal) => requestJson("GET", "/api/agents/me", AgentState, { signal }),
  setMyStatus: (status: AgentStatus) => requestJson("PUT", "/api/agents/me/status", AgentState, { body: { status } }),
  /** Heartbeat while the agent uses the keyboard or mouse (at most once a minute). */
  activity: () => requestVoid("POST", "/api/agents/me/activity"),
  /** Supervisor+: capacity, or a forced status. */
  update: (userId: string, body: UpdateAgentRequest) =>
    requestJson("PATCH", `/api/agents/${enc(userId)}`, AgentState, { body }),
};

export const groupsApi = {
  list: (signal?: AbortSignal) => requestJson("GET", "/api/groups", GroupList, { signal }),
  create: (body: SaveGroupRequest) => requestJson("POST", "/api/groups", AgentGroup, { body }),
  update: (groupId: string, body: SaveGroupRequest) =>
    requestJson("PUT", `/api/groups/${enc(groupId)}`, AgentGroup, { body }),
  remove: (groupId: string) => requestVoid("DELETE", `/api/groups/${enc(groupId)}`),
};

export const routingApi = {
  stores: (signal?: AbortSignal) => requestJson("GET", "/api/routing/stores", StoreRoutingList, { signal }),
  updateStore: (storeId: string, body: UpdateStoreRoutingRequest) =>
    requestJson("PUT", `/api/routing/stores/${enc(storeId)}`, StoreRouting, { body }),
  priorityRules: (signal?: AbortSignal) =>
    requestJson("GET", "/api/routing/priority-rules", PriorityRuleList, { signal }),
  createPriorityRule: (body: NewPriorityRule) =>
    requestJson("POST", "/api/routing/priority-rules", PriorityRule, { body }),
  deletePriorityRule: (ruleId: string) => requestVoid("DELETE", `/api/routing/priority-rules/${enc(ruleId)}`),
};

export const surveySettingsApi = {
  get: (signal?: AbortSignal) => requestJson("GET", "/api/survey-settings", SurveySettings, { signal }),
  save: (body: SurveySettingsType) => requestJson("PUT", "/api/survey-settings", SurveySettings, { body }),
};

export const notificationSettingsApi = {
  get: (signal?: AbortSignal) => requestJson("GET", "/api/notification-settings", NotificationSettings, { signal }),
  save: (body: NotificationSettingsType) =>
    requestJson("PUT", "/api/notification-settings", NotificationSettings, { body }),
};

export const assignmentApi = {
  conversations: (query: WorkspaceConversationQuery, signal?: AbortSignal) =>
    requestJson("GET", `/api/conversations${queryString(query)}`, ConversationList, { signal }),
  /** 409 `already_assigned` (the holder's name in the message) when someone else holds it. */
  claim: (conversationId: string) =>
    requestJson("POST", `/api/conversations/${enc(conversationId)}/claim`, Conversation),
  /** 422 `not_serving_store` when the agent does not serve the conversation's store. */
  transfer: (conversationId: string, body: TransferRequest) =>
    requestJson("POST", `/api/conversations/${enc(conversationId)}/transfer`, Conversation, { body }),
  unassign: (conversationId: string) =>
    requestJson("POST", `/api/conversations/${enc(conversationId)}/unassign`, Conversation),
};
