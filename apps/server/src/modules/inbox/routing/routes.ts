import {
  AgentList,
  AgentState,
  ApiError,
  Conversation,
  ConversationCounts,
  GroupList,
  AgentGroup as GroupSchema,
  ListConversationsQuery,
  MergeRequest,
  Message,
  NoteRequest,
  NotificationSettings,
  PriorityRule,
  PriorityRuleList,
  SaveGroupRequest,
  SavePriorityRuleRequest,
  SetMyStatusRequest,
  SnoozeRequest,
  StoreRouting,
  StoreRoutingList,
  TransferRequest,
  UpdateAgentRequest,
  UpdateStoreRoutingRequest,
} from "@yunxi/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../../platform/context.ts";
import { actorOf } from "../../identity/index.ts";
import { presentMessage } from "../presenter.ts";
import { countConversations } from "../queries.ts";
import { addNote, claim, merge, snooze, transfer, unassign } from "./actions.ts";
import { getAgent, listAgents, recordActivity, setMyStatus, updateAgent } from "./agents.ts";
import {
  addPriorityRule,
  deleteGroup,
  deletePriorityRule,
  getNotificationSettings,
  listGroups,
  listPriorityRules,
  listStoreRoutings,
  saveGroup,
  saveNotificationSettings,
  updateStoreRouting,
} from "./settings.ts";

const IdParams = z.strictObject({ id: z.string().max(64) });
const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError, 409: ApiError, 422: ApiError };
const CountsQuery = ListConversationsQuery.omit({ sort: true, limit: true, before: true });

/** The workspace's routes: availability, groups, routing settings, and the manual moves on a conversation. */
export function workspaceRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["workspace"];

  // ── Agents ──
  r.get("/api/agents", { schema: { tags, response: { 200: AgentList, ...errors } } }, async (request) => ({
    items: await listAgents(ctx.db, actorOf(request)),
  }));
  r.get("/api/agents/me", { schema: { tags, response: { 200: AgentState, ...errors } } }, async (request) => {
    const actor = actorOf(request);
    return getAgent(ctx.db, actor.orgId, actor.userId);
  });
  r.put(
    "/api/agents/me/status",
    { schema: { tags, body: SetMyStatusRequest, response: { 200: AgentState, ...errors } } },
    async (request) => setMyStatus(ctx, actorOf(request), request.body.status),
  );
  r.post("/api/agents/me/activity", { schema: { tags } }, async (request, reply) => {
    await recordActivity(ctx, actorOf(request));
    return reply.status(204).send();
  });
  r.patch(
    "/api/agents/:id",
    { schema: { tags, params: IdParams, body: UpdateAgentRequest, response: { 200: AgentState, ...errors } } },
    async (request) => updateAgent(ctx, actorOf(request), request.params.id, request.body),
  );

  // ── Groups ──
  r.get("/api/groups", { schema: { tags, response: { 200: GroupList, ...errors } } }, async (request) => ({
    items: await listGroups(ctx.db, actorOf(request).orgId),
  }));
  r.post(
    "/api/groups",
    { schema: { tags, body: SaveGroupRequest, response: { 201: GroupSchema, ...errors } } },
    async (request, reply) => reply.status(201).send(await saveGroup(ctx, actorOf(request), null, request.body)),
  );
  r.put(
    "/api/groups/:id",
    { schema: { tags, params: IdParams, body: SaveGroupRequest, response: { 200: GroupSchema, ...errors } } },
    async (request) => saveGroup(ctx, actorOf(request), request.params.id, request.body),
  );
  r.delete("/api/groups/:id", { schema: { tags, params: IdParams } }, async (request, reply) => {
    await deleteGroup(ctx, actorOf(request), request.params.id);
    return reply.status(204).send();
  });

  // ── Routing settings ──
  r.get(
    "/api/routing/stores",
    { schema: { tags, response: { 200: StoreRoutingList, ...errors } } },
    async (request) => ({
      items: await listStoreRoutings(ctx.db, actorOf(request)),
    }),
  );
  r.put(
    "/api/routing/stores/:id",
    {
      schema: { tags, params: IdParams, body: UpdateStoreRoutingRequest, response: { 200: StoreRouting, ...errors } },
    },
    async (request) => updateStoreRouting(ctx, actorOf(request), request.params.id, request.body),
  );
  r.get(
    "/api/routing/priority-rules",
    { schema: { tags, response: { 200: PriorityRuleList, ...errors } } },
    async (request) => ({ items: await listPriorityRules(ctx.db, actorOf(request).orgId) }),
  );
  r.post(
    "/api/routing/priority-rules",
    { schema: { tags, body: SavePriorityRuleRequest, response: { 201: PriorityRule, ...errors } } },
    async (request, reply) => reply.status(201).send(await addPriorityRule(ctx, actorOf(request), request.body)),
  );
  r.delete("/api/routing/priority-rules/:id", { schema: { tags, params: IdParams } }, async (request, reply) => {
    await deletePriorityRule(ctx, actorOf(request), request.params.id);
    return reply.status(204).send();
  });
  r.get(
    "/api/notification-settings",
    { schema: { tags, response: { 200: NotificationSettings, ...errors } } },
    async (request) => getNotificationSettings(ctx.db, actorOf(request).orgId),
  );
  r.put(
    "/api/notification-settings",
    { schema: { tags, body: NotificationSettings, response: { 200: NotificationSettings, ...errors } } },
    async (request) => saveNotificationSettings(ctx, actorOf(request), request.body),
  );

  // ── Conversations ──
  r.get(
    "/api/conversations/counts",
    { schema: { tags, querystring: CountsQuery, response: { 200: ConversationCounts, ...errors } } },
    async (request) => countConversations(ctx, actorOf(request), request.query),
  );
  r.post(
    "/api/conversations/:id/claim",
    { schema: { tags, params: IdParams, response: { 200: Conversation, ...errors } } },
    async (request) => claim(ctx, actorOf(request), request.params.id),
  );
  r.post(
    "/api/conversations/:id/unassign",
    { schema: { tags, params: IdParams, response: { 200: Conversation, ...errors } } },
    async (request) => unassign(ctx, actorOf(request), request.params.id),
  );
  r.post(
    "/api/conversations/:id/transfer",
    { schema: { tags, params: IdParams, body: TransferRequest, response: { 200: Conversation, ...errors } } },
    async (request) => transfer(ctx, actorOf(request), request.params.id, request.body),
  );
  r.post(
    "/api/conversations/:id/snooze",
    { schema: { tags, params: IdParams, body: SnoozeRequest, response: { 200: Conversation, ...errors } } },
    async (request) => snooze(ctx, actorOf(request), request.params.id, request.body),
  );
  r.post(
    "/api/conversations/:id/merge",
    { schema: { tags, params: IdParams, body: MergeRequest, response: { 200: Conversation, ...errors } } },
    async (request) => merge(ctx, actorOf(request), request.params.id, request.body),
  );
  r.post(
    "/api/conversations/:id/notes",
    { schema: { tags, params: IdParams, body: NoteRequest, response: { 201: Message, ...errors } } },
    async (request, reply) =>
      reply.status(201).send(presentMessage(await addNote(ctx, actorOf(request), request.params.id, request.body))),
  );
}
