import type { CannedReply, KbSearchHit, Order, OrderStatus } from "@yunxi/contracts";
import { describe, expect, it } from "vitest";
import { afterSalesGroupOf, orderInQuestion, recommendedActions } from "./actions.ts";
import { collectCandidates, latestBuyerRun, rankArticles, rankReplies, resolveIntent } from "./rank.ts";

const STORE = "store-1";
const now = new Date("2026-11-12T10:00:00Z");

function reply(id: string, fields: Partial<CannedReply> = {}): CannedReply {
  return {
    id,
    title: id,
    keywords: [],
    text: "",
    categoryId: null,
    categoryPath: "",
    scope: "org",
    platform: null,
    storeId: null,
    storeLabel: null,
    personal: false,
    ownerId: null,
    validFrom: null,
    validUntil: null,
    status: "active",
    variables: [],
    usageCount: 0,
    lastUsedAt: null,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    ...fields,
  };
}

function order(orderId: string, status: OrderStatus, fields: Partial<Order> = {}): Order {
  return {
    id: `id-${orderId}`,
    storeId: STORE,
    platform: "taobao",
    storeLabel: "淘宝-旗舰店",
    customerId: "c-1",
    orderId,
    status,
    platformStatus: status.toUpperCase(),
    items: [{ productId: "p", title: "跑鞋", sku: null, quantity: 1, priceCents: 19_900 }],
    totalCents: 19_900,
    createdAt: "2026-11-01T00:00:00.000Z",
    paidAt: null,
    promisedShipAt: null,
    shippedAt: null,
    carrier: null,
    trackingNo: null,
    updatedAt: "2026-11-01T00:00:00.000Z",
    ...fields,
  };
}

const hit = (id: string, score: number): KbSearchHit => ({
  article: {
    id,
    title: id,
    categoryId: null,
    categoryPath: "",
    storeId: null,
    storeLabel: null,
    tags: [],
    version: 1,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    updatedBy: null,
    snippet: "",
  },
  score,
  match: "any_word",
  highlights: [id],
});

describe("the intent", () => {
  const reading = { intent: "售后-退换货" as const, confidence: 0.93 };

  it("is the conversation's tag, with the model's confidence when the model reads the latest messages the same way", () => {
    expect(resolveIntent({ tagIntent: "售后-退换货", reading, correctedTo: null })).toEqual({
      intent: "售后-退换货",
      confidence: 0.93,
      source: "model",
    });
  });

  it("is the agent's correction, or kept from earlier messages, without a confidence", () => {
    expect(resolveIntent({ tagIntent: "投诉", reading, correctedTo: "投诉" })).toEqual({
      intent: "投诉",
      confidence: null,
      source: "agent",
    });
    expect(resolveIntent({ tagIntent: "投诉", reading, correctedTo: "售后-退款进度" }).source).toBe("earlier");
  });

  it("is the model's guess without a tag, and nothing without words", () => {
    expect(resolveIntent({ tagIntent: null, reading, correctedTo: null }).source).toBe("guess");
    expect(resolveIntent({ tagIntent: null, reading: null, correctedTo: null }).intent).toBeNull();
  });
});

describe("the buyer's latest messages", () => {
  const m = (direction: string, body: string, kind = "text") => ({ direction, body, kind });

  it("are those since the last answer, notes and images skipped, at most five", () => {
    const thread = [
      m("inbound", "在吗"),
      m("outbound", "在的亲"),
      m("inbound", "鞋子小了"),
      m("internal", "备注", "note"),
      m("inbound", "[图片]", "image"),
      m("inbound", "能换大一码吗"),
    ];
    expect(latestBuyerRun(thread)).toEqual(["鞋子小了", "能换大一码吗"]);
    expect(latestBuyerRun([...Array(7)].map((_, i) => m("inbound", `${i}`)))).toEqual(["2", "3", "4", "5", "6"]);
  });

  it("are the run an answer was to, once answered", () => {
    expect(latestBuyerRun([m("inbound", "快递到哪了"), m("outbound", "在路上了")])).toEqual(["快递到哪了"]);
  });
});

describe("ranking canned replies", () => {
  const found = (
    word: string,
    from: "intent" | "message",
    ...hits: [CannedReply, "keyword" | "keyword_prefix" | "text"][]
  ) => ({
    word,
    from,
    hits: hits.map(([reply, match]) => ({ reply, match })),
  });

  it("prefers the store's reply, then the platform's, then the org's, for the same keyword", () => {
    const org = reply("org", { keywords: ["退换货"], usageCount: 50 });
    const platform = reply("platform", { keywords: ["退换货"], scope: "platform", platform: "taobao" });
    const store = reply("store", { keywords: ["退换货"], scope: "store", storeId: STORE });
    const ranked = rankReplies(
      collectCandidates([found("退换货", "intent", [org, "keyword"], [platform, "keyword"], [store, "keyword"])]),
      null,
      3,
    );
    expect(ranked.map((r) => r.reply.id)).toEqual(["store", "platform", "org"]);
  });

  it("puts relevance before scope: a reply filed under the intent beats the store's reply sharing one word", () => {
    const onTopic = reply("on-topic", { keywords: ["退换货"] });
    const offTopic = reply("off-topic", { scope: "store", storeId: STORE });
    const ranked = rankReplies(
      collectCandidates([
        found("退换货", "intent", [onTopic, "keyword"]),
        found("鞋子", "message", [offTopic, "text"]),
      ]),
      null,
      3,
    );
    expect(ranked.map((r) => r.reply.id)).toEqual(["on-topic", "off-topic"]);
    expect(ranked[0]!.match).toBe("keyword");
  });

  it("counts each of the buyer's words, and the product category", () => {
    const shoes = reply("shoes", { categoryPath: "售后/鞋子" });
    const plain = reply("plain", { usageCount: 99 });
    const twoWords = reply("two-words");
    const candidates = collectCandidates([
      found("退货", "intent", [shoes, "text"], [plain, "text"], [twoWords, "text"]),
      found("尺码", "message", [twoWords, "keyword"]),
    ]);
    expect(rankReplies(candidates, "鞋子类目", 3).map((r) => r.reply.id)).toEqual(["two-words", "shoes", "plain"]);
    // Without a category, usage decides between equals.
    expect(rankReplies(candidates, null, 3).map((r) => r.reply.id)).toEqual(["two-words", "plain", "shoes"]);
  });
});

