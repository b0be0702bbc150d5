import { z } from "zod";
import { Role } from "./identity.ts";
import { PlatformId } from "./platforms.ts";

/**
 * The agent workspace: who is available, how conversations reach them (routing),
 * in which order (priority) and by when (SLA).
 */

/** online: takes new conversations; busy: keeps working, gets none; away: idle; offline: signed off. */
export const agentStatuses = ["online", "busy", "away", "offline"] as const;
export const AgentStatus = z.enum(agentStatuses);
export type AgentStatus = z.infer<typeof AgentStatus>;

export const AgentState = z.object({
  userId: z.string(),
  name: z.string(),
  role: Role,
  status: AgentStatus,
  /** Most open conversations routing gives this agent at once. */
  capacity: z.number().int(),
  /** Open conversations assigned now. */
  load: z.number().int(),
  /** Of those, the ones whose buyer waits for an answer. */
  waiting: z.number().int(),
  storeIds: z.array(z.string()),
  groupIds: z.array(z.string()),
  lastActiveAt: z.string().nullable(),
  statusChangedAt: z.string().nullable(),
});
export type AgentState = z.infer<typeof AgentState>;

export const AgentList = z.object({ items: z.array(AgentState) });
export type AgentList = z.infer<typeof AgentList>;

/** An agent sets their own status; `offline` re-queues their unanswered conversations. */
export const SetMyStatusRequest = z.strictObject({ status: AgentStatus });
export type SetMyStatusRequest = z.infer<typeof SetMyStatusRequest>;

/** A supervisor sets an agent's capacity (and may force a status, e.g. sign out a gone agent). */
export const UpdateAgentRequest = z.strictObject({
  capacity: z.number().int().min(1).max(200).optional(),
  status: AgentStatus.optional(),
});
export type UpdateAgentRequest = z.infer<typeof UpdateAgentRequest>;

// ── Groups ───────────────────────────────────────────────────────────────

/** A skill group (售后组, 抖音组): routing rules can target it, transfers can go to it. */
export const AgentGroup = z.object({
  id: z.string(),
  name: z.string(),
  memberIds: z.array(z.string()),
  createdAt: z.string(),
});
export type AgentGroup = z.infer<typeof AgentGroup>;

export const GroupList = z.object({ items: z.array(AgentGroup) });

export const SaveGroupRequest = z.strictObject({
  name: z.string().trim().min(1).max(60),
  memberIds: z.array(z.string().max(64)).max(1000),
});
export type SaveGroupRequest = z.infer<typeof SaveGroupRequest>;

// ── Routing, business hours, SLA per store ───────────────────────────────

/**
 * round_robin: the available agent assigned longest ago; least_busy: the lowest
 * load relative to capacity; sticky: the agent who served this buyer last, if
 * available, else least busy.
 */
export const routingStrategies = ["round_robin", "least_busy", "sticky"] as const;
export const RoutingStrategy = z.enum(routingStrategies);
export type RoutingStrategy = z.infer<typeof RoutingStrategy>;

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "HH:MM");

/** Weekly opening hours in the org's time zone; weekday 1 = Monday … 7 = Sunday. */
export const BusinessHours = z.strictObject({
  alwaysOpen: z.boolean(),
  windows: z
    .array(z.strictObject({ weekday: z.number().int().min(1).max(7), start: clock, end: clock }))
    .max(50)
    .refine((ws) => ws.every((w) => w.start < w.end), { message: "A window must end after it starts" }),
});
export type BusinessHours = z.infer<typeof BusinessHours>;

export const slaKinds = ["first_response", "next_response", "resolution"] as const;
export const SlaKind = z.enum(slaKinds);
export type SlaKind = z.infer<typeof SlaKind>;

/** Targets count business time only; null = no target. */
export const SlaPolicy = z.strictObject({
  firstResponseSeconds: z
    .number()
    .int()
    .min(10)
    .max(7 * 86400)
    .nullable(),
  nextResponseSeconds: z
    .number()
    .int()
    .min(10)
    .max(7 * 86400)
    .nullable(),
  resolutionSeconds: z
    .number()
    .int()
    .min(60)
    .max(30 * 86400)
    .nullable(),
  /** Warn this long before a target is due. */
  warnBeforeSeconds: z.number().int().min(0).max(3600),
  escalation: z.strictObject({
    notifySupervisors: z.boolean(),
    /** Added to the conversation's priority on breach. */
    raisePriority: z.number().int().min(0).max(100),
    /** Put a breached first response back in the queue for another agent. */
    reassign: z.boolean(),
  }),
});
export type SlaPolicy = z.infer<typeof SlaPolicy>;

export const StoreRouting = z.object({
  storeId: z.string(),
  autoAssign: z.boolean(),
  strategy: RoutingStrategy,
  /** Only members of this group get the store's conversations; null = every agent serving the store. */
  groupId: z.string().nullable(),
  /** Peak mode: after this wait in the queue, agents of the overflow group may take it too. */
  overflowGroupId: z.string().nullable(),
  overflowAfterSeconds: z.number().int().nullable(),
  sla: SlaPolicy,
  businessHours: BusinessHours,
});
export type StoreRouting = z.infer<typeof StoreRouting>;

