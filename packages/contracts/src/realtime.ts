import { z } from "zod";
import { Conversation, Message } from "./inbox.ts";
import { LibraryKind } from "./library.ts";
import { Evaluation, Order, OrderEventChange } from "./orders.ts";
import { AgentState, SlaKind } from "./workspace.ts";

/**
 * Realtime events. Each carries the org-wide increasing `seq` from the event log;
 * a reconnecting client sends the last seq it saw and receives what it missed.
 */
export const RealtimeEvent = z.discriminatedUnion("type", [
  z.object({
    seq: z.number(),
    type: z.literal("conversation.created"),
    storeId: z.string(),
    conversation: Conversation,
  }),
  z.object({
    seq: z.number(),
    type: z.literal("conversation.updated"),
    storeId: z.string(),
    conversation: Conversation,
  }),
  z.object({
    seq: z.number(),
    type: z.literal("message.created"),
    storeId: z.string(),
    message: Message,
    conversation: Conversation,
  }),
  z.object({ seq: z.number(), type: z.literal("message.updated"), storeId: z.string(), message: Message }),
  /**
   * An order was created or moved on (paid, shipped, refund requested …), from a platform
   * push, or found new or changed by an on-demand sync of the buyer's orders ("synced").
   */
  z.object({
    seq: z.number(),
    type: z.literal("order.changed"),
    storeId: z.string(),
    change: OrderEventChange,
    order: Order,
  }),
  z.object({ seq: z.number(), type: z.literal("evaluation.created"), storeId: z.string(), evaluation: Evaluation }),
  /** An agent's status, capacity or load changed (supervisors' screens, and the agent's own). */
  z.object({ seq: z.number(), type: z.literal("agent.updated"), storeId: z.null(), agent: AgentState }),
  /** An SLA target is about to be missed (warning) or was missed (breached). */
  z.object({
    seq: z.number(),
    type: z.literal("sla.alert"),
    storeId: z.string(),
    level: z.enum(["warning", "breached"]),
    kind: SlaKind,
    conversation: Conversation,
  }),
  /**
   * Canned replies or knowledge-base articles of this store changed (an org-wide change is
   * sent once per store, so every agent serving one hears it): screens showing them refetch.
   */
  z.object({ seq: z.number(), type: z.literal("library.changed"), storeId: z.string(), library: LibraryKind }),
]);
export type RealtimeEvent = z.infer<typeof RealtimeEvent>;
export type RealtimeEventType = RealtimeEvent["type"];

/** socket.io: client → server on connect (in `auth`) and server → client event names. */
export const realtimeChannel = {
  event: "yunxi:event",
  /** Sent by the server after a resume, when the client is up to date. */
  synced: "yunxi:synced",
} as const;

export const ResumeAuth = z.object({ lastSeq: z.number().int().min(0).optional() });
