import type { AgentState, RealtimeEvent } from "@yunxi/contracts";
import { describe, expect, it } from "vitest";
import { conversation, message } from "../notifications/test-fixtures.ts";
import {
  agentRows,
  applySupervisorEvents,
  breachedList,
  byPriorityThenWait,
  canSupervise,
  capacityToSave,
  emptySupervisorData,
  mergeConversations,
  minutesSince,
  refreshedConversations,
  servesStore,
  supervisorTotals,
  transferTargets,
  unassignedQueue,
  waitingSince,
  withAgents,
} from "./supervisor-state.ts";

function agent(patch: Partial<AgentState>): AgentState {
  return {
    userId: "u1",
    name: "阿青",
    role: "agent",
    status: "online",
    capacity: 8,
    load: 0,
    waiting: 0,
    storeIds: ["s1"],
    groupIds: [],
    lastActiveAt: null,
    statusChangedAt: null,
    ...patch,
  };
}

const data = withAgents(
  mergeConversations(emptySupervisorData, [
    conversation({ id: "q-low", assigneeId: null, queuedAt: "2026-03-01T10:00:00.000Z", priority: 0 }),
    conversation({ id: "q-old", assigneeId: null, queuedAt: "2026-03-01T09:00:00.000Z", priority: 0 }),
    conversation({ id: "q-vip", assigneeId: null, queuedAt: "2026-03-01T10:05:00.000Z", priority: 20 }),
    conversation({ id: "a1", assigneeId: "u1", priority: 5 }),
    conversation({
      id: "a2",
      assigneeId: "u1",
      sla: { firstResponseDueAt: null, nextResponseDueAt: null, resolutionDueAt: null, breaches: ["first_response"] },
    }),
    conversation({ id: "done", assigneeId: "u1", status: "resolved" }),
    conversation({ id: "snoozed", assigneeId: "u2", status: "pending" }),
  ]),
  [
    agent({ userId: "u1", name: "阿青", status: "busy", load: 2, waiting: 1 }),
    agent({ userId: "u2", name: "小白", status: "online", load: 1, waiting: 0 }),
    agent({ userId: "u3", name: "老李", status: "offline" }),
  ],
);

describe("supervisor view", () => {
  it("is for supervisors and above", () => {
    expect(canSupervise("agent")).toBe(false);
    expect(canSupervise("supervisor")).toBe(true);
    expect(canSupervise("owner")).toBe(true);
  });

  it("lists the queue by priority, then by the longest wait", () => {
    expect(unassignedQueue(data).map((c) => c.id)).toEqual(["q-vip", "q-old", "q-low"]);
  });

  it("lists breached conversations that are not resolved", () => {
    expect(breachedList(data).map((c) => c.id)).toEqual(["a2"]);
  });

  it("puts every agent with their live conversations, available agents first", () => {
    const rows = agentRows(data);
    expect(rows.map((r) => r.agent.userId)).toEqual(["u2", "u1", "u3"]);
    expect(rows[1]!.conversations.map((c) => c.id)).toEqual(["a1", "a2"]);
    expect(rows[0]!.conversations.map((c) => c.id)).toEqual(["snoozed"]);
    expect(rows[2]!.conversations).toEqual([]);
  });

  it("sums up", () => {
    expect(supervisorTotals(data)).toEqual({ online: 1, agents: 3, queued: 3, breached: 1, waiting: 1 });
  });

  it("follows realtime events: assignment, agent status", () => {
    const events: RealtimeEvent[] = [
      {
        seq: 1,
        type: "conversation.updated",
        storeId: "s1",
        conversation: conversation({ id: "q-vip", assigneeId: "u2", queuedAt: null }),
      },
      { seq: 2, type: "agent.updated", storeId: null, agent: agent({ userId: "u3", name: "老李", status: "online" }) },
    ];
    const next = applySupervisorEvents(data, events);
    expect(unassignedQueue(next).map((c) => c.id)).toEqual(["q-old", "q-low"]);
    expect(
      agentRows(next)
        .find((r) => r.agent.userId === "u2")!
        .conversations.map((c) => c.id),
    ).toContain("q-vip");
    expect(next.agents.get("u3")!.status).toBe("online");
    const unrelated: RealtimeEvent[] = [{ seq: 3, type: "message.updated", storeId: "s1", message: message() }];
    expect(applySupervisorEvents(data, unrelated)).toBe(data);
  });

  it("a reload drops what is gone but keeps a copy an event made newer meanwhile", () => {
    const live = applySupervisorEvents(data, [
      {
        seq: 9,
        type: "message.created",
        storeId: "s1",
        message: message(),
        conversation: conversation({
          id: "q-old",
          assigneeId: null,
          lastMessageAt: "2026-03-01T11:00:00.000Z",
          unreadCount: 3,
        }),
      },
    ]);
    const loaded = mergeConversations(emptySupervisorData, [
      conversation({ id: "q-old", assigneeId: null, unreadCount: 1 }),
    ]);
    const refreshed = refreshedConversations(live, loaded);
    expect([...refreshed.conversations.keys()]).toEqual(["q-old"]);
    expect(refreshed.conversations.get("q-old")!.unreadCount).toBe(3);
  });

  it("measures the wait from the queue, else from the unanswered buyer message", () => {
    expect(waitingSince(conversation({ queuedAt: "2026-03-01T09:00:00.000Z" }))).toBe("2026-03-01T09:00:00.000Z");
    expect(waitingSince(conversation({ lastInboundAt: "2026-03-01T10:00:00.000Z", lastOutboundAt: null }))).toBe(
      "2026-03-01T10:00:00.000Z",
    );
    expect(
      waitingSince(
        conversation({ lastInboundAt: "2026-03-01T10:00:00.000Z", lastOutboundAt: "2026-03-01T10:01:00.000Z" }),
      ),
    ).toBeNull();
    expect(minutesSince("2026-03-01T10:00:00.000Z", Date.parse("2026-03-01T10:05:59.000Z"))).toBe(5);
    expect(minutesSince(null, 0)).toBeNull();
    expect(byPriorityThenWait(conversation({ priority: 1 }), conversation({ priority: 2 }))).toBeGreaterThan(0);
  });

  it("offers transfer targets that serve the store first, never the holder", () => {
    const c = conversation({ storeId: "s2", assigneeId: "u1" });
    const targets = transferTargets(
      [
        agent({ userId: "u1" }),
        agent({ userId: "u2", name: "乙", storeIds: ["s1"] }),
        agent({ userId: "u3", name: "甲", storeIds: ["s2"], status: "away" }),
        agent({ userId: "u4", name: "主管", role: "supervisor", storeIds: [] }),
      ],
      c,
    );
    expect(targets.map((a) => a.userId)).toEqual(["u4", "u3", "u2"]);
    expect(servesStore(agent({ storeIds: ["s1"] }), "s2")).toBe(false);
  });

  it("saves a capacity only when it is a new whole number from 1 to 200", () => {
    expect(capacityToSave(7, 10)).toBe(7);
    expect(capacityToSave(10, 10)).toBeNull();
    expect(capacityToSave(0, 10)).toBeNull();
    expect(capacityToSave(201, 10)).toBeNull();
    expect(capacityToSave(2.5, 10)).toBeNull();
    expect(capacityToSave(null, 10)).toBeNull();
  });
});
