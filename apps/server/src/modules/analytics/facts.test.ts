import type { BusinessHours } from "@yunxi/contracts";
import { describe, expect, it } from "vitest";
import { addCounters, type Counters, zeroCounters } from "./counters.ts";
import {
  analyse,
  buyerDayFacts,
  type ConversationRecord,
  conversationFacts,
  evaluationFacts,
  type FactEnv,
  type FactRow,
  intentOf,
  orderFacts,
  sortTimeline,
  surveyFacts,
  type TimelineMessage,
} from "./facts.ts";
import { kpisFrom } from "./kpis.ts";
import { defaultQualityRules } from "./quality.ts";
import { NO_AGENT } from "./tables.ts";

/**
 * The KPI definitions of docs/metrics.md on hand-built conversations: every time is
 * Shanghai local (UTC+8) on Tuesday 2026-12-01 unless said otherwise.
 */

const at = (clock: string, day = "2026-12-01") => Date.parse(`${day}T${clock}+08:00`);
const AGENT = "11111111-1111-1111-1111-111111111111";
const AGENT2 = "22222222-2222-2222-2222-222222222222";
const STORE = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa";
const STORE2 = "bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb";
const CUSTOMER = "cccccccc-cccc-cccc-cccc-cccccccccccc";

const alwaysOpen: BusinessHours = { alwaysOpen: true, windows: [] };
const officeHours: BusinessHours = {
  alwaysOpen: false,
  windows: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: "09:00", end: "18:00" })),
};

const env = (hours: BusinessHours = alwaysOpen): FactEnv => ({
  timeZone: "Asia/Shanghai",
  businessHours: () => hours,
  conversionWindowMs: 24 * 3_600_000,
  qualityRules: defaultQualityRules,
});

let seq = 0;
const line = (
  kind: TimelineMessage["kind"],
  clock: string,
  text = "…",
  senderId: string | null = null,
  day?: string,
) => ({
  id: `m${String(++seq).padStart(4, "0")}`,
  at: at(clock, day),
  kind,
  senderId: kind === "human" ? (senderId ?? AGENT) : null,
  text,
});
const buyer = (clock: string, text = "在吗", day?: string) => line("buyer", clock, text, null, day);
const agent = (clock: string, text = "您好", who: string = AGENT, day?: string) => line("human", clock, text, who, day);
const bot = (clock: string, text = "您好，我是智能助手", day?: string) => line("bot", clock, text, null, day);

function conversation(timeline: TimelineMessage[], extra: Partial<ConversationRecord> = {}): ConversationRecord {
  return {
    id: `00000000-0000-0000-0000-${String(++seq).padStart(12, "0")}`,
    orgId: "org",
    storeId: STORE,
    platform: "taobao",
    customerId: CUSTOMER,
    identityId: "dddddddd-dddd-dddd-dddd-dddddddddddd",
    status: "open",
    assigneeId: AGENT,
    resolvedAt: null,
    tags: [],
    mergedIntoId: null,
    timeline: sortTimeline(timeline),
    breaches: [],
    ...extra,
  };
}

const total = (rows: FactRow[]): Counters => rows.reduce((sum, r) => addCounters(sum, r.counters), zeroCounters());
const byAgent = (rows: FactRow[], agentId: string): Counters => total(rows.filter((r) => r.agentId === agentId));
const factsOf = (c: ConversationRecord, e = env()) => conversationFacts(analyse(c), e);

