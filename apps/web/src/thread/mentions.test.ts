import { describe, expect, it } from "vitest";
import { collectMentions, splitMentions } from "./mentions.ts";

const agents = [
  { userId: "u1", name: "小王" },
  { userId: "u2", name: "小王子" },
  { userId: "u3", name: "Li Lei" },
];

describe("mentions in notes", () => {
  it("collects each mentioned agent once, longest name first, ended by space, punctuation or the end", () => {
    expect(collectMentions("@小王子 你看下，@小王，再@小王 一次", agents)).toEqual(["u2", "u1"]);
    expect(collectMentions("请 @Li Lei 处理", agents)).toEqual(["u3"]);
    expect(collectMentions("@小王", agents)).toEqual(["u1"]);
  });

  it("ignores an @ that names nobody, or runs into other text", () => {
    expect(collectMentions("邮箱 a@小王abc", agents)).toEqual([]);
    expect(collectMentions("@@ @ 没有人", agents)).toEqual([]);
    expect(collectMentions("", agents)).toEqual([]);
  });

  it("splits a note into text and mentions for highlighting", () => {
    expect(splitMentions("请@小王 跟进", agents)).toEqual([
      { text: "请", mention: null },
      { text: "@小王", mention: "u1" },
      { text: " 跟进", mention: null },
    ]);
    expect(splitMentions("没有提及", agents)).toEqual([{ text: "没有提及", mention: null }]);
    expect(splitMentions("", agents)).toEqual([{ text: "", mention: null }]);
  });
});
