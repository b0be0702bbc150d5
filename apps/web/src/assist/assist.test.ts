import { fillTemplate } from "@yunxi/contracts";
import { describe, expect, it } from "vitest";
import { parseMarkdown } from "./markdown.ts";
import { pickerQuery } from "./picker-query.ts";
import { checkBeforeSend, sendGuardMessage } from "./send-guard.ts";

describe("the send guard", () => {
  it("lets a reply without placeholders go", () => {
    expect(checkBeforeSend("亲，已经为您催促仓库发货了")).toEqual({ ok: true });
  });

  it("stops a reply that still has a placeholder, naming it", () => {
    const filled = fillTemplate("{买家昵称}您好，单号{快递单号}，{快递公司}", { buyerName: "小王", carrier: "顺丰" });
    const check = checkBeforeSend(filled.text);
    expect(check).toEqual({ ok: false, missing: ["快递单号"] });
    const t = (key: string, params?: Record<string, string | number>) => `${key}:${params?.names}`;
    expect(sendGuardMessage(["快递单号", "订单号"], t)).toBe("assist.guard.unfilled:{快递单号}、{订单号}");
  });

  it("also catches full-width braces", () => {
    expect(checkBeforeSend("单号｛快递单号｝")).toEqual({ ok: false, missing: ["快递单号"] });
  });
});

describe("the picker's query", () => {
  it("opens on / with everything, and on a short word with keywords only", () => {
    expect(pickerQuery("/")).toEqual({ q: "", match: "all" });
    expect(pickerQuery("／尺码 ")).toEqual({ q: "尺码", match: "all" });
    expect(pickerQuery("抖音-尺码")).toEqual({ q: "抖音-尺码", match: "keyword" });
    expect(pickerQuery("尺码")).toEqual({ q: "尺码", match: "keyword" });
  });

  it("stays closed while a reply is being typed", () => {
    expect(pickerQuery("")).toBeNull();
    expect(pickerQuery("亲，这款鞋子偏大半码，建议选小一码哦")).toBeNull();
    expect(pickerQuery("好的 谢谢")).toBeNull();
    expect(pickerQuery("？？")).toBeNull();
  });
});

describe("article Markdown", () => {
  it("parses blocks and inline marks", () => {
    const blocks = parseMarkdown(
      "# 退款\n\n审核通过后 **1-3 天** 到账，[详情](https://help.example.com)\n\n- 第一步\n- 第二步\n\n> 注意",
    );
    expect(blocks.map((b) => b.type)).toEqual(["heading", "paragraph", "list", "quote"]);
    expect(blocks[1]).toEqual({
      type: "paragraph",
      inline: [
        { type: "text", text: "审核通过后 " },
        { type: "strong", text: "1-3 天" },
        { type: "text", text: " 到账，" },
        { type: "link", text: "详情", href: "https://help.example.com" },
      ],
    });
  });

  it("never makes a link or image of an unsafe target", () => {
    const [p] = parseMarkdown("[x](javascript:alert(1)) ![y](http://evil.test/a.png) <b>raw</b>");
    expect(p).toEqual({
      type: "paragraph",
      inline: [{ type: "text", text: "[x](javascript:alert(1)) ![y](http://evil.test/a.png) <b>raw</b>" }],
    });
  });
});
