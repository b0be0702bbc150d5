import { describe, expect, it } from "vitest";
import { type AgentCandidate, chooseAgent, type RoutingTarget } from "./assign.ts";

const agent = (userId: string, patch: Partial<AgentCandidate> = {}): AgentCandidate => ({
  userId,
  status: "online",
  capacity: 5,
  load: 0,
  lastAssignedAt: null,
  storeIds: new Set(["s1"]),
  groupIds: new Set(),
  ...patch,
});
const target = (patch: Partial<RoutingTarget> = {}): RoutingTarget => ({
  storeId: "s1",
  strategy: "least_busy",
  groupId: null,
  overflowGroupId: null,
  overflowAfterSeconds: null,
  queuedSeconds: 0,
  previousAgentId: null,
  ...patch,
});
const at = (m: number) => new Date(Date.UTC(2026, 11, 1, 8, m));

describe("chooseAgent", () => {
  it("gives nothing to agents who are busy, away, offline, full or not serving the store", () => {
    const agents = [
      agent("busy", { status: "busy" }),
      agent("away", { status: "away" }),
      agent("offline", { status: "offline" }),
      agent("full", { load: 5 }),
      agent("other-store", { storeIds: new Set(["s2"]) }),
    ];
    expect(chooseAgent(target(), agents)).toBeNull();
  });

  it("treats an agent serving every store (supervisor) as serving this one", () => {
    expect(chooseAgent(target(), [agent("sup", { storeIds: null })])?.userId).toBe("sup");
  });

  it("least busy: the lowest share of capacity, whatever the absolute load", () => {
    const agents = [agent("a", { load: 2, capacity: 4 }), agent("b", { load: 3, capacity: 10 })];
    expect(chooseAgent(target(), agents)?.userId).toBe("b");
  });

  it("round robin: the agent assigned longest ago, never-assigned first", () => {
    const agents = [
      agent("a", { lastAssignedAt: at(5) }),
      agent("b", { lastAssignedAt: at(1) }),
      agent("c", { load: 4 }),
    ];
    expect(chooseAgent(target({ strategy: "round_robin" }), agents)?.userId).toBe("c");
    const turns = [agent("a", { lastAssignedAt: at(5) }), agent("b", { lastAssignedAt: at(1) })];
    expect(chooseAgent(target({ strategy: "round_robin" }), turns)?.userId).toBe("b");
  });

  it("round robin spreads a burst evenly when the caller records each assignment", () => {
    const agents = [agent("a"), agent("b"), agent("c")];
    const counts = new Map<string, number>();
    for (let i = 0; i < 9; i++) {
      const chosen = chooseAgent(target({ strategy: "round_robin" }), agents)!;
      chosen.load++;
      chosen.lastAssignedAt = at(10 + i);
      counts.set(chosen.userId, (counts.get(chosen.userId) ?? 0) + 1);
    }
    expect([...counts.values()]).toEqual([3, 3, 3]);
  });

  it("sticky: back to the previous agent when available, else least busy", () => {
    const agents = [agent("a", { load: 4 }), agent("b", { load: 0 })];
    expect(chooseAgent(target({ strategy: "sticky", previousAgentId: "a" }), agents)?.userId).toBe("a");
    const gone = [agent("a", { status: "away" }), agent("b")];
    expect(chooseAgent(target({ strategy: "sticky", previousAgentId: "a" }), gone)?.userId).toBe("b");
    const full = [agent("a", { load: 5 }), agent("b")];
    expect(chooseAgent(target({ strategy: "sticky", previousAgentId: "a" }), full)?.userId).toBe("b");
  });

  it("respects capacity: the queue keeps what nobody can take", () => {
    const a = agent("a", { capacity: 2 });
    const t = target();
    const first = chooseAgent(t, [a])!;
    first.load++;
    chooseAgent(t, [a])!.load++;
    expect(chooseAgent(t, [a])).toBeNull();
  });

  it("targets a group, and overflows to another group after the configured wait", () => {
    const agents = [
      agent("aftersales", { groupIds: new Set(["g-after"]) }),
      agent("presales", { groupIds: new Set(["g-pre"]) }),
    ];
    const full = [agent("aftersales", { groupIds: new Set(["g-after"]), load: 5 }), agents[1]!];
    const routed = target({ groupId: "g-after", overflowGroupId: "g-pre", overflowAfterSeconds: 120 });
    expect(chooseAgent(routed, agents)?.userId).toBe("aftersales");
    expect(chooseAgent({ ...routed, queuedSeconds: 60 }, full)).toBeNull();
    expect(chooseAgent({ ...routed, queuedSeconds: 120 }, full)?.userId).toBe("presales");
    expect(chooseAgent({ ...routed, overflowGroupId: null, queuedSeconds: 999 }, full)).toBeNull();
  });
});
