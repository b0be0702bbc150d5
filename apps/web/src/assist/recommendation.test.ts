import { describe, expect, it } from "vitest";
import { makeAgent, makeConversation } from "../inbox/test-fixtures.ts";
import { entityChips, escalationTarget, recommendationKey } from "./recommendation.ts";

describe("the recommendation card", () => {
  it("is fetched again when the buyer writes, the intent tag changes or the conversation is transferred", () => {
    const base = makeConversation("c1", 1, { tags: ["售后-退换货-鞋子类目", "情绪-负面"] });
    const key = recommendationKey(base);
    expect(recommendationKey({ ...base, tags: ["售后-退换货-鞋子类目", "VIP"] })).toBe(key);
    expect(recommendationKey({ ...base, tags: ["投诉", "情绪-负面"] })).not.toBe(key);
    expect(recommendationKey({ ...base, lastInboundAt: "2026-01-01T09:00:00.000Z" })).not.toBe(key);
    expect(recommendationKey({ ...base, groupId: "g-after-sales" })).not.toBe(key);
  });

  it("escalates to an available supervisor who serves the store, before an admin, never to me", () => {
    const conversation = makeConversation("c1", 1, { assigneeId: "me" });
    const agents = [
      makeAgent("me", { role: "supervisor", status: "online" }),
      makeAgent("agent", { role: "agent", status: "online", storeIds: [conversation.storeId] }),
      makeAgent("admin", { role: "admin", status: "online" }),
      makeAgent("away-sup", { role: "supervisor", status: "away" }),
      makeAgent("online-sup", { role: "supervisor", status: "online" }),
    ];
    expect(escalationTarget(agents, conversation, "me")?.userId).toBe("online-sup");
    expect(escalationTarget(agents.slice(0, 4), conversation, "me")?.userId).toBe("away-sup");
    expect(escalationTarget(agents.slice(0, 2), conversation, "me")).toBeUndefined();
  });

  it("names what the buyer mentioned in short chips", () => {
    expect(
      entityChips({
        sizes: ["42码"],
        body: { heightCm: 175, weightKg: 65 },
        colours: ["黑色"],
        orderNumbers: ["4070669797269196737"],
        trackingNumbers: [],
        phones: [],
        amounts: [{ text: "两百块", yuan: 200 }],
        datetimes: [{ text: "双11", kind: "event" }],
      }),
    ).toEqual(["4070669797269196737", "42码", "黑色", "175cm", "65kg", "¥200", "双11"]);
  });
});