describe("rounds and response times (Yunxi's uniform figures)", () => {
  it("makes a round from the first buyer line to the first reply; later buyer lines join it", () => {
    const c = conversation([
      buyer("10:00:00", "这双鞋有42码吗"),
      buyer("10:00:30", "在吗"),
      agent("10:02:00", "您好，有的"),
      buyer("10:05:00", "什么时候发货"),
      agent("10:09:00", "抱歉久等了，今天发"),
    ]);
    const { rows, summary } = factsOf(c);
    const t = total(rows);
    expect(t.inboundMsgs).toBe(3);
    expect(t.humanMsgs).toBe(2);
    expect(t.conversations).toBe(1);
    expect(t.handled).toBe(1);
    expect(t.rounds).toBe(2);
    expect(t.roundsAnswered).toBe(2);
    expect(t.rounds3m).toBe(1); // 120 s yes, 240 s no
    expect(t.responseMsSum).toBe(120_000 + 240_000);
    expect(t.responseMsMax).toBe(240_000);
    expect(t.firstResponses).toBe(1);
    expect(t.firstResponseMsSum).toBe(120_000);
    expect(summary?.firstResponseMs).toBe(120_000);
    expect(summary?.firstQuestion).toBe("这双鞋有42码吗");
    // Rounds count at their start minute, for the agent who answered.
    const round2 = rows.find((r) => r.minute === at("10:05:00"))!;
    expect(round2.agentId).toBe(AGENT);
    expect(round2.counters.rounds).toBe(1);
  });

  it("leaves an unanswered round unanswered, for the owner; missed once it is an hour old", () => {
    const c = conversation([buyer("10:00:00", "有人吗")], { assigneeId: AGENT2 });
    const t = total(factsOf(c).rows);
    expect(t.rounds).toBe(1);
    expect(t.roundsAnswered).toBe(0);
    expect(t.firstResponses).toBe(0);
    expect(byAgent(factsOf(c).rows, AGENT2).rounds).toBe(1);
    const k = kpisFrom(t, { rounds: t.rounds, rounds1h: t.rounds1h });
    expect(k.missedRate).toBe(1);
    expect(k.responseRate).toBe(0);
    expect(k.firstResponseAvgSeconds).toBeNull();
  });

  it("counts a reply only once it reached the buyer (the timeline holds delivered replies only)", () => {
    // A reply answered at 10:04 by delivery time, though written at 10:01 (the loader uses sentAt).
    const c = conversation([buyer("10:00:00"), agent("10:04:00")]);
    const t = total(factsOf(c).rows);
    expect(t.rounds3m).toBe(0);
    expect(t.rounds1h).toBe(1);
  });

  it("keeps a conversation merged into another out (its lines count there)", () => {
    const c = conversation([buyer("10:00:00"), agent("10:01:00")], { mergedIntoId: "x" });
    expect(factsOf(c)).toEqual({ rows: [], summary: null });
  });
});

describe("bot replies", () => {
  const handedOver = (platform = "taobao") =>
    conversation(
      [
        buyer("10:00:00", "什么时候发货"),
        bot("10:00:05", "亲，您的订单预计今天发货"),
        buyer("10:01:00", "转人工"),
        bot("10:01:02", "正在为您转接人工客服"),
        agent("10:05:02", "您好，我来帮您看看"),
      ],
      { platform },
    );

  it("count for Yunxi's 3-minute rate and Taobao's, and make auto-reply coverage", () => {
    const t = total(factsOf(handedOver()).rows);
    expect(t.rounds).toBe(2);
    expect(t.rounds3m).toBe(2);
    expect(t.botRounds).toBe(2);
    expect(t.tbRounds).toBe(2);
    expect(t.tbRounds3m).toBe(2);
    expect(t.botMsgs).toBe(2);
    expect(t.firstResponseMsSum).toBe(5000);
    const k = kpisFrom(t, { rounds: 2, rounds1h: 2 });
    expect(k.autoReplyCoverage).toBe(1);
  });

  it("do not count for the human variants: the wait for a human starts at the bot's hand-over", () => {
    const t = total(factsOf(handedOver()).rows);
    expect(t.humanNeeded).toBe(1);
    expect(t.humanAnswered).toBe(1);
    expect(t.humanResponseMsSum).toBe(240_000);
    expect(t.humanAnswered3m).toBe(0);
    expect(t.botConversations).toBe(1);
    expect(t.handovers).toBe(1);
    const douyin = total(factsOf(handedOver("douyin")).rows);
    expect(douyin.dyConversations).toBe(1);
    expect(douyin.dyHuman3m).toBe(0);
    expect(douyin.tbRounds).toBe(0); // each platform's variant for its own conversations only
    // 京东: the first human reply came 302 s after the session started.
    const jd = total(factsOf(handedOver("jd")).rows);
    expect(jd.jdSessions).toBe(1);
    expect(jd.jdFirst30s).toBe(0);
    expect(jd.dyConversations).toBe(0);
  });

  it("make a conversation the bot handled alone: no human needed, no hand-over", () => {
    const c = conversation([buyer("10:00:00", "发货了吗"), bot("10:00:03", "已发货，运单号 SF123")], {
      assigneeId: null,
    });
    const rows = factsOf(c).rows;
    const t = total(rows);
    expect(t.humanNeeded).toBe(0);
    expect(t.dyConversations).toBe(0);
    expect(t.botConversations).toBe(1);
    expect(t.handovers).toBe(0);
    // Bot rounds count for nobody.
    expect(byAgent(rows, NO_AGENT).rounds).toBe(1);
  });
});

