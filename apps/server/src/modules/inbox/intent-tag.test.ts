import { describe, expect, it } from "vitest";
import { parseIntentTag } from "./intent-tag.ts";

describe("the intent a tag carries", () => {
  it("reads the intent and the product category, longest label first", () => {
    expect(parseIntentTag("售后-退换货-鞋子类目")).toEqual({ intent: "售后-退换货", category: "鞋子类目" });
    expect(parseIntentTag("其他-发票")).toEqual({ intent: "其他-发票", category: null });
    expect(parseIntentTag("其他")).toEqual({ intent: "其他", category: null });
    expect(parseIntentTag("投诉-服装类目")).toEqual({ intent: "投诉", category: "服装类目" });
    expect(parseIntentTag("VIP")).toBeNull();
    expect(parseIntentTag("情绪-负面")).toBeNull();
  });
});
