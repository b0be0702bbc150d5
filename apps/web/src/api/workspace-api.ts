import type { MergeRequest, NoteRequest, SnoozeRequest, TransferRequest } from "@yunxi/contracts";
import { AgentList, Conversation, ConversationCounts, GroupList, Message } from "@yunxi/contracts";
import { queryString, requestJson } from "./client.ts";
import type { ConversationQuery } from "./endpoints.ts";

/**
 * The agent workspace's endpoints (issue 4): who the agents are, the list's counts, and the
 * manual actions on a conversation. Errors come back as `ApiRequestError`s with the server's
 * code (`already_assigned`, `not_serving_store` …) and message.
 */

const enc = encodeURIComponent;

/** What the counts are taken over: the dimensions they are counted by. */
export type CountsQuery = Pick<ConversationQuery, "storeId" | "platform" | "status">;

const conversationPath = (conversationId: string, action: string) =>
  `/api/conversations/${enc(conversationId)}/${action}`;

export const workspaceApi = {
  /** Everyone in the org who is an agent or above, with status and load. */
  agents: (signal?: AbortSignal) => requestJson("GET", "/api/agents", AgentList, { signal }),
  groups: (signal?: AbortSignal) => requestJson("GET", "/api/groups", GroupList, { signal }),
  counts: (query: CountsQuery, signal?: AbortSignal) =>
    requestJson("GET", `/api/conversations/counts${queryString(query)}`, ConversationCounts, { signal }),
  /** 409 `already_assigned` (the message names the holder) when someone else holds it. */
  claim: (conversationId: string) => requestJson("POST", conversationPath(conversationId, "claim"), Conversation),
  /** Back to the queue. */
  unassign: (conversationId: string) => requestJson("POST", conversationPath(conversationId, "unassign"), Conversation),
  /** 422 `not_serving_store` when the agent does not serve the conversation's store. */
  transfer: (conversationId: string, body: TransferRequest) =>
    requestJson("POST", conversationPath(conversationId, "transfer"), Conversation, { body }),
  snooze: (conversationId: string, body: SnoozeRequest) =>
    requestJson("POST", conversationPath(conversationId, "snooze"), Conversation, { body }),
  /** The other conversation's messages move into this one; answers with the surviving conversation. */
  merge: (conversationId: string, body: MergeRequest) =>
    requestJson("POST", conversationPath(conversationId, "merge"), Conversation, { body }),
  /** An internal note (kind "note", direction "internal"): never sent to the buyer. */
  addNote: (conversationId: string, body: NoteRequest) =>
    requestJson("POST", conversationPath(conversationId, "notes"), Message, { body }),
};