export const StoreRoutingList = z.object({ items: z.array(StoreRouting) });

export const UpdateStoreRoutingRequest = z.strictObject({
  autoAssign: z.boolean().optional(),
  strategy: RoutingStrategy.optional(),
  groupId: z.string().max(64).nullable().optional(),
  overflowGroupId: z.string().max(64).nullable().optional(),
  overflowAfterSeconds: z.number().int().min(0).max(86400).nullable().optional(),
  sla: SlaPolicy.optional(),
  businessHours: BusinessHours.optional(),
});
export type UpdateStoreRoutingRequest = z.infer<typeof UpdateStoreRoutingRequest>;

// ── Priority rules ───────────────────────────────────────────────────────

/**
 * keyword: the buyer's text contains `match` (until intents are tagged, 退/换/坏 mark
 * after-sales); intent: the conversation's intent starts with `match` (售后);
 * buyer_tag: the customer has tag `match` (VIP); platform: the store's platform is
 * `match`; wait: per `match` seconds waited, add `weight` (capped at 10 steps).
 */
export const priorityRuleKinds = ["keyword", "intent", "buyer_tag", "platform", "wait"] as const;
export const PriorityRuleKind = z.enum(priorityRuleKinds);
export type PriorityRuleKind = z.infer<typeof PriorityRuleKind>;

export const PriorityRule = z.object({
  id: z.string(),
  /** null = every store of the org. */
  storeId: z.string().nullable(),
  kind: PriorityRuleKind,
  match: z.string(),
  weight: z.number().int(),
  label: z.string(),
});
export type PriorityRule = z.infer<typeof PriorityRule>;

export const PriorityRuleList = z.object({ items: z.array(PriorityRule) });

export const SavePriorityRuleRequest = z
  .strictObject({
    storeId: z.string().max(64).nullable().default(null),
    kind: PriorityRuleKind,
    match: z.string().trim().min(1).max(100),
    weight: z.number().int().min(-100).max(100),
    label: z.string().trim().min(1).max(60),
  })
  .refine((r) => r.kind !== "wait" || /^\d+$/.test(r.match), {
    message: "A wait rule's match is a number of seconds",
    path: ["match"],
  })
  .refine((r) => r.kind !== "platform" || PlatformId.safeParse(r.match).success, {
    message: "Unknown platform",
    path: ["match"],
  });
export type SavePriorityRuleRequest = z.infer<typeof SavePriorityRuleRequest>;

// ── Conversation actions ─────────────────────────────────────────────────

export const TransferRequest = z
  .strictObject({
    toUserId: z.string().max(64).optional(),
    toGroupId: z.string().max(64).optional(),
    note: z.string().trim().max(1000).default(""),
  })
  .refine((r) => (r.toUserId === undefined) !== (r.toGroupId === undefined), {
    message: "Transfer to one agent or one group",
    path: ["toUserId"],
  });
export type TransferRequest = z.infer<typeof TransferRequest>;

export const SnoozeRequest = z.strictObject({ until: z.iso.datetime({ offset: true }) });
export type SnoozeRequest = z.infer<typeof SnoozeRequest>;

export const MergeRequest = z.strictObject({
  /** The other conversation of the same buyer; its messages move into this one, it is closed. */
  conversationId: z.string().max(64),
});
export type MergeRequest = z.infer<typeof MergeRequest>;

export const NoteRequest = z.strictObject({
  body: z.string().trim().min(1).max(5000),
  /** User ids mentioned with @; they are notified. */
  mentions: z.array(z.string().max(64)).max(50).default([]),
  idempotencyKey: z.string().min(8).max(100),
});
export type NoteRequest = z.infer<typeof NoteRequest>;

/** Open conversations per filter value, for the list's filter badges. */
export const ConversationCounts = z.object({
  total: z.number().int(),
  mine: z.number().int(),
  unassigned: z.number().int(),
  breached: z.number().int(),
  waiting: z.number().int(),
  byStore: z.record(z.string(), z.number().int()),
  byPlatform: z.record(z.string(), z.number().int()),
});
export type ConversationCounts = z.infer<typeof ConversationCounts>;

// ── Notifications ────────────────────────────────────────────────────────

export const notificationEvents = [
  "assigned",
  "new_message",
  "sla_warning",
  "sla_breach",
  "mention",
  "unassigned_waiting",
] as const;
export const NotificationEvent = z.enum(notificationEvents);
export type NotificationEvent = z.infer<typeof NotificationEvent>;

/** Which roles each event notifies (the assignee / mentioned user is always told of their own). */
export const NotificationSettings = z.strictObject({
  rules: z.record(NotificationEvent, z.array(Role).max(4)),
});
export type NotificationSettings = z.infer<typeof NotificationSettings>;
