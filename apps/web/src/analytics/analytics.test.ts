import type { Dashboard, ExportJob, IntentReport, QualityRule, RealtimeEvent } from "@yunxi/contracts";
import { describe, expect, it } from "vitest";
import { translator } from "../i18n/locales.ts";
import { parseRoute, routePath } from "../routing/routes.ts";
import {
  agentsByLoad,
  clockIn,
  MIN_TREND_POINTS,
  movesDashboard,
  spikingRows,
  trendWindow,
  volumeTree,
} from "./dashboard-view.ts";
import { mergeJobs } from "./export-state.ts";
import { deltaOf, formatDuration, formatRate, spikeRatio } from "./figures.ts";
import { cleanRules, ruleProblem } from "./quality-rules.ts";
import {
  addDays,
  granularityFor,
  parseReportState,
  periodOf,
  reportQuery,
  reportSearch,
  shiftPeriod,
  todayIn,
} from "./report-range.ts";
import { topQuestionsOverall } from "./report-tabs.ts";
import { isWallboardSearch } from "./use-wallboard.ts";

const zh = translator("zh-CN");
const en = translator("en-US");

describe("the data hub's pages", () => {
  it("has its own paths, the wallboard a query on the dashboard's", () => {
    expect(parseRoute("/dashboard")).toEqual({ page: "dashboard" });
    expect(parseRoute("/reports")).toEqual({ page: "reports" });
    expect(routePath({ page: "dashboard" })).toBe("/dashboard");
    expect(routePath({ page: "reports" })).toBe("/reports");
    expect(isWallboardSearch("?wallboard=1")).toBe(true);
    expect(isWallboardSearch("?wallboard=0")).toBe(false);
  });
});

describe("report periods", () => {
  it("finds the week (Monday to Sunday) and the month of a day", () => {
    expect(periodOf("week", "2026-11-11")).toEqual({ from: "2026-11-09", to: "2026-11-15" });
    expect(periodOf("week", "2026-11-15")).toEqual({ from: "2026-11-09", to: "2026-11-15" });
    expect(periodOf("week", "2026-11-09")).toEqual({ from: "2026-11-09", to: "2026-11-15" });
    expect(periodOf("month", "2024-02-10")).toEqual({ from: "2024-02-01", to: "2024-02-29" });
    expect(periodOf("day", "2026-11-11")).toEqual({ from: "2026-11-11", to: "2026-11-11" });
  });

  it("steps a period back and forth, a custom range by its own length", () => {
    expect(shiftPeriod({ kind: "day", from: "2026-03-01", to: "2026-03-01" }, -1)).toEqual({
      from: "2026-02-28",
      to: "2026-02-28",
    });
    expect(shiftPeriod({ kind: "week", from: "2026-11-09", to: "2026-11-15" }, -1)).toEqual({
      from: "2026-11-02",
      to: "2026-11-08",
    });
    expect(shiftPeriod({ kind: "month", from: "2026-01-01", to: "2026-01-31" }, -1)).toEqual({
      from: "2025-12-01",
      to: "2025-12-31",
    });
    expect(shiftPeriod({ kind: "month", from: "2026-01-01", to: "2026-01-31" }, 1)).toEqual({
      from: "2026-02-01",
      to: "2026-02-28",
    });
    expect(shiftPeriod({ kind: "custom", from: "2026-11-01", to: "2026-11-10" }, 1)).toEqual({
      from: "2026-11-11",
      to: "2026-11-20",
    });
  });

  it("draws days up to two months, then weeks, then months", () => {
    expect(granularityFor("2026-11-01", "2026-11-30")).toBe("day");
    expect(granularityFor("2026-01-01", "2026-05-31")).toBe("week");
    expect(granularityFor("2026-01-01", "2026-12-31")).toBe("month");
  });

  it("knows today where the org is, not where the browser is", () => {
    const lateUtc = Date.parse("2026-11-10T17:30:00Z"); // 01:30 on the 11th in Shanghai
    expect(todayIn("Asia/Shanghai", lateUtc)).toBe("2026-11-11");
    expect(todayIn("UTC", lateUtc)).toBe("2026-11-10");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
  });

  it("keeps the report in the address and reads it back", () => {
    const state = parseReportState(
      "?period=week&from=2026-11-11&tab=quality&platform=jd&storeId=s1&agentId=a1&intent=-&bogus=1",
      "2026-11-20",
    );
    expect(state).toEqual({
      kind: "week",
      from: "2026-11-09",
      to: "2026-11-15",
      tab: "quality",
      filters: { platform: "jd", storeId: "s1", agentId: "a1", intent: "-" },
    });
    expect(parseReportState(reportSearch(state), "2026-11-20")).toEqual(state);
    expect(reportQuery(state)).toEqual({
      from: "2026-11-09",
      to: "2026-11-15",
      platform: "jd",
      storeId: "s1",
      agentId: "a1",
      intent: "-",
    });
  });

  it("falls back to today on a broken address, but keeps a reversed custom range for the server to explain", () => {
    expect(parseReportState("?period=year&from=2026-02-30&platform=myspace", "2026-11-20")).toEqual({
      kind: "day",
      from: "2026-11-20",
      to: "2026-11-20",
      tab: "agents",
      filters: {},
    });
    const reversed = parseReportState("?period=custom&from=2026-11-10&to=2026-11-01", "2026-11-20");
    expect(reversed).toMatchObject({ from: "2026-11-10", to: "2026-11-01" });
  });
});

