import { describe, expect, it } from "vitest";
import { parseCorrections } from "./corrections-file.ts";

describe("reading exported corrections for training", () => {
  it("takes valid lines, skips the rest, and lets the latest correction of a text win", () => {
    const file = [
      JSON.stringify({
        text: "啥时候到",
        predicted: "物流-发货时间",
        corrected: "物流-物流查询",
        at: "2026-11-01T00:00:00Z",
      }),
      "",
      "{not json",
      JSON.stringify({ text: "开发票", predicted: null, corrected: "其他-发票" }),
      JSON.stringify({ text: "x", corrected: "不是标签" }),
      JSON.stringify({ text: "   ", corrected: "投诉" }),
      JSON.stringify({ text: "啥时候到", predicted: "物流-物流查询", corrected: "物流-发货时间" }),
    ].join("\r\n");
    expect(parseCorrections(file)).toEqual({
      examples: [
        { text: "开发票", intent: "其他-发票" },
        { text: "啥时候到", intent: "物流-发货时间" },
      ],
      skipped: 3,
    });
  });
});
