import { describe, expect, it } from "vitest";
import { isSafeUrl, markdownToPlainText, sanitizeMarkdown } from "./markdown.ts";

describe("article Markdown", () => {
  it("removes HTML, script blocks included", () => {
    expect(sanitizeMarkdown('退款说明<script>alert(1)</script><b onclick="x()">加粗</b><!-- note -->')).toBe(
      "退款说明加粗",
    );
    expect(sanitizeMarkdown("价格<100元 <https://example.com/a>")).toBe("价格<100元 https://example.com/a");
  });

  it("keeps safe links and images, drops unsafe targets but keeps their text", () => {
    const id = "0b0c6f44-8b1d-4d55-9a8e-1c4b2f9d7a10";
    const md = `[帮助](https://help.example.com) [坏](javascript:alert(1)) ![图](/api/library/kb/attachments/${id}) ![外](http://x.test/a.png) [邮件](mailto:cs@example.com)`;
    expect(sanitizeMarkdown(md)).toBe(
      `[帮助](https://help.example.com) 坏 ![图](/api/library/kb/attachments/${id}) 外 [邮件](mailto:cs@example.com)`,
    );
    expect(isSafeUrl("data:text/html,x", "link")).toBe(false);
    expect(isSafeUrl("/api/library/kb/attachments/../../etc", "link")).toBe(false);
  });

  it("strips control characters", () => {
    expect(sanitizeMarkdown("a\u0000b\u0007c\r\nd")).toBe("abc\nd");
  });

  it("gives the plain text to insert into a reply", () => {
    const md =
      "# 退款进度\n\n**审核**通过后 *1-3 天* 到账，详见[说明](https://x.test)。\n\n- 第一步\n- 第二步\n\n> 注意 `原路退回`";
    expect(markdownToPlainText(md)).toBe(
      "退款进度\n\n审核通过后 1-3 天 到账，详见说明。\n\n- 第一步\n- 第二步\n\n注意 原路退回",
    );
  });
});