describe("figures", () => {
  it("shows durations and rates", () => {
    expect(formatDuration(42.4, zh)).toBe("42秒");
    expect(formatDuration(185, zh)).toBe("3分05秒");
    expect(formatDuration(3 * 3600 + 7 * 60, zh)).toBe("3小时07分");
    expect(formatDuration(185, en)).toBe("3m 05s");
    expect(formatDuration(null, zh)).toBe("—");
    expect(formatRate(0.8567)).toBe("85.7%");
    expect(formatRate(null)).toBe("—");
  });

  it("compares with the previous period: relative for counts and times, points for rates, judged by what is better", () => {
    expect(deltaOf("count", 120, 100, "higher", zh)).toEqual({ text: "+20%", direction: "up", tone: "good" });
    expect(deltaOf("seconds", 30, 40, "lower", zh)).toEqual({ text: "-25%", direction: "down", tone: "good" });
    expect(deltaOf("seconds", 50, 40, "lower", zh)).toMatchObject({ direction: "up", tone: "bad" });
    expect(deltaOf("rate", 0.9, 0.85, "higher", zh)).toMatchObject({ text: "+5.0个百分点", tone: "good" });
    expect(deltaOf("rate", 0.1, 0.12, "lower", en)).toMatchObject({ text: "-2.0 pp", tone: "good" });
    expect(deltaOf("count", 5, 0, "neither", zh)).toMatchObject({ text: "新增", tone: "neutral" });
    expect(deltaOf("count", 0, 0, "higher", zh)).toMatchObject({ text: "±0%", direction: "flat" });
    expect(deltaOf("rate", null, 0.5, "higher", zh).text).toBeNull();
    expect(deltaOf("count", 103, 100, "neither", zh).text).toBe("+3.0%");
  });

  it("measures a volume jump against the previous hour's pace", () => {
    expect(spikeRatio(40, 10)).toBe(4);
    expect(spikeRatio(5, 0)).toBeNull();
  });
});

const trend = (values: number[]) =>
  values.map((inbound, i) => ({
    at: new Date(Date.UTC(2026, 10, 10, 16, i * 5)).toISOString(),
    inbound,
    conversations: 0,
  }));

const volume = (over: Partial<Dashboard["platforms"][number]>): Dashboard["platforms"][number] => ({
  platform: "taobao",
  storeId: null,
  label: "淘宝",
  inbound: 0,
  conversations: 0,
  csat: null,
  complaintRate: null,
  responseRate3m: null,
  last15: 0,
  previousHourPer15: 0,
  spike: false,
  trend: [],
  ...over,
});

