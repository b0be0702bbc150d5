import { autoReplyTemplateProblems, fillAutoReply, UpdateAutoReplyRulesRequest } from "@yunxi/contracts";
import { describe, expect, it } from "vitest";
import {
  asksForHuman,
  chooseOrder,
  consecutiveBotAnswers,
  formatChineseTime,
  latestNodeText,
  orderListText,
  pickOffered,
} from "./decide.ts";
import { defaultAskWhichOrder, defaultTemplates } from "./rules.ts";

const now = new Date("2026-11-12T04:00:00Z");
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);
const order = (platformOrderId: string, status: string, createdAt = daysAgo(1)) => ({
  platformOrderId,
  status,
  createdAt,
  items: [{ title: "透气跑步鞋" }],
});

describe("asking for a person", () => {
  it.each(["人工", "转人工", "我要找客服", "真人客服在吗", "有没有人啊", "叫客服出来", "机器人听不懂啊"])(
    "%s",
    (text) => {
      expect(asksForHuman(text)).toBe(true);
    },
  );
  it.each(["什么时候发货", "快递到哪了", "客服你好，发货了吗"])("not: %s", (text) => {
    expect(asksForHuman(text)).toBe(false);
  });
});

describe("which order the buyer means", () => {
  const rows = [
    order("2000000000000000001", "paid", daysAgo(1)),
    order("2000000000000000002", "shipped", daysAgo(3)),
    order("2000000000000000003", "completed", daysAgo(40)),
  ];

  it("takes the only open order", () => {
    const choice = chooseOrder([rows[0]!, rows[2]!], { text: "什么时候发货", namedNumbers: [], offered: null, now });
    expect(choice).toMatchObject({ kind: "one", order: { platformOrderId: "2000000000000000001" } });
  });

  it("offers several open orders, newest first", () => {
    const choice = chooseOrder(rows, { text: "发货了吗", namedNumbers: [], offered: null, now });
    expect(choice.kind).toBe("several");
    if (choice.kind === "several") {
      expect(choice.orders.map((o) => o.platformOrderId)).toEqual(["2000000000000000001", "2000000000000000002"]);
    }
  });

  it("takes a named order, whatever its status, and refuses a number that is none of theirs", () => {
    expect(chooseOrder(rows, { text: "", namedNumbers: ["2000000000000000003"], offered: null, now })).toMatchObject({
      kind: "one",
      order: { platformOrderId: "2000000000000000003" },
    });
    expect(chooseOrder(rows, { text: "", namedNumbers: ["1999999999999999999"], offered: null, now })).toEqual({
      kind: "none",
      named: ["1999999999999999999"],
    });
  });

  it("finds no order when only old finished ones exist", () => {
    expect(chooseOrder([rows[2]!], { text: "发货了吗", namedNumbers: [], offered: null, now }).kind).toBe("none");
  });

  it("understands an answer to the question by index, number or last digits", () => {
    const offered = ["2000000000000000001", "2000000000000000002"];
    expect(pickOffered("2", offered)).toBe(offered[1]);
    expect(pickOffered("第一个", offered)).toBe(offered[0]);
    expect(pickOffered("第2单", offered)).toBe(offered[1]);
    expect(pickOffered("尾号0002的那个", offered)).toBe(offered[1]);
    expect(pickOffered("2000000000000000001", offered)).toBe(offered[0]);
    expect(pickOffered("3", offered)).toBeNull();
    expect(pickOffered("都不是", offered)).toBeNull();
    expect(chooseOrder(rows, { text: "第二个", namedNumbers: [], offered, now })).toMatchObject({
      kind: "one",
      order: { platformOrderId: offered[1] },
    });
  });
});

describe("the streak of bot answers", () => {
  const d = (outcome: string, minutesAgo: number) => ({
    outcome,
    createdAt: new Date(now.getTime() - minutesAgo * 60_000),
  });
  it("counts answers, dry-run answers and questions since an agent last replied", () => {
    const decisions = [d("answered", 1), d("skipped", 2), d("asked", 3), d("dry_run", 4), d("answered", 30)];
    expect(consecutiveBotAnswers(decisions, null)).toBe(4);
    expect(consecutiveBotAnswers(decisions, new Date(now.getTime() - 10 * 60_000))).toBe(3);
    expect(consecutiveBotAnswers([], null)).toBe(0);
  });
});

describe("words and values", () => {
  it("formats times in the org's zone", () => {
    expect(formatChineseTime(new Date("2026-11-12T10:05:00Z"), "Asia/Shanghai")).toBe("11月12日 18:05");
  });

  it("lists the orders and the latest parcel node", () => {
    const text = orderListText([order("1", "paid"), order("2", "shipped")]);
    expect(text).toBe("1. 订单1（透气跑步鞋，待发货）\n2. 订单2（透气跑步鞋，已发货）");
    const node = latestNodeText(
      [
        { at: new Date("2026-11-12T02:00:00Z"), description: "已揽收" },
        { at: new Date("2026-11-12T06:00:00Z"), description: "已到达 杭州转运中心" },
      ],
      "Asia/Shanghai",
    );
    expect(node).toBe("已到达 杭州转运中心（11月12日 14:00）");
    expect(latestNodeText([], "Asia/Shanghai")).toBeNull();
  });

  it("fills templates and lists what is missing instead of sending a placeholder", () => {
    expect(
      fillAutoReply(defaultTemplates.paid, { 订单号: "1", 商品名: "鞋", 承诺发货时间: "11月12日 18:00" }).text,
    ).toBe("亲，您的订单1（鞋）已付款，仓库正在备货，会在11月12日 18:00前为您发货，请耐心等待哦～");
    expect(fillAutoReply(defaultTemplates.shipped, { 订单号: "1", 快递公司: "顺丰速运" }).missing).toEqual([
      "快递单号",
      "物流进度",
    ]);
  });

  it("accepts the default templates and refuses variables a status can never fill", () => {
    expect(autoReplyTemplateProblems({ templates: defaultTemplates, askWhichOrder: defaultAskWhichOrder })).toEqual([]);
    const refused = UpdateAutoReplyRulesRequest.safeParse({ templates: { unpaid: "单号{快递单号}" } });
    expect(refused.success).toBe(false);
    expect(UpdateAutoReplyRulesRequest.safeParse({ templates: { paid: "{承诺发货时间}前发" } }).success).toBe(true);
    expect(UpdateAutoReplyRulesRequest.safeParse({ templates: { nope: "x" } }).success).toBe(false);
  });
});