describe("business hours and each platform's window", () => {
  it("counts only rounds starting within the store's business hours for Yunxi's figures", () => {
    const c = conversation([
      buyer("20:00:00", "还在吗"), // Tuesday 20:00: closed
      agent("20:10:00"),
      buyer("10:00:00", "发货了吗", "2026-12-02"), // Wednesday 10:00: open
      agent("10:01:00", "您好", AGENT, "2026-12-02"),
    ]);
    const t = total(factsOf(c, env(officeHours)).rows);
    expect(t.inboundMsgs).toBe(2);
    expect(t.rounds).toBe(1);
    expect(t.rounds3m).toBe(1);
    expect(t.firstResponses).toBe(0); // the first round was out of hours
    // Taobao's window (08:00–24:00) does not care for the store's hours.
    expect(t.tbRounds).toBe(2);
    expect(t.tbRounds3m).toBe(1);
  });

  it("applies the platforms' own windows: 淘宝 from 08:00, 京东 sessions 09:00–23:00 only", () => {
    const on = (platform: string, from: string, to: string) =>
      total(factsOf(conversation([buyer(from), agent(to)], { platform })).rows);
    const early = on("taobao", "07:30:00", "07:30:20");
    expect(early.tbRounds).toBe(0);
    expect(early.rounds).toBe(1);
    expect(on("jd", "07:30:00", "07:30:20").jdSessions).toBe(0);
    expect(on("taobao", "08:30:00", "08:30:20").tbRounds).toBe(1);
    expect(on("jd", "08:30:00", "08:30:20").jdSessions).toBe(0); // 京东 excludes sessions started 23:00–09:00
    const day = on("jd", "09:30:00", "09:30:20");
    expect(day.jdSessions).toBe(1);
    expect(day.jdFirst30s).toBe(1);
    expect(day.jdResponses).toBe(1);
    expect(day.jdResponseMsSum).toBe(20_000);
    expect(on("jd", "23:30:00", "23:30:10").jdSessions).toBe(0);
    expect(on("taobao", "23:30:00", "23:30:10").tbRounds).toBe(1);
    expect(on("douyin", "23:30:00", "23:30:10").dyConversations).toBe(0); // 抖音 ends 22:59:59
    expect(on("douyin", "22:59:00", "22:59:10").dyConversations).toBe(1);
  });
});

