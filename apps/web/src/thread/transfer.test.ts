import { describe, expect, it } from "vitest";
import { makeAgent, makeConversation } from "../inbox/test-fixtures.ts";
import { mergeCandidates, servesStore, transferCandidates } from "./transfer.ts";

describe("transfer candidates", () => {
  it("lists agents who serve the store (supervisors serve all), not the current holder, available and least loaded first", () => {
    const agents = [
      makeAgent("holder", { storeIds: ["s1"] }),
      makeAgent("busy", { status: "busy", storeIds: ["s1"] }),
      makeAgent("full", { load: 9, capacity: 10, storeIds: ["s1"] }),
      makeAgent("free", { load: 1, capacity: 10, storeIds: ["s1"] }),
      makeAgent("elsewhere", { storeIds: ["s2"] }),
      makeAgent("supervisor", { role: "supervisor", storeIds: [], status: "offline" }),
    ];
    const list = transferCandidates(agents, { storeId: "s1", assigneeId: "holder" });
    expect(list.map((a) => a.userId)).toEqual(["free", "full", "busy", "supervisor"]);
    expect(servesStore(makeAgent("x", { storeIds: ["s2"] }), "s1")).toBe(false);
  });
});

describe("merge candidates", () => {
  it("are the same buyer's other open conversations, newest first", () => {
    const buyer = { id: "b1", displayName: "小明", platformBuyerId: "tb_xm" };
    const current = makeConversation("c1", 10, { customer: buyer });
    const all = [
      current,
      makeConversation("older", 1, { customer: buyer }),
      makeConversation("newer", 5, { customer: buyer, status: "pending" }),
      makeConversation("closed", 7, { customer: buyer, status: "resolved" }),
      makeConversation("merged", 8, { customer: buyer, mergedIntoId: "c1" }),
      makeConversation("someone-else", 9),
    ];
    expect(mergeCandidates(all, current).map((c) => c.id)).toEqual(["newer", "older"]);
  });
});
