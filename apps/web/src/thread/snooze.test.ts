import { describe, expect, it } from "vitest";
import { parseCustomSnooze, snoozeUntil, toDateTimeLocal } from "./snooze.ts";

describe("snooze presets", () => {
  const now = new Date(2026, 10, 11, 22, 40, 15); // 11-11 22:40 local

  it("30 分钟, 2 小时 from now; 明天 9:00 local time", () => {
    expect(snoozeUntil("30m", now).getTime() - now.getTime()).toBe(30 * 60_000);
    expect(snoozeUntil("2h", now).getTime() - now.getTime()).toBe(2 * 3_600_000);
    expect(snoozeUntil("tomorrow9", now)).toEqual(new Date(2026, 10, 12, 9, 0, 0, 0));
    // Across a month end.
    expect(snoozeUntil("tomorrow9", new Date(2026, 0, 31, 1, 0))).toEqual(new Date(2026, 1, 1, 9, 0));
  });

  it("reads a custom time from a datetime-local input, only in the future", () => {
    expect(toDateTimeLocal(new Date(2026, 10, 12, 9, 5))).toBe("2026-11-12T09:05");
    expect(parseCustomSnooze("2026-11-12T09:05", now)).toEqual(new Date(2026, 10, 12, 9, 5));
    expect(parseCustomSnooze("2026-11-11T22:00", now)).toBeNull();
    expect(parseCustomSnooze("2026-02-30T10:00", now)).toBeNull();
    expect(parseCustomSnooze("", now)).toBeNull();
    expect(parseCustomSnooze("tomorrow", now)).toBeNull();
  });
});