describe("buyer-days: inquiry conversion, 拼多多 and 快手", () => {
  const orderPaid = (clock: string, cents = 9900, day?: string) => ({ paidAt: at(clock, day), totalCents: cents });

  it("counts a buyer once per store and day, however many conversations, and converts on payment in the window", () => {
    const a = analyse(conversation([buyer("10:00:00", "有货吗"), agent("10:00:40", "您好，有的")]));
    const b = analyse(conversation([buyer("15:00:00", "还有优惠吗"), agent("15:01:00", "您好")]));
    const rows = buyerDayFacts(
      { storeId: STORE, identityId: "i", day: "2026-12-01", analyses: [a, b], paidOrders: [orderPaid("16:00:00")] },
      env(),
    );
    const t = total(rows);
    expect(t.consultBuyers).toBe(1);
    expect(t.convertedBuyers).toBe(1);
    expect(t.convertedCents).toBe(9900);
    expect(rows[0]!.minute).toBe(at("10:00:00"));
    expect(rows[0]!.agentId).toBe(AGENT);
    // Paid before the inquiry, or after the window: not converted.
    const before = buyerDayFacts(
      { storeId: STORE, identityId: "i", day: "2026-12-01", analyses: [a], paidOrders: [orderPaid("09:00:00")] },
      env(),
    );
    expect(total(before).convertedBuyers).toBe(0);
    const late = buyerDayFacts(
      {
        storeId: STORE,
        identityId: "i",
        day: "2026-12-01",
        analyses: [a],
        paidOrders: [orderPaid("10:00:01", 100, "2026-12-02")],
      },
      env(),
    );
    expect(total(late).convertedBuyers).toBe(0);
  });

  it("a buyer on two platforms is a consulting buyer in each store; the order converts only its own store", () => {
    const taobao = analyse(conversation([buyer("10:00:00", "有42码吗"), agent("10:00:30")]));
    const jd = analyse(
      conversation([buyer("10:10:00", "京东这边有42码吗"), agent("10:10:30", "您好", AGENT2)], {
        storeId: STORE2,
        platform: "jd",
      }),
    );
    const tbDay = buyerDayFacts(
      { storeId: STORE, identityId: "i1", day: "2026-12-01", analyses: [taobao], paidOrders: [orderPaid("11:00:00")] },
      env(),
    );
    const jdDay = buyerDayFacts(
      { storeId: STORE2, identityId: "i2", day: "2026-12-01", analyses: [jd], paidOrders: [] },
      env(),
    );
    const t = addCounters(total(tbDay), total(jdDay));
    expect(t.consultBuyers).toBe(2);
    expect(t.convertedBuyers).toBe(1);
    expect(kpisFrom(t, { rounds: 0, rounds1h: 0 }).inquiryConversionRate).toBe(0.5);
    // The order of a buyer who had paid before, on any platform, is a repeat purchase.
    const first = orderFacts({ id: "o1", storeId: STORE2, paidAt: at("09:00:00"), totalCents: 100, repeat: false });
    const again = orderFacts({ id: "o2", storeId: STORE, paidAt: at("11:00:00"), totalCents: 9900, repeat: true });
    const orders = addCounters(total(first), total(again));
    expect(orders.paidOrders).toBe(2);
    expect(kpisFrom(orders, { rounds: 0, rounds1h: 0 }).repurchaseRate).toBe(0.5);
  });

  it("拼多多: a buyer-day is invalid when a message waited over an hour; one count per buyer and day", () => {
    const slow = analyse(
      conversation([buyer("09:00:00"), agent("10:01:00"), buyer("11:00:00"), agent("11:00:30")], { platform: "pdd" }),
    );
    const t = total(
      buyerDayFacts({ storeId: STORE, identityId: "i", day: "2026-12-01", analyses: [slow], paidOrders: [] }, env()),
    );
    expect(t.pddBuyers).toBe(1);
    expect(t.pddInvalid).toBe(1);
    expect(kpisFrom(t, { rounds: 0, rounds1h: 0 }).platformVariants.pddValidReplyRate).toBe(0);
    // Outside 08:00–23:00 nothing counts for 拼多多.
    const night = analyse(conversation([buyer("23:30:00"), agent("23:35:00")], { platform: "pdd" }));
    expect(
      total(
        buyerDayFacts({ storeId: STORE, identityId: "i", day: "2026-12-01", analyses: [night], paidOrders: [] }, env()),
      ).pddBuyers,
    ).toBe(0);
  });

  it("快手: humans only; a buyer-day reaching a human counts as missed if any wait for a human exceeded 3 min", () => {
    const c = analyse(
      conversation(
        [
          buyer("10:00:00"),
          bot("10:00:02", "您好"),
          buyer("10:01:00", "人工"),
          agent("10:02:00"),
          buyer("14:00:00"),
          agent("14:04:00"),
        ],
        { platform: "kuaishou" },
      ),
    );
    const t = total(
      buyerDayFacts({ storeId: STORE, identityId: "i", day: "2026-12-01", analyses: [c], paidOrders: [] }, env()),
    );
    expect(t.ksBuyers).toBe(1);
    expect(t.ksMissed3m).toBe(1); // the 14:00 question waited 4 min
    const quick = analyse(
      conversation([buyer("10:00:00"), bot("10:00:02"), buyer("10:01:00", "人工"), agent("10:02:00")], {
        platform: "kuaishou",
      }),
    );
    const q = total(
      buyerDayFacts({ storeId: STORE, identityId: "i", day: "2026-12-01", analyses: [quick], paidOrders: [] }, env()),
    );
    expect(q.ksBuyers).toBe(1);
    expect(q.ksMissed3m).toBe(0);
  });
});