describe("dashboard panels", () => {
  it("draws the trend from a little before the first traffic, at least the last two hours", () => {
    const quietMorning = new Array(100).fill(0);
    quietMorning[80] = 3;
    expect(trendWindow([trend(quietMorning)])).toEqual({ start: 74, end: 100 });
    const busy = new Array(100).fill(0);
    busy[10] = 1;
    expect(trendWindow([trend(quietMorning), trend(busy)])).toEqual({ start: 4, end: 100 });
    // Nothing yet today: the last two hours.
    expect(trendWindow([trend(new Array(100).fill(0))])).toEqual({ start: 100 - MIN_TREND_POINTS, end: 100 });
    expect(trendWindow([trend([0, 0, 1])])).toEqual({ start: 0, end: 3 });
  });

  it("writes clock times in the org's zone", () => {
    expect(clockIn("2026-11-10T16:05:00Z", "Asia/Shanghai")).toBe("00:05");
  });

  it("lists the spiking platforms and stores, the biggest jump first, and nests stores under platforms", () => {
    const data = {
      platforms: [
        volume({ platform: "taobao", spike: true, last15: 40, previousHourPer15: 10 }),
        volume({ platform: "jd", label: "京东" }),
      ],
      stores: [
        volume({
          platform: "taobao",
          storeId: "s1",
          label: "淘宝-旗舰店",
          spike: true,
          last15: 30,
          previousHourPer15: 3,
        }),
        volume({ platform: "jd", storeId: "s2", label: "京东-自营店" }),
      ],
    };
    expect(spikingRows(data).map((r) => r.label)).toEqual(["淘宝-旗舰店", "淘宝"]);
    const tree = volumeTree(data);
    expect(tree.map((r) => [r.key, r.children?.map((c) => c.key)])).toEqual([
      ["platform:taobao", ["store:s1"]],
      ["platform:jd", ["store:s2"]],
    ]);
  });

  it("puts the busiest agents first on the wallboard, offline ones last", () => {
    const agent = (name: string, status: string, load: number) => ({
      userId: name,
      name,
      status,
      load,
      capacity: 5,
      handledToday: 0,
      avgResponseSeconds: null,
      responseRate3m: null,
      conversionRate: null,
      onlineSeconds: 0,
    });
    const sorted = agentsByLoad([agent("a", "offline", 4), agent("b", "online", 1), agent("c", "busy", 3)]);
    expect(sorted.map((a) => a.name)).toEqual(["c", "b", "a"]);
  });

  it("refreshes on the events that move a figure", () => {
    const event = (type: string) => ({ type }) as RealtimeEvent;
    expect(movesDashboard(event("message.created"))).toBe(true);
    expect(movesDashboard(event("agent.updated"))).toBe(true);
    expect(movesDashboard(event("library.changed"))).toBe(false);
  });
});

describe("reports", () => {
  it("merges the top questions of every intent", () => {
    const row = (intent: string, topQuestions: { text: string; count: number }[]): IntentReport["items"][number] => ({
      intent,
      conversations: 1,
      previousConversations: 0,
      share: null,
      complaints: 0,
      categories: [],
      topQuestions,
    });
    expect(
      topQuestionsOverall([
        row("物流-发货时间", [
          { text: "什么时候发货", count: 5 },
          { text: "在吗", count: 1 },
        ]),
        row("售后-退换货", [
          { text: "怎么退货", count: 3 },
          { text: "在吗", count: 4 },
        ]),
      ]),
    ).toEqual([
      { text: "什么时候发货", count: 5, intent: "物流-发货时间" },
      { text: "在吗", count: 5, intent: "售后-退换货" },
      { text: "怎么退货", count: 3, intent: "售后-退换货" },
    ]);
  });

  it("follows export jobs without going back to an older state", () => {
    const job = (id: string, status: ExportJob["status"], createdAt: string): ExportJob => ({
      id,
      format: "xlsx",
      status,
      progress: status === "done" ? 100 : 10,
      error: null,
      fileName: null,
      sizeBytes: null,
      from: "2026-11-01",
      to: "2026-11-07",
      createdAt,
      finishedAt: null,
    });
    const known = [job("a", "done", "2026-11-08T01:00:00Z")];
    const merged = mergeJobs(known, [
      job("a", "running", "2026-11-08T01:00:00Z"),
      job("b", "queued", "2026-11-08T02:00:00Z"),
    ]);
    expect(merged.map((j) => [j.id, j.status])).toEqual([
      ["b", "queued"],
      ["a", "done"],
    ]);
  });

  it("cleans quality rules and finds what the server would refuse", () => {
    const rule = (over: Partial<QualityRule>): QualityRule => ({
      id: "no_greeting",
      enabled: true,
      score: 5,
      level: "info",
      phrases: ["您好"],
      seconds: null,
      ...over,
    });
    expect(cleanRules([rule({ phrases: [" 您好 ", "", "您好", "亲"] })])[0]?.phrases).toEqual(["您好", "亲"]);
    expect(ruleProblem([rule({})])).toBeNull();
    expect(ruleProblem([rule({ phrases: ["长".repeat(41)] })])?.key).toBe("analytics.rules.phraseTooLong");
    expect(ruleProblem([rule({ id: "wait_without_apology", seconds: null })])?.key).toBe(
      "analytics.rules.secondsRange",
    );
  });
});
