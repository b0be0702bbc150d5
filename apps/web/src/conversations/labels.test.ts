import { describe, expect, it } from "vitest";
import { avatarText, withCount } from "./labels.ts";

describe("list labels", () => {
  it("adds a count when known", () => {
    expect(withCount("我的", 12)).toBe("我的 · 12");
    expect(withCount("我的", 0)).toBe("我的 · 0");
    expect(withCount("我的", undefined)).toBe("我的");
  });

  it("takes a Chinese name's last character, else the first letter", () => {
    expect(avatarText("小美")).toBe("美");
    expect(avatarText("李主管")).toBe("管");
    expect(avatarText("alice")).toBe("A");
    expect(avatarText("  ")).toBe("?");
  });
});