describe("resolution, complaints, SLA breaches and ratings", () => {
  it("counts resolution time from the first buyer line, complaints by the 投诉 tag, breaches at their time", () => {
    const c = conversation([buyer("10:00:00", "质量太差了，我要投诉"), agent("10:01:00", "非常抱歉")], {
      status: "resolved",
      resolvedAt: at("10:30:00"),
      tags: ["投诉-服装类目"],
      breaches: [{ breachedAt: at("10:03:00"), assigneeId: AGENT2 }],
    });
    const rows = factsOf(c).rows;
    const t = total(rows);
    expect(t.complaints).toBe(1);
    expect(t.resolved).toBe(1);
    expect(t.resolutionMsSum).toBe(30 * 60_000);
    expect(t.slaBreaches).toBe(1);
    expect(byAgent(rows, AGENT2).slaBreaches).toBe(1);
    expect(rows.every((r) => r.intent === "投诉" && r.category === "服装类目")).toBe(true);
  });

  it("credits a rating to the conversation's owner and intent; CSAT counts 4 and 5", () => {
    const a = analyse(conversation([buyer("10:00:00"), agent("10:00:30")], { tags: ["售后-退换货-鞋子类目"] }));
    const good = total(evaluationFacts({ id: "e1", storeId: STORE, score: 5, createdAt: at("12:00:00") }, a));
    const bad = total(evaluationFacts({ id: "e2", storeId: STORE, score: 2, createdAt: at("12:00:00") }, null));
    const t = addCounters(good, bad);
    const k = kpisFrom(t, { rounds: 0, rounds1h: 0 });
    expect(k.evaluations).toBe(2);
    expect(k.csat).toBe(0.5);
    expect(k.avgRating).toBe(3.5);
  });

  it("counts Yunxi's own survey beside the platform ratings: invitation, answer, and the split", () => {
    const a = analyse(conversation([buyer("10:00:00"), agent("10:00:30")], { tags: ["售后-退换货-鞋子类目"] }));
    const survey = {
      id: "s1",
      storeId: STORE,
      conversationId: a.record.id,
      agentId: AGENT2,
      sentAt: at("10:05:00"),
      delivered: true,
    };
    const answered = surveyFacts({ ...survey, answeredAt: at("10:07:10"), score: 4 }, a);
    expect(answered.map((r) => [r.minute, r.agentId, r.intent])).toEqual([
      [at("10:05:00"), AGENT2, "售后-退换货"],
      [at("10:07:00"), AGENT2, "售后-退换货"],
    ]);
    const waiting = total(surveyFacts({ ...survey, id: "s2", agentId: null, answeredAt: null, score: null }, null));
    expect(waiting).toMatchObject({ surveysSent: 1, surveyResponses: 0 });
    // An invitation the platform did not accept (yet, or ever) is no survey sent; an answer says it arrived.
    const undelivered = { ...survey, id: "s3", delivered: false, answeredAt: null, score: null };
    expect(surveyFacts(undelivered, a)).toEqual([]);
    expect(total(surveyFacts({ ...undelivered, answeredAt: at("10:06:00"), score: 5 }, a))).toMatchObject({
      surveysSent: 1,
      surveyResponses: 1,
    });
    const platform = total(evaluationFacts({ id: "e1", storeId: STORE, score: 2, createdAt: at("12:00:00") }, a));
    const k = kpisFrom(addCounters(addCounters(total(answered), waiting), platform), { rounds: 0, rounds1h: 0 });
    expect(k).toMatchObject({
      evaluations: 1,
      surveysSent: 2,
      surveyResponses: 1,
      surveyResponseRate: 0.5,
      csatPlatform: 0,
      csatSurvey: 1,
      csat: 0.5,
      avgRating: 3,
    });
  });
});

describe("intent tags", () => {
  it("reads the intent and category from the combined tag", () => {
    expect(intentOf(["售后-退换货-鞋子类目"])).toEqual({ intent: "售后-退换货", category: "鞋子类目" });
    expect(intentOf(["VIP", "其他-发票"])).toEqual({ intent: "其他-发票", category: "" });
    expect(intentOf(["其他"])).toEqual({ intent: "其他", category: "" });
    expect(intentOf(["售前-尺码推荐-偏大-鞋子类目"])).toEqual({ intent: "售前-尺码推荐", category: "鞋子类目" });
    expect(intentOf(["VIP"])).toEqual({ intent: "", category: "" });
  });
});
