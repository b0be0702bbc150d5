import type { ConversationStatus, LoginRequest, SendMessageRequest } from "@yunxi/contracts";
import { Conversation, ConversationList, Me, Message, MessageList, Session, Store } from "@yunxi/contracts";
import { queryString, requestJson, requestVoid } from "./client.ts";

const StoreList = { parse: (data: unknown) => ({ items: Store.array().parse(itemsOf(data)) }) };
const SessionList = { parse: (data: unknown) => ({ items: Session.array().parse(itemsOf(data)) }) };

function itemsOf(data: unknown): unknown {
  return typeof data === "object" && data !== null && "items" in data ? data.items : undefined;
}

const enc = encodeURIComponent;

export const authApi = {
  login: (body: LoginRequest) => requestJson("POST", "/api/auth/login", Me, { body }),
  logout: () => requestVoid("POST", "/api/auth/logout"),
  me: (signal?: AbortSignal) => requestJson("GET", "/api/auth/me", Me, { signal }),
  sessions: () => requestJson("GET", "/api/auth/sessions", SessionList),
  revokeSession: (id: string) => requestVoid("DELETE", `/api/auth/sessions/${enc(id)}`),
};

export type ConversationQuery = {
  storeId?: string;
  status?: ConversationStatus;
  limit?: number;
  /** Cursor: conversations whose last message is older than this. */
  before?: string;
};

export const inboxApi = {
  stores: () => requestJson("GET", "/api/stores", StoreList),
  conversations: (query: ConversationQuery, signal?: AbortSignal) =>
    requestJson("GET", `/api/conversations${queryString(query)}`, ConversationList, { signal }),
  messages: (conversationId: string, signal?: AbortSignal) =>
    requestJson("GET", `/api/conversations/${enc(conversationId)}/messages`, MessageList, { signal }),
  sendMessage: (conversationId: string, body: SendMessageRequest) =>
    requestJson("POST", `/api/conversations/${enc(conversationId)}/messages`, Message, { body }),
  retryMessage: (messageId: string) => requestJson("POST", `/api/messages/${enc(messageId)}/retry`, Message),
  markRead: (conversationId: string) =>
    requestJson("POST", `/api/conversations/${enc(conversationId)}/read`, Conversation),
  setStatus: (conversationId: string, status: ConversationStatus) =>
    requestVoid("PATCH", `/api/conversations/${enc(conversationId)}`, { status }),
};
