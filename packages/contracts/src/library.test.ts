import { describe, expect, it } from "vitest";
import { fillTemplate, unfilledVariables, variablesIn } from "./library.ts";

describe("canned reply variables", () => {
  const text = "亲爱的{买家昵称}，您的订单{订单号}已由{快递公司}发出，单号{快递单号}。";

  it("fills every variable the conversation has a value for", () => {
    const filled = fillTemplate(text, {
      buyerName: "小王",
      orderNo: "T-1001",
      carrier: "顺丰",
      trackingNo: "SF123",
    });
    expect(filled).toEqual({ text: "亲爱的小王，您的订单T-1001已由顺丰发出，单号SF123。", missing: [] });
  });

  it("leaves a variable without a value as written and lists it, once", () => {
    const filled = fillTemplate(`${text}{快递单号}`, { buyerName: "小王", orderNo: "T-1001", trackingNo: "  " });
    expect(filled.text).toBe("亲爱的小王，您的订单T-1001已由{快递公司}发出，单号{快递单号}。{快递单号}");
    expect(filled.missing).toEqual(["快递公司", "快递单号"]);
  });

  it("accepts full-width braces and spaces inside, and leaves other braces alone", () => {
    expect(
      fillTemplate("｛ 商品名 ｝预计{承诺发货时间}前发货 {优惠}", {
        productName: "保温杯",
        promisedShipTime: "11月12日 18:00",
      }),
    ).toEqual({
      text: "保温杯预计11月12日 18:00前发货 {优惠}",
      missing: [],
    });
  });

  it("finds the placeholders a reply about to be sent still has", () => {
    expect(unfilledVariables("您好{买家昵称}，{订单号}")).toEqual(["买家昵称", "订单号"]);
    expect(unfilledVariables("您好，已经发货了")).toEqual([]);
    expect(variablesIn("{商品名}{商品名}")).toEqual(["商品名"]);
  });
});
