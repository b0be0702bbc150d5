import type { BusinessHours } from "@yunxi/contracts";
import { describe, expect, it } from "vitest";
import { zoneOffsetMs } from "../../../platform/time-zone.ts";
import { addBusinessSeconds, businessSecondsBetween, isOpen } from "./business-hours.ts";

const tz = "Asia/Shanghai";
/** Mon–Fri 09:00–18:00, Sat 10:00–12:00 */
const office: BusinessHours = {
  alwaysOpen: false,
  windows: [
    ...[1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: "09:00", end: "18:00" })),
    { weekday: 6, start: "10:00", end: "12:00" },
  ],
};
// 2026-12-01 is a Tuesday. Shanghai is UTC+8 all year.
const sh = (iso: string) => new Date(`${iso}+08:00`);

describe("business hours", () => {
  it("knows the zone's offset", () => {
    expect(zoneOffsetMs(Date.parse("2026-12-01T00:00:00Z"), tz)).toBe(8 * 3600_000);
  });

  it("is open inside a window and closed outside", () => {
    expect(isOpen(sh("2026-12-01T09:00:00"), office, tz)).toBe(true);
    expect(isOpen(sh("2026-12-01T17:59:59"), office, tz)).toBe(true);
    expect(isOpen(sh("2026-12-01T18:00:00"), office, tz)).toBe(false);
    expect(isOpen(sh("2026-12-05T11:00:00"), office, tz)).toBe(true); // Saturday
    expect(isOpen(sh("2026-12-07T11:00:00"), office, tz)).toBe(true); // Monday
    expect(isOpen(sh("2026-12-05T13:00:00"), office, tz)).toBe(false);
    expect(isOpen(sh("2026-12-06T11:00:00"), office, tz)).toBe(false); // Sunday
  });

  it("adds business time within a window", () => {
    expect(addBusinessSeconds(sh("2026-12-01T10:00:00"), 180, office, tz)).toEqual(sh("2026-12-01T10:03:00"));
  });

  it("carries a target over the night into the next opening", () => {
    expect(addBusinessSeconds(sh("2026-12-01T23:50:00"), 180, office, tz)).toEqual(sh("2026-12-02T09:03:00"));
    expect(addBusinessSeconds(sh("2026-12-01T17:59:00"), 180, office, tz)).toEqual(sh("2026-12-02T09:02:00"));
  });

  it("skips Sunday and spans several windows", () => {
    // Saturday 11:30 + 1 h: 30 min on Saturday, then Monday 09:30.
    expect(addBusinessSeconds(sh("2026-12-05T11:30:00"), 3600, office, tz)).toEqual(sh("2026-12-07T09:30:00"));
  });

  it("counts business seconds between two instants", () => {
    expect(businessSecondsBetween(sh("2026-12-01T17:00:00"), sh("2026-12-02T10:00:00"), office, tz)).toBe(7200);
    expect(businessSecondsBetween(sh("2026-12-02T10:00:00"), sh("2026-12-01T10:00:00"), office, tz)).toBe(0);
  });

  it("counts calendar time when always open or when no window ever opens", () => {
    const start = sh("2026-12-01T23:50:00");
    expect(addBusinessSeconds(start, 60, { alwaysOpen: true, windows: [] }, tz)).toEqual(sh("2026-12-01T23:51:00"));
    expect(addBusinessSeconds(start, 60, { alwaysOpen: false, windows: [] }, tz)).toEqual(sh("2026-12-01T23:51:00"));
  });

  it("works in a zone with daylight saving time", () => {
    const ny = "America/New_York";
    const hours: BusinessHours = { alwaysOpen: false, windows: [{ weekday: 1, start: "09:00", end: "17:00" }] };
    // Sunday 2026-03-08 is the spring-forward day; Monday 09:00 EDT is 13:00 UTC.
    expect(addBusinessSeconds(new Date("2026-03-08T12:00:00Z"), 60, hours, ny)).toEqual(
      new Date("2026-03-09T13:01:00Z"),
    );
  });
});
