import { describe, expect, it } from "vitest";
import { extractEntities, parseNumber } from "./entities.ts";

describe("entity extraction", () => {
  it.each([
    ["身高175体重65 穿XL还是XXL", ["XL", "XXL"], { heightCm: 175, weightKg: 65 }],
    ["我170 130斤 拿多大的", [], { heightCm: 170, weightKg: 65 }],
    ["身高165体重110斤穿什么码", [], { heightCm: 165, weightKg: 55 }],
    ["身高1.68 体重52kg", [], { heightCm: 168, weightKg: 52 }],
    ["一米七 体重六十公斤", [], { heightCm: 170, weightKg: 60 }],
    ["1米75 120斤", [], { heightCm: 175, weightKg: 60 }],
    ["158cm 90斤 穿xs还是s", ["XS", "S"], { heightCm: 158, weightKg: 45 }],
    ["175/75kg 穿L可以吗", ["L"], { heightCm: 175, weightKg: 75 }],
    ["平时穿42码 这款拍多大", ["42码"], null],
    ["36.5码有吗", ["36.5码"], null],
    ["我要换成42的", ["42码"], null],
    ["m的还有吗", ["M"], null],
    ["西装我平时穿175/92A", ["175/92A"], null],
    ["均码适合多少斤的", ["均码"], null],
    ["15号能发吗", [], null],
  ])("%s → sizes %j, body %j", (text, sizes, body) => {
    const e = extractEntities(text);
    expect(e.sizes).toEqual(sizes);
    expect(e.body).toEqual(body);
  });

  it("tells order numbers, waybills and phones apart, and masks phones", () => {
    expect(extractEntities("订单号3852749016273845129什么时候发货").orderNumbers).toEqual(["3852749016273845129"]);
    expect(extractEntities("拼多多订单250611-384756102938475 少发了").orderNumbers).toEqual(["250611-384756102938475"]);
    expect(extractEntities("京东订单312847561029到哪了").orderNumbers).toEqual(["312847561029"]);
    const waybill = extractEntities("退货寄回了 顺丰SF1234567890123 还有中通单号73123456789012");
    expect(waybill.trackingNumbers).toEqual(["SF1234567890123", "73123456789012"]);
    expect(waybill.orderNumbers).toEqual([]);
    const phone = extractEntities("电话写错了 应该是13800138000，或者 +86 139-1234-5678");
    expect(phone.phones).toEqual(["138****8000", "139****5678"]);
    expect(phone.orderNumbers).toEqual([]);
    expect(JSON.stringify(phone)).not.toContain("0013");
  });

  it("reads amounts in ¥, 元, 块 and Chinese numerals", () => {
    expect(extractEntities("别家才¥99.5 你们卖199元").amounts).toEqual([
      { text: "¥99.5", yuan: 99.5 },
      { text: "199元", yuan: 199 },
    ]);
    expect(extractEntities("能不能再少20块").amounts).toEqual([{ text: "20块", yuan: 20 }]);
    expect(extractEntities("两百块行不行").amounts).toEqual([{ text: "两百块", yuan: 200 }]);
    expect(extractEntities("元旦发货吗").amounts).toEqual([]);
    // An order number is not an amount.
    expect(extractEntities("订单3852749016273845129退款199元").amounts).toEqual([{ text: "199元", yuan: 199 }]);
  });

  it("finds colours, not the 白 of 明白", () => {
    expect(extractEntities("我买的白色 收到的是黑的").colours).toEqual(["白色", "黑色"]);
    expect(extractEntities("雾霾蓝L码还有吗").colours).toEqual(["雾霾蓝"]);
    expect(extractEntities("明白的 谢谢").colours).toEqual([]);
    expect(extractEntities("口红色号发错了 我要的是豆沙色 收到的是正红").colours).toEqual(["豆沙色", "正红"]);
  });

  it("finds dates, times, durations and shopping events", () => {
    expect(extractEntities("明天能到吗 下午3点前要").datetimes).toEqual([
      { text: "明天", kind: "date" },
      { text: "下午3点", kind: "time" },
    ]);
    expect(extractEntities("拍了三天了还没发货").datetimes).toEqual([{ text: "三天了", kind: "duration" }]);
    expect(extractEntities("说好48小时发货").datetimes).toEqual([{ text: "48小时", kind: "duration" }]);
    expect(extractEntities("双11会降价吗").datetimes).toEqual([{ text: "双11", kind: "event" }]);
    expect(extractEntities("11月11日之前能到吗").datetimes).toEqual([{ text: "11月11日", kind: "date" }]);
    expect(extractEntities("支持七天无理由吗").datetimes).toEqual([]);
  });

  it("parses Chinese numerals", () => {
    expect(parseNumber("一百二十")).toBe(120);
    expect(parseNumber("两百")).toBe(200);
    expect(parseNumber("三十五")).toBe(35);
    expect(parseNumber("十")).toBe(10);
    expect(parseNumber("12.5")).toBe(12.5);
    expect(parseNumber("abc")).toBeNull();
  });
});
