import { describe, expect, it } from "vitest";
import { instantOfLocalTime } from "../time.ts";
import { clockToMinutes, nextRunAt, reportPeriod, type Timing } from "./timing.ts";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const daily = (clock: string): Timing => ({
  cadence: "daily",
  minuteOfDay: clockToMinutes(clock),
  weekday: null,
  dayOfMonth: null,
});

describe("next run of a schedule", () => {
  it("daily 09:00 in Shanghai: today if still ahead, else tomorrow", () => {
    const t = daily("09:00");
    // 08:59 local = 00:59Z
    expect(iso(nextRunAt(t, at("2026-03-10T00:59:00Z"), "Asia/Shanghai"))).toBe("2026-03-10T01:00:00.000Z");
    // exactly 09:00: the next one is tomorrow (strictly after)
    expect(iso(nextRunAt(t, at("2026-03-10T01:00:00Z"), "Asia/Shanghai"))).toBe("2026-03-11T01:00:00.000Z");
    // 23:30 local on the 10th = 15:30Z; the local day is already the 11th after 16:00Z
    expect(iso(nextRunAt(t, at("2026-03-10T15:30:00Z"), "Asia/Shanghai"))).toBe("2026-03-11T01:00:00.000Z");
    expect(iso(nextRunAt(t, at("2026-03-10T16:30:00Z"), "Asia/Shanghai"))).toBe("2026-03-11T01:00:00.000Z");
  });

  it("daily 00:00 in Shanghai runs at local midnight", () => {
    expect(iso(nextRunAt(daily("00:00"), at("2026-03-10T15:00:00Z"), "Asia/Shanghai"))).toBe(
      "2026-03-10T16:00:00.000Z",
    );
  });

  it("daily 09:00 in Berlin stays at 09:00 local across both DST changes", () => {
    const t = daily("09:00");
    // Sunday 29 March 2026: clocks go 02:00 → 03:00 (CET +1 → CEST +2).
    expect(iso(nextRunAt(t, at("2026-03-28T09:00:00Z"), "Europe/Berlin"))).toBe("2026-03-29T07:00:00.000Z");
    const before = nextRunAt(t, at("2026-03-27T12:00:00Z"), "Europe/Berlin");
    expect(iso(before)).toBe("2026-03-28T08:00:00.000Z");
    // Sunday 25 October 2026: clocks go 03:00 → 02:00 (CEST → CET).
    expect(iso(nextRunAt(t, at("2026-10-24T08:00:00Z"), "Europe/Berlin"))).toBe("2026-10-25T08:00:00.000Z");
  });

  it("a time DST skips runs after the gap; a repeated time runs once, at its first occurrence", () => {
    const t = daily("02:30");
    expect(iso(nextRunAt(t, at("2026-03-28T12:00:00Z"), "Europe/Berlin"))).toBe("2026-03-29T01:30:00.000Z");
    const first = nextRunAt(t, at("2026-10-24T12:00:00Z"), "Europe/Berlin");
    expect(iso(first)).toBe("2026-10-25T00:30:00.000Z");
    // After the first 02:30 the next run is the following day, not the repeated 02:30.
    expect(iso(nextRunAt(t, first, "Europe/Berlin"))).toBe("2026-10-26T01:30:00.000Z");
    expect(iso(instantOfLocalTime("2026-03-29", 150, "Europe/Berlin"))).toBe("2026-03-29T01:30:00.000Z");
  });

  it("weekly on Monday 08:30", () => {
    const t: Timing = { cadence: "weekly", minuteOfDay: clockToMinutes("08:30"), weekday: 1, dayOfMonth: null };
    // Wednesday 2026-03-11 → Monday 2026-03-16 08:30 Shanghai
    expect(iso(nextRunAt(t, at("2026-03-11T04:00:00Z"), "Asia/Shanghai"))).toBe("2026-03-16T00:30:00.000Z");
    // Monday 08:30 itself → the next Monday
    expect(iso(nextRunAt(t, at("2026-03-16T00:30:00Z"), "Asia/Shanghai"))).toBe("2026-03-23T00:30:00.000Z");
    // Sunday (weekday 7) in Berlin across the spring change
    const sunday: Timing = { ...t, weekday: 7, minuteOfDay: clockToMinutes("09:00") };
    expect(iso(nextRunAt(sunday, at("2026-03-23T00:00:00Z"), "Europe/Berlin"))).toBe("2026-03-29T07:00:00.000Z");
  });

  it("monthly on the 31st runs on the last day of shorter months", () => {
    const t: Timing = { cadence: "monthly", minuteOfDay: clockToMinutes("09:00"), weekday: null, dayOfMonth: 31 };
    expect(iso(nextRunAt(t, at("2026-01-31T02:00:00Z"), "Asia/Shanghai"))).toBe("2026-02-28T01:00:00.000Z");
    expect(iso(nextRunAt(t, at("2028-02-01T00:00:00Z"), "Asia/Shanghai"))).toBe("2028-02-29T01:00:00.000Z");
    expect(iso(nextRunAt(t, at("2026-04-01T00:00:00Z"), "Asia/Shanghai"))).toBe("2026-04-30T01:00:00.000Z");
    expect(iso(nextRunAt(t, at("2026-04-30T01:00:00Z"), "Asia/Shanghai"))).toBe("2026-05-31T01:00:00.000Z");
  });

  it("monthly on the 1st at 09:00 in Berlin, year end included", () => {
    const t: Timing = { cadence: "monthly", minuteOfDay: clockToMinutes("09:00"), weekday: null, dayOfMonth: 1 };
    expect(iso(nextRunAt(t, at("2026-12-15T00:00:00Z"), "Europe/Berlin"))).toBe("2027-01-01T08:00:00.000Z");
    expect(iso(nextRunAt(t, at("2026-03-15T00:00:00Z"), "Europe/Berlin"))).toBe("2026-04-01T07:00:00.000Z");
  });
});

describe("the period a run reports on", () => {
  const sh = "Asia/Shanghai";
  it("daily: yesterday in the org's time zone", () => {
    // 2026-03-10 00:30 local is still 2026-03-09 in UTC
    expect(reportPeriod("daily", at("2026-03-09T16:30:00Z"), sh)).toEqual({ from: "2026-03-09", to: "2026-03-09" });
    expect(reportPeriod("daily", at("2026-03-01T01:00:00Z"), sh)).toEqual({ from: "2026-02-28", to: "2026-02-28" });
  });
  it("weekly: last Monday to Sunday, whatever weekday it runs on", () => {
    // Monday 2026-03-16
    expect(reportPeriod("weekly", at("2026-03-16T01:00:00Z"), sh)).toEqual({ from: "2026-03-09", to: "2026-03-15" });
    // Sunday 2026-03-22: the week before is still 9–15
    expect(reportPeriod("weekly", at("2026-03-22T01:00:00Z"), sh)).toEqual({ from: "2026-03-09", to: "2026-03-15" });
  });
  it("monthly: the last calendar month, across the year end and a leap February", () => {
    expect(reportPeriod("monthly", at("2027-01-01T01:00:00Z"), sh)).toEqual({ from: "2026-12-01", to: "2026-12-31" });
    expect(reportPeriod("monthly", at("2028-03-01T01:00:00Z"), sh)).toEqual({ from: "2028-02-01", to: "2028-02-29" });
    expect(reportPeriod("monthly", at("2026-03-31T01:00:00Z"), "Europe/Berlin")).toEqual({
      from: "2026-02-01",
      to: "2026-02-28",
    });
  });
});