describe("ranking articles", () => {
  it("puts those found by the intent and the buyer's words first, then the intent's, then the words'", () => {
    const ranked = rankArticles([hit("policy", 2), hit("both", 1)], [hit("size", 9), hit("both", 1.5)], 3);
    expect(ranked.map((a) => [a.article.id, a.foundBy, a.score])).toEqual([
      ["both", "both", 2.5],
      ["policy", "intent", 2],
      ["size", "message", 9],
    ]);
  });
});

describe("the order in question", () => {
  const orders = [
    order("A-paid", "paid", { createdAt: "2026-11-10T00:00:00.000Z" }),
    order("B-shipped", "shipped", { createdAt: "2026-11-05T00:00:00.000Z" }),
    order("C-refunding", "refunding", { createdAt: "2026-11-03T00:00:00.000Z" }),
    order("D-other-store", "delivered", { storeId: "store-2" }),
  ];

  it("is the one the buyer named, else the newest in a status the intent points at, else the newest moving", () => {
    expect(orderInQuestion("物流-物流查询", orders, STORE, ["C-refunding"])?.orderId).toBe("C-refunding");
    expect(orderInQuestion("物流-物流查询", orders, STORE, [])?.orderId).toBe("B-shipped");
    expect(orderInQuestion("售后-退款进度", orders, STORE, [])?.orderId).toBe("C-refunding");
    expect(orderInQuestion("其他-问候", orders, STORE, [])?.orderId).toBe("A-paid");
    expect(orderInQuestion("售后-退换货", orders, "store-3", [])).toBeUndefined();
  });
});

describe("actions", () => {
  const base = { negative: false, afterSalesGroup: null, conversationGroupId: null, now };
  const kinds = (actions: ReturnType<typeof recommendedActions>) => actions.map((a) => `${a.kind}:${a.reason}`);
  const shipped = order("S", "shipped", { carrier: "顺丰速运", trackingNo: "SF123" });

  it("物流查询: check the parcel when shipped or delivered; the ship promise while paid", () => {
    expect(kinds(recommendedActions({ ...base, intent: "物流-物流查询", order: shipped }))).toEqual([
      "check_logistics:parcel_moving",
    ]);
    const delivered = { ...shipped, status: "delivered" as const };
    expect(kinds(recommendedActions({ ...base, intent: "物流-物流查询", order: delivered }))).toEqual([
      "check_logistics:parcel_delivered",
    ]);
    const promised = order("P", "paid", { promisedShipAt: "2026-11-13T10:00:00.000Z" });
    const late = order("L", "paid", { promisedShipAt: "2026-11-11T10:00:00.000Z" });
    expect(kinds(recommendedActions({ ...base, intent: "物流-发货时间", order: promised }))).toEqual([
      "open_order:ship_promise",
    ]);
    expect(kinds(recommendedActions({ ...base, intent: "物流-物流查询", order: late }))).toEqual([
      "open_order:ship_overdue",
    ]);
    expect(recommendedActions({ ...base, intent: "物流-物流查询", order: undefined })).toEqual([]);
  });

  it("修改地址: whether it is shipped yet", () => {
    expect(kinds(recommendedActions({ ...base, intent: "物流-修改地址", order: order("P", "paid") }))).toEqual([
      "open_order:address_unshipped",
    ]);
    expect(kinds(recommendedActions({ ...base, intent: "物流-修改地址", order: shipped }))).toEqual([
      "open_order:address_shipped",
    ]);
  });

  it("after-sales: the order, its refund, and the after-sales group unless already there", () => {
    const group = afterSalesGroupOf([
      { id: "g-live", name: "直播组" },
      { id: "g-after", name: "售后组" },
    ]);
    expect(group).toEqual({ id: "g-after", name: "售后组" });
    const delivered = order("D", "delivered");
    expect(
      kinds(recommendedActions({ ...base, afterSalesGroup: group, intent: "售后-质量问题", order: delivered })),
    ).toEqual(["open_order:after_sales_quality", "transfer_group:after_sales_quality"]);
    expect(
      kinds(
        recommendedActions({
          ...base,
          afterSalesGroup: group,
          conversationGroupId: "g-after",
          intent: "售后-错发漏发",
          order: order("R", "refunding"),
        }),
      ),
    ).toEqual(["refund_status:refund_in_progress", "open_order:after_sales_wrong_item"]);
    expect(kinds(recommendedActions({ ...base, intent: "售后-退款进度", order: order("R", "refunded") }))).toEqual([
      "refund_status:refund_done",
    ]);
  });

  it("escalates complaints and angry after-sales buyers", () => {
    expect(kinds(recommendedActions({ ...base, intent: "投诉", order: undefined }))).toEqual(["escalate:complaint"]);
    expect(kinds(recommendedActions({ ...base, negative: true, intent: "售后-退换货", order: undefined }))).toEqual([
      "escalate:angry_buyer",
    ]);
    expect(recommendedActions({ ...base, negative: true, intent: "售前-商品咨询", order: undefined })).toEqual([]);
  });
});
