import { describe, expect, it } from "vitest";
import { intentOfTag } from "./intent-tag.ts";

describe("the intent of a conversation tag", () => {
  it("reads the longest label the tag starts with", () => {
    expect(intentOfTag("售后-退换货-鞋子类目")).toBe("售后-退换货");
    expect(intentOfTag("其他-发票")).toBe("其他-发票");
    expect(intentOfTag("其他")).toBe("其他");
    expect(intentOfTag("转人工")).toBeNull();
    expect(intentOfTag("情绪-负面")).toBeNull();
  });
});
