import { describe, expect, it } from "vitest";
import { analyse, type ConversationRecord, conversationFacts, sortTimeline, type TimelineMessage } from "./facts.ts";
import { checkQuality, defaultQualityRules, effectiveRules, normaliseLine, qualityScore } from "./quality.ts";

const at = (clock: string) => Date.parse(`2026-12-01T${clock}+08:00`);
let seq = 0;
const msg = (kind: TimelineMessage["kind"], clock: string, text: string): TimelineMessage => ({
  id: `q${++seq}`,
  at: at(clock),
  kind,
  senderId: kind === "human" ? "agent-1" : null,
  text,
});

function check(lines: TimelineMessage[], rules = defaultQualityRules) {
  const record: ConversationRecord = {
    id: "c",
    orgId: "o",
    storeId: "s",
    platform: "taobao",
    customerId: "cu",
    identityId: "i",
    status: "resolved",
    assigneeId: "agent-1",
    resolvedAt: at("23:00:00"),
    tags: [],
    mergedIntoId: null,
    timeline: sortTimeline(lines),
    breaches: [],
  };
  const a = analyse(record);
  return checkQuality(rules, record.timeline, a.rounds);
}

const good = () => [
  msg("buyer", "10:00:00", "这件有M码吗"),
  msg("human", "10:00:30", "亲，您好，有M码的"),
  msg("buyer", "10:01:00", "好的，谢谢"),
  msg("human", "10:01:20", "感谢您的咨询，满意的话请给个五星好评哦"),
];

describe("quality checks (质检)", () => {
  it("passes a conversation that greets, closes politely and invites a rating", () => {
    expect(check(good())).toEqual([]);
  });

  it("flags a missing greeting with the agent's first line", () => {
    const [f] = check([msg("buyer", "10:00:00", "有货吗"), msg("human", "10:00:20", "有的，感谢，请给五星评价")]);
    expect(f?.rule).toBe("no_greeting");
    expect(f?.lines.map((l) => l.text)).toEqual(["有的，感谢，请给五星评价"]);
  });

  it("flags a closing line not to standard", () => {
    const findings = check([
      msg("buyer", "10:00:00", "有货吗"),
      msg("human", "10:00:20", "您好，有的。好评哦"),
      msg("human", "10:00:40", "拍吧"),
    ]);
    expect(findings.map((f) => f.rule)).toEqual(["closing_not_standard"]);
    expect(findings[0]!.lines[0]!.text).toBe("拍吧");
  });

  it("flags a buyer who had to repeat themselves, or nudge while waiting", () => {
    const repeated = check([
      msg("buyer", "10:00:00", "什么时候发货？"),
      msg("human", "10:00:20", "您好，请稍候"),
      msg("human", "10:00:50", "您好，48小时内发货，感谢您，请给五星评价"),
      msg("buyer", "10:02:00", "什么时候发货"),
      msg("human", "10:02:10", "感谢，亲，48小时内"),
    ]);
    const f = repeated.find((x) => x.rule === "buyer_repeated");
    expect(f?.lines.map((l) => l.text)).toEqual(["什么时候发货？", "什么时候发货"]);
    const nudged = check([
      msg("buyer", "10:00:00", "这个能便宜吗"),
      msg("buyer", "10:01:00", "在吗？？"),
      msg("human", "10:01:30", "您好，可以领券，感谢，好评哦"),
    ]);
    expect(nudged.find((x) => x.rule === "buyer_repeated")?.lines.map((l) => l.text)).toEqual(["在吗？？"]);
    expect(normaliseLine("在吗？？ ")).toBe("在吗");
  });

  it("flags a wait over 3 minutes answered without an apology", () => {
    const findings = check([
      msg("buyer", "10:00:00", "退款到哪了"),
      msg("human", "10:04:00", "您好，已经退了，感谢，请给五星评价"),
    ]);
    const f = findings.find((x) => x.rule === "wait_without_apology");
    expect(f?.level).toBe("critical");
    expect(f?.lines.map((l) => l.sender)).toEqual(["buyer", "agent"]);
    const sorry = check([
      msg("buyer", "10:00:00", "退款到哪了"),
      msg("human", "10:04:00", "您好，抱歉久等了，已经退了，感谢，请给五星评价"),
    ]);
    expect(sorry.find((x) => x.rule === "wait_without_apology")).toBeUndefined();
  });

  it("flags 稍等 without coming back within 15 minutes", () => {
    const findings = check([
      msg("buyer", "10:00:00", "帮我查下物流"),
      msg("human", "10:00:20", "您好，稍等，我查一下"),
      msg("human", "10:20:00", "已经到杭州了，感谢您，请给五星评价"),
    ]);
    expect(findings.find((x) => x.rule === "hold_without_return")?.lines.map((l) => l.text)).toEqual([
      "您好，稍等，我查一下",
    ]);
    const back = check([
      msg("buyer", "10:00:00", "帮我查下物流"),
      msg("human", "10:00:20", "您好，稍等，我查一下"),
      msg("human", "10:05:00", "已经到杭州了，感谢您，请给五星评价"),
    ]);
    expect(back.find((x) => x.rule === "hold_without_return")).toBeUndefined();
  });

  it("flags a conversation without an invitation to rate", () => {
    const findings = check([msg("buyer", "10:00:00", "有货吗"), msg("human", "10:00:20", "您好，有的，谢谢")]);
    expect(findings.map((f) => f.rule)).toEqual(["no_evaluation_invite"]);
    expect(qualityScore(findings)).toBe(95);
  });

  it("follows the org's rules: disabled rules do not run, scores and phrases are the org's", () => {
    const rules = effectiveRules([
      { id: "no_evaluation_invite", enabled: false, score: 5, level: "info", phrases: ["评价"], seconds: null },
      { id: "no_greeting", enabled: true, score: 30, level: "critical", phrases: ["欢迎光临"], seconds: null },
    ]);
    const findings = check([msg("buyer", "10:00:00", "有货吗"), msg("human", "10:00:20", "您好，有的，谢谢")], rules);
    expect(findings.map((f) => [f.rule, f.score, f.level])).toEqual([["no_greeting", 30, "critical"]]);
    expect(qualityScore(findings)).toBe(70);
  });

  it("checks only resolved conversations with a human reply, and scores them into the rollups", () => {
    const record: ConversationRecord = {
      id: "c2",
      orgId: "o",
      storeId: "s",
      platform: "taobao",
      customerId: "cu",
      identityId: "i",
      status: "open",
      assigneeId: "agent-1",
      resolvedAt: null,
      tags: [],
      mergedIntoId: null,
      timeline: sortTimeline([msg("buyer", "10:00:00", "有货吗"), msg("human", "10:00:20", "有")]),
      breaches: [],
    };
    const env = {
      timeZone: "Asia/Shanghai",
      businessHours: () => ({ alwaysOpen: true, windows: [] }),
      conversionWindowMs: 86_400_000,
      qualityRules: defaultQualityRules,
    };
    expect(conversationFacts(analyse(record), env).summary?.qcScore).toBeNull();
    const resolved = conversationFacts(analyse({ ...record, status: "resolved", resolvedAt: at("10:30:00") }), env);
    expect(resolved.summary?.qcScore).toBe(100 - 10 - 10 - 5);
    expect(resolved.summary?.qcLevel).toBe("warning");
    const t = resolved.rows.find((r) => r.counters.qcChecked === 1)!;
    expect(t.minute).toBe(at("10:30:00"));
    expect(t.counters.qcScoreSum).toBe(75);
    expect(t.counters.qcAlerts).toBe(1);
  });
});
