import { KpiQuery } from "@yunxi/contracts";
import { describe, expect, it } from "vitest";
import { previousRange, resolveRange } from "./scope.ts";
import { inDailyWindow, localTime, periodOf, startOfLocalDay } from "./time.ts";

describe("local time in the org's zone", () => {
  it("finds days, minutes and weekdays in Asia/Shanghai and in a half-hour zone", () => {
    const t = localTime(Date.parse("2026-11-30T16:30:00Z"), "Asia/Shanghai");
    expect(t).toMatchObject({ day: "2026-12-01", minuteOfDay: 30, weekday: 2 });
    expect(localTime(Date.parse("2026-11-30T18:45:00Z"), "Asia/Kolkata").minuteOfDay).toBe(15);
    expect(startOfLocalDay("2026-12-01", "Asia/Shanghai")).toBe(Date.parse("2026-11-30T16:00:00Z"));
    expect(startOfLocalDay("2026-03-08", "America/New_York")).toBe(Date.parse("2026-03-08T05:00:00Z"));
  });

  it("tests daily windows, including 08:00–24:00 and ones wrapping midnight", () => {
    const at = (clock: string) => localTime(Date.parse(`2026-12-01T${clock}+08:00`), "Asia/Shanghai");
    expect(inDailyWindow(at("07:59:59"), 480, 1440)).toBe(false);
    expect(inDailyWindow(at("08:00:00"), 480, 1440)).toBe(true);
    expect(inDailyWindow(at("23:59:59"), 480, 1440)).toBe(true);
    expect(inDailyWindow(at("22:59:59"), 480, 1380)).toBe(true);
    expect(inDailyWindow(at("23:00:00"), 480, 1380)).toBe(false);
    expect(inDailyWindow(at("23:30:00"), 1380, 540)).toBe(true);
    expect(inDailyWindow(at("12:00:00"), 1380, 540)).toBe(false);
  });

  it("starts weeks on Monday and months on the 1st", () => {
    expect(periodOf("2026-12-03", "week")).toBe("2026-11-30");
    expect(periodOf("2026-11-30", "week")).toBe("2026-11-30");
    expect(periodOf("2026-12-06", "week")).toBe("2026-11-30");
    expect(periodOf("2026-12-31", "month")).toBe("2026-12-01");
  });
});

describe("ranges", () => {
  it("compares with the period before: as many days, or as many whole months", () => {
    const tz = "Asia/Shanghai";
    expect(previousRange("2026-11-23", "2026-11-29", tz)).toMatchObject({ from: "2026-11-16", to: "2026-11-22" });
    expect(previousRange("2026-11-01", "2026-11-30", tz)).toMatchObject({ from: "2026-10-01", to: "2026-10-31" });
    expect(previousRange("2026-03-01", "2026-03-31", tz)).toMatchObject({ from: "2026-02-01", to: "2026-02-28" });
    expect(previousRange("2026-01-01", "2026-03-31", tz)).toMatchObject({ from: "2025-10-01", to: "2025-12-31" });
    const r = resolveRange("2026-12-01", "2026-12-01", tz);
    expect(r.start).toBe("2026-11-30T16:00:00.000Z");
    expect(r.end).toBe("2026-12-01T16:00:00.000Z");
  });

  it("refuses reversed, absurdly long and malformed ranges, and unknown parameters", () => {
    const parse = (q: Record<string, string>) => KpiQuery.safeParse(q);
    expect(parse({ from: "2026-12-01", to: "2026-12-07" }).success).toBe(true);
    expect(parse({ from: "2026-12-07", to: "2026-12-01" }).error?.issues[0]?.message).toMatch(/ends before/);
    expect(parse({ from: "2020-01-01", to: "2026-12-01" }).error?.issues[0]?.message).toMatch(/at most 366 days/);
    expect(parse({ from: "2026-02-30", to: "2026-03-01" }).success).toBe(false);
    expect(parse({ from: "2026-12-01", to: "2026-12-02", colour: "red" }).success).toBe(false);
    expect(parse({ from: "2026-12-01", to: "2026-12-02", granularity: "hour" }).success).toBe(false);
  });
});
