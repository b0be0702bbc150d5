import type { AnalyticsGranularity, BusinessHours } from "@yunxi/contracts";
import { zoneOffsetMs } from "../../platform/time-zone.ts";

/**
 * Local time in the org's time zone, for windows (08:00–24:00), business hours and
 * day/week/month boundaries. The offsets come from platform/time-zone.ts
 * (cached per zone and hour).
 */

const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;

export { zoneOffsetMs };

export interface LocalTime {
  /** YYYY-MM-DD */
  day: string;
  /** Minutes since local midnight. */
  minuteOfDay: number;
  /** Milliseconds since local midnight. */
  msOfDay: number;
  /** 1 = Monday … 7 = Sunday */
  weekday: number;
}

export function localTime(atMs: number, timeZone: string): LocalTime {
  const shifted = new Date(atMs + zoneOffsetMs(atMs, timeZone));
  const msOfDay = shifted.getTime() - Math.floor(shifted.getTime() / DAY_MS) * DAY_MS;
  const dow = shifted.getUTCDay();
  return {
    day: shifted.toISOString().slice(0, 10),
    minuteOfDay: Math.floor(msOfDay / MINUTE_MS),
    msOfDay,
    weekday: dow === 0 ? 7 : dow,
  };
}

export const localDay = (atMs: number, timeZone: string): string => localTime(atMs, timeZone).day;

/** The instant a local calendar day begins. */
export function startOfLocalDay(day: string, timeZone: string): number {
  const guess = Date.parse(`${day}T00:00:00Z`);
  const first = guess - zoneOffsetMs(guess, timeZone);
  // Around a DST change the offset at the result may differ from the guess's; one correction suffices.
  return guess - zoneOffsetMs(first, timeZone);
}

/**
 * The instant a local wall-clock time occurs on a local day. A time that occurs twice
 * (the hour repeated when DST ends) is its first occurrence; a time that does not occur
 * (skipped when DST starts) is moved forward by the gap (02:30 → 03:30 in Berlin).
 */
export function instantOfLocalTime(day: string, minuteOfDay: number, timeZone: string): number {
  const wall = Date.parse(`${day}T00:00:00Z`) + minuteOfDay * MINUTE_MS;
  // The offsets in force around that day: before and after a change, if there is one.
  const before = zoneOffsetMs(wall - 14 * HOUR_MS, timeZone);
  const after = zoneOffsetMs(wall + 14 * HOUR_MS, timeZone);
  for (const offset of [Math.max(before, after), Math.min(before, after)]) {
    const at = wall - offset;
    if (at + zoneOffsetMs(at, timeZone) === wall) return at;
  }
  return wall - Math.min(before, after);
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Every local day from `from` to `to`, inclusive. */
export function daysOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** The first day of the period (day, ISO week starting Monday, month) that contains `day`. */
export function periodOf(day: string, granularity: AnalyticsGranularity): string {
  if (granularity === "day") return day;
  if (granularity === "month") return `${day.slice(0, 8)}01`;
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addDays(day, -((dow + 6) % 7));
}

/**
 * Whether a local time falls in a daily window [startMinute, endMinute), e.g.
 * 08:00–24:00 = [480, 1440). A window with end < start wraps midnight.
 */
export function inDailyWindow(t: LocalTime, startMinute: number, endMinute: number): boolean {
  return startMinute <= endMinute
    ? t.minuteOfDay >= startMinute && t.minuteOfDay < endMinute
    : t.minuteOfDay >= startMinute || t.minuteOfDay < endMinute;
}

const clockMinutes = (clock: string): number => {
  const [h, m] = clock.split(":").map(Number) as [number, number];
  return h * 60 + m;
};

/** Whether a store with these business hours is open at a local time (no windows: always, as for SLA). */
export function isOpenAt(hours: BusinessHours, t: LocalTime): boolean {
  if (hours.alwaysOpen || hours.windows.length === 0) return true;
  return hours.windows.some(
    (w) => w.weekday === t.weekday && t.minuteOfDay >= clockMinutes(w.start) && t.minuteOfDay < clockMinutes(w.end),
  );
}

export const floorMinute = (ms: number): number => Math.floor(ms / MINUTE_MS) * MINUTE_MS;

/**
 * The local days [startMs, endMs) spans when it is made of whole days, or runs from a day's
 * start to now or later (today so far: nothing lies after now): what per-day rows can
 * answer. Null for any other range.
 */
export function wholeLocalDays(
  startMs: number,
  endMs: number,
  nowMs: number,
  timeZone: string,
): { first: string; last: string } | null {
  const aligned = (ms: number) => startOfLocalDay(localDay(ms, timeZone), timeZone) === ms;
  if (!aligned(startMs) || !(aligned(endMs) || endMs >= floorMinute(nowMs) + MINUTE_MS)) return null;
  return { first: localDay(startMs, timeZone), last: localDay(endMs - 1, timeZone) };
}
