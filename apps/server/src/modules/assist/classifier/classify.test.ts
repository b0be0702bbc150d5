import { performance } from "node:perf_hooks";
import { Classification, intents } from "@yunxi/contracts";
import { describe, expect, it } from "vitest";
import { readCorpus } from "../corpus/corpus.ts";
import { CONFIDENCE_THRESHOLD, classify, combinedTag, isConfident } from "./classify.ts";

describe("classify", () => {
  it("answers in the contract's shape, with a label of the taxonomy", () => {
    const c = classify("亲，这双鞋42码偏大吗？我平时穿41");
    expect(Classification.parse(c)).toEqual(c);
    expect(intents).toContain(c.intent);
    expect(c.intent).toBe("售前-尺码推荐");
    expect(c.category).toBe("鞋子类目");
    expect(c.tag).toBe("售前-尺码推荐-鞋子类目");
    expect(c.entities.sizes).toEqual(["42码", "41码"]);
    expect(c.confidence).toBeGreaterThan(0);
    expect(c.confidence).toBeLessThanOrEqual(1);
  });

  it.each([
    ["订单3852749016273845129什么时候发货啊", "物流-发货时间"],
    ["快递三天没更新了 到哪了", "物流-物流查询"],
    ["地址写错了 帮我改成上海市浦东新区张江路100号", "物流-修改地址"],
    ["鞋子小了 能换大一码吗", "售后-退换货"],
    ["退款申请好几天了怎么还没到账", "售后-退款进度"],
    ["收到的杯子是裂的", "售后-质量问题"],
    ["我买的白色 你们发成黑色了", "售后-错发漏发"],
    ["有优惠券吗 两件能便宜点吗", "售前-价格优惠"],
    ["能开发票吗 公司抬头", "其他-发票"],
    ["在吗", "其他-问候"],
    ["你们这是虚假宣传 我要投诉", "投诉"],
  ])("%s → %s", (text, intent) => {
    expect(classify(text).intent).toBe(intent);
  });

  it("takes the category from the product card or the order before the text", () => {
    expect(classify("这个能退吗", { productTitle: "透气飞织跑步鞋" }).tag).toBe("售后-退换货-鞋子类目");
    expect(classify("这个能退吗", { orderItems: [{ title: "玻尿酸补水保湿面膜10片装" }] }).category).toBe("美妆类目");
    expect(classify("这个能退吗", { category: "3C" }).category).toBe("数码类目");
    expect(classify("这个能退吗", { category: "鞋靴" }).category).toBe("鞋子类目");
    expect(classify("纸尿裤漏尿").category).toBe("母婴类目");
    expect(classify("咖啡色的裤子还有吗").category).toBe("服装类目");
    expect(classify("这个能退吗").category).toBeNull();
  });

  it("flags an angry buyer and ranks them up", () => {
    const angry = classify("什么破店！！！说好的发货呢 骗子 我要投诉😡");
    expect(angry.sentiment.negative).toBe(true);
    expect(angry.sentiment.score).toBeLessThan(0);
    expect(angry.sentiment.cues).toEqual(expect.arrayContaining(["投诉", "骗子", "😡"]));
    expect(angry.urgency).toBeGreaterThanOrEqual(0.8);
    const calm = classify("请问这个有白色吗");
    expect(calm.sentiment.negative).toBe(false);
    expect(calm.urgency).toBeLessThan(0.3);
    const pleased = classify("收到了 很满意 谢谢亲");
    expect(pleased.sentiment.score).toBeGreaterThan(0);
    expect(classify("急！！明天要用 今天能发吗").urgency).toBeGreaterThan(calm.urgency);
  });

  it("classifies empty, emoji-only, binary and huge text as 其他 without error", () => {
    for (const text of ["", "   ", "\n", "😂😂😂", "👍", "🙏🏻❤️", "？？？", "。。。"]) {
      const c = classify(text);
      expect(c.intent, JSON.stringify(text)).toBe("其他");
      expect(Classification.parse(c)).toEqual(c);
    }
    const binary = String.fromCharCode(...Array.from({ length: 400 }, (_, i) => (i * 37) % 256));
    expect(classify(binary).intent).toBe("其他");
    expect(classify("\u0000\u0001\u0002PNG\ufffd\ufffd\u001a").intent).toBe("其他");
    expect(classify("\ud800\udc00\ud800abc\udc00\ud800\ud800").intent).toBe("其他");
    expect(
      classify(Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 131) % 256)).toString("base64")).intent,
    ).toBe("其他");
    expect(classify("af4be4aaf1501d959b156c27f11959805705efe4a1b2c3d4").intent).toBe("其他");
    expect(classify("https://item.taobao.com/item.htm?id=123456789012").intent).toBe("其他");
    // A link with words around it is read as a message.
    expect(classify("这个链接 https://item.taobao.com/item.htm?id=1 还有货吗").intent).toBe("售前-库存到货");

    const huge = "随便说点什么".repeat(20_000);
    const started = performance.now();
    const c = classify(huge);
    expect(performance.now() - started).toBeLessThan(200);
    expect(c.text).toBe(huge);
    expect(intents).toContain(c.intent);
    // A real question at the start of a huge message is still read.
    expect(classify(`什么时候发货${"。".repeat(100_000)}`).intent).toBe("物流-发货时间");
  });

  it("returns its best label with a low confidence when unsure, and 其他 for text it knows nothing of", () => {
    const foreign = classify("Ich möchte wissen, wann das Paket kommt");
    expect(intents).toContain(foreign.intent);
    expect(foreign.confidence).toBeLessThan(CONFIDENCE_THRESHOLD);
    expect(isConfident(foreign)).toBe(false);
    expect(classify("ㅋㅋㅋㅋ").intent).toBe("其他");
    expect(isConfident(classify("退款什么时候到账"))).toBe(true);
  });

  it("combines intent and category into the tag the conversation shows", () => {
    expect(combinedTag("售后-退换货", "鞋子类目")).toBe("售后-退换货-鞋子类目");
    expect(combinedTag("其他-问候", null)).toBe("其他-问候");
  });

  it("costs well under a millisecond per message", () => {
    const texts = readCorpus()
      .slice(0, 3000)
      .map((r) => r.text);
    classify(texts[0]!); // loads the model
    const started = performance.now();
    for (const text of texts) classify(text);
    const perMessage = (performance.now() - started) / texts.length;
    expect(perMessage).toBeLessThan(1);
  });
});
