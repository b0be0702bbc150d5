import { describe, expect, it } from "vitest";
import type { PlatformLimits } from "./adapter.ts";
import { checkOutbound, externalLinks, visibleLength } from "./limits.ts";

const limits: PlatformLimits = {
  maxTextLength: 10,
  forbidsExternalLinks: true,
  allowedLinkHosts: ["taobao.com", "tmall.com"],
  sendsPerSecond: 10,
};

describe("checkOutbound", () => {
  it("passes ordinary text, cards and images", () => {
    expect(checkOutbound(limits, { type: "text", text: "亲，在的～😊" })).toEqual({ ok: true });
    expect(checkOutbound(limits, { type: "product_card", productId: "123" })).toEqual({ ok: true });
    expect(checkOutbound(limits, { type: "order_card", orderId: "456" })).toEqual({ ok: true });
    expect(checkOutbound(limits, { type: "image", url: "https://img.alicdn.com/a.jpg" })).toEqual({ ok: true });
  });

  it("counts characters as the buyer sees them", () => {
    expect(visibleLength("你好😊")).toBe(3);
    expect(checkOutbound(limits, { type: "text", text: "一二三四五六七八九十" })).toEqual({ ok: true });
    expect(checkOutbound(limits, { type: "text", text: "一二三四五六七八九十一" })).toMatchObject({
      ok: false,
      code: "text_too_long",
    });
  });

  it("refuses empty text and broken content", () => {
    expect(checkOutbound(limits, { type: "text", text: "  " })).toMatchObject({ ok: false, code: "empty_message" });
    expect(checkOutbound(limits, { type: "image", url: "javascript:alert(1)" })).toMatchObject({
      ok: false,
      code: "invalid_content",
    });
    expect(checkOutbound(limits, { type: "order_card", orderId: "" })).toMatchObject({ ok: false });
  });

  it("refuses external links but allows the platform's own hosts", () => {
    const wide = { ...limits, maxTextLength: 500 };
    expect(checkOutbound(wide, { type: "text", text: "看这里 https://evil.example.com/x" })).toMatchObject({
      ok: false,
      code: "external_link",
    });
    expect(checkOutbound(wide, { type: "text", text: "加我 www.weidian.com 更便宜" })).toMatchObject({
      ok: false,
    });
    expect(checkOutbound(wide, { type: "text", text: "去 abc.cn/shop 看看" })).toMatchObject({ ok: false });
    expect(checkOutbound(wide, { type: "text", text: "店铺 https://shop123.taobao.com/ 和 detail.tmall.com" })).toEqual(
      {
        ok: true,
      },
    );
    expect(checkOutbound(wide, { type: "text", text: "价格 1.5 元，尺码 2.0 版" })).toEqual({ ok: true });
    expect(checkOutbound({ ...wide, forbidsExternalLinks: false }, { type: "text", text: "https://x.com" })).toEqual({
      ok: true,
    });
  });

  it("does not let a look-alike host pass", () => {
    expect(externalLinks("https://taobao.com.evil.cn/a https://faketaobao.com", ["taobao.com"])).toHaveLength(2);
  });
});
