import type {
  ConversationStatus,
  CreateStoreRequest,
  CreateUserRequest,
  conversationSorts,
  LoginRequest,
  PlatformId,
  SendMessageRequest,
  slaFilters,
  TestSendRequest,
  UpdateStoreRequest,
  UpdateUserRequest,
} from "@yunxi/contracts";
import {
  AuthorizeStart,
  Conversation,
  ConversationList,
  LogisticsTrace,
  Me,
  Message,
  MessageList,
  OrderList,
  Session,
  Store,
  StoreList,
  TestSendResult,
  User,
} from "@yunxi/contracts";
import { queryString, requestJson, requestVoid } from "./client.ts";

// The contracts have no list schemas for these two; the web app does not depend on zod itself.
const SessionList = { parse: (data: unknown) => ({ items: Session.array().parse(itemsOf(data)) }) };
const UserList = { parse: (data: unknown) => ({ items: User.array().parse(itemsOf(data)) }) };

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
  platform?: PlatformId;
  /** me | unassigned | a user id */
  assignee?: string;
  groupId?: string;
  minPriority?: number;
  tag?: string;
  sla?: (typeof slaFilters)[number];
  /** Buyer name, buyer id or message text. */
  q?: string;
  sort?: (typeof conversationSorts)[number];
  limit?: number;
  /** Cursor: conversations whose last message is older than this. */
  before?: string;
};

/** What the composer and the orders panel send: `SendMessageRequest` as the client builds it. */
export type OutgoingMessage = Pick<SendMessageRequest, "body" | "attachment" | "idempotencyKey">;

export const inboxApi = {
  stores: (signal?: AbortSignal) => requestJson("GET", "/api/stores", StoreList, { signal }),
  conversations: (query: ConversationQuery, signal?: AbortSignal) =>
    requestJson("GET", `/api/conversations${queryString(query)}`, ConversationList, { signal }),
  messages: (conversationId: string, signal?: AbortSignal) =>
    requestJson("GET", `/api/conversations/${enc(conversationId)}/messages`, MessageList, { signal }),
  sendMessage: (conversationId: string, body: OutgoingMessage) =>
    requestJson("POST", `/api/conversations/${enc(conversationId)}/messages`, Message, { body }),
  retryMessage: (messageId: string) => requestJson("POST", `/api/messages/${enc(messageId)}/retry`, Message),
  markRead: (conversationId: string) =>
    requestJson("POST", `/api/conversations/${enc(conversationId)}/read`, Conversation),
  setStatus: (conversationId: string, status: ConversationStatus) =>
    requestVoid("PATCH", `/api/conversations/${enc(conversationId)}`, { status }),
};

export const ordersApi = {
  /** The buyer's orders in the conversation's store, as synced from the platform. */
  ofConversation: (conversationId: string, signal?: AbortSignal) =>
    requestJson("GET", `/api/conversations/${enc(conversationId)}/orders`, OrderList, { signal }),
  ofCustomer: (customerId: string, signal?: AbortSignal) =>
    requestJson("GET", `/api/customers/${enc(customerId)}/orders`, OrderList, { signal }),
  /** `orderId` is `Order.id` (Yunxi's), not the platform's order number. */
  logistics: (orderId: string, signal?: AbortSignal) =>
    requestJson("GET", `/api/orders/${enc(orderId)}/logistics`, LogisticsTrace, { signal }),
};

export const adminApi = {
  stores: (signal?: AbortSignal) => requestJson("GET", "/api/stores", StoreList, { signal }),
  createStore: (body: CreateStoreRequest) => requestJson("POST", "/api/stores", Store, { body }),
  updateStore: (storeId: string, body: UpdateStoreRequest) =>
    requestJson("PATCH", `/api/stores/${enc(storeId)}`, Store, { body }),
  /** Starts the platform's grant flow; the seller's browser goes to `authorizeUrl`. */
  authorize: (storeId: string) => requestJson("POST", `/api/stores/${enc(storeId)}/authorize`, AuthorizeStart),
  testSend: (storeId: string, body: TestSendRequest) =>
    requestJson("POST", `/api/stores/${enc(storeId)}/test-send`, TestSendResult, { body }),
  users: (signal?: AbortSignal) => requestJson("GET", "/api/users", UserList, { signal }),
  createUser: (body: CreateUserRequest) => requestJson("POST", "/api/users", User, { body }),
  updateUser: (userId: string, body: UpdateUserRequest) =>
    requestJson("PATCH", `/api/users/${enc(userId)}`, User, { body }),
};
