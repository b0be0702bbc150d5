import { describe, expect, it } from "vitest";
import { type PriorityFacts, scorePriority, suggestedPriorityRules } from "./priority.ts";

const facts = (patch: Partial<PriorityFacts> = {}): PriorityFacts => ({
  texts: [],
  tags: [],
  buyerTags: [],
  platform: "taobao",
  waitedSeconds: 0,
  ...patch,
});

describe("scorePriority", () => {
  it("puts after-sales (by keyword until intents are tagged) before pre-sales", () => {
    const after = scorePriority(suggestedPriorityRules, facts({ texts: ["鞋子开胶了，我要退货"] }));
    const pre = scorePriority(suggestedPriorityRules, facts({ texts: ["有42码吗"] }));
    expect(after.priority).toBeGreaterThan(pre.priority);
    expect(after.reasons).toContain("售后(关键词)");
  });

  it("uses the intent tag and buyer tags", () => {
    const r = scorePriority(suggestedPriorityRules, facts({ tags: ["售后-退换货-鞋子类目"], buyerTags: ["VIP"] }));
    expect(r.priority).toBe(50);
    expect(r.reasons).toEqual(["售后", "VIP"]);
  });

  it("adds weight per step of waiting, capped", () => {
    const rules = [{ kind: "wait" as const, match: "60", weight: 2, label: "等待" }];
    expect(scorePriority(rules, facts({ waitedSeconds: 59 })).priority).toBe(0);
    expect(scorePriority(rules, facts({ waitedSeconds: 185 })).priority).toBe(6);
    expect(scorePriority(rules, facts({ waitedSeconds: 99_999 })).priority).toBe(20);
  });

  it("matches a platform and lets negative weights lower a priority", () => {
    const rules = [
      { kind: "platform" as const, match: "douyin", weight: 10, label: "抖音直播" },
      { kind: "keyword" as const, match: "你好", weight: -5, label: "问候" },
    ];
    expect(scorePriority(rules, facts({ platform: "douyin", texts: ["你好"] }))).toEqual({
      priority: 5,
      reasons: ["抖音直播", "问候"],
    });
  });
});
