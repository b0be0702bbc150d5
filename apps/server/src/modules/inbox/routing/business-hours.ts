import type { BusinessHours } from "@yunxi/contracts";
import { zoneOffsetMs } from "../../../platform/time-zone.ts";

/**
 * Business time in the org's time zone. SLA targets count only open hours: a buyer
 * who writes at 23:50 to a store open 09:00–18:00 with a 3-minute target is due at
 * 09:03 the next morning, not at 23:53.
 */

const DAY_MS = 86_400_000;
/** Looking further than this for an open window means the schedule is (almost) never open. */
const MAX_DAYS_AHEAD = 14;

interface LocalTime {
  year: number;
  month: number;
  day: number;
  /** 1 = Monday … 7 = Sunday */
  weekday: number;
}

function localDate(at: Date, timeZone: string): LocalTime {
  const shifted = new Date(at.getTime() + zoneOffsetMs(at.getTime(), timeZone));
  const weekday = shifted.getUTCDay() === 0 ? 7 : shifted.getUTCDay();
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate(), weekday };
}

/** The instant a local wall-clock time (HH:MM on a local date) happens in the zone. */
function zonedInstant(date: LocalTime, clock: string, timeZone: string): number {
  const [h, m] = clock.split(":").map(Number) as [number, number];
  const guess = Date.UTC(date.year, date.month - 1, date.day, h, m);
  const first = guess - zoneOffsetMs(guess, timeZone);
  // Around a DST change the offset at the result may differ from the guess's; one correction suffices.
  return guess - zoneOffsetMs(first, timeZone);
}

/** Open intervals [start, end) in UTC ms of one local day, in order. */
function windowsOfDay(hours: BusinessHours, date: LocalTime, timeZone: string): [number, number][] {
  return hours.windows
    .filter((w) => w.weekday === date.weekday)
    .map((w): [number, number] => [zonedInstant(date, w.start, timeZone), zonedInstant(date, w.end, timeZone)])
    .sort((a, b) => a[0] - b[0]);
}

function* openIntervalsFrom(from: Date, hours: BusinessHours, timeZone: string): Generator<[number, number]> {
  for (let d = 0; d <= MAX_DAYS_AHEAD; d++) {
    const date = localDate(new Date(from.getTime() + d * DAY_MS), timeZone);
    for (const [start, end] of windowsOfDay(hours, date, timeZone)) {
      if (end > from.getTime()) yield [Math.max(start, from.getTime()), end];
    }
  }
}

export function isOpen(at: Date, hours: BusinessHours, timeZone: string): boolean {
  if (hours.alwaysOpen) return true;
  const date = localDate(at, timeZone);
  return windowsOfDay(hours, date, timeZone).some(([s, e]) => at.getTime() >= s && at.getTime() < e);
}

/**
 * The instant `seconds` of business time after `from`. A schedule with no open
 * window in the next two weeks counts calendar time, so a target is never lost.
 */
export function addBusinessSeconds(from: Date, seconds: number, hours: BusinessHours, timeZone: string): Date {
  if (hours.alwaysOpen || hours.windows.length === 0) return new Date(from.getTime() + seconds * 1000);
  let left = seconds * 1000;
  for (const [start, end] of openIntervalsFrom(from, hours, timeZone)) {
    if (end - start >= left) return new Date(start + left);
    left -= end - start;
  }
  return new Date(from.getTime() + seconds * 1000);
}

/** Business seconds between two instants (for waits counted in open hours). */
export function businessSecondsBetween(from: Date, to: Date, hours: BusinessHours, timeZone: string): number {
  if (to <= from) return 0;
  if (hours.alwaysOpen || hours.windows.length === 0) return (to.getTime() - from.getTime()) / 1000;
  let total = 0;
  for (const [start, end] of openIntervalsFrom(from, hours, timeZone)) {
    if (start >= to.getTime()) break;
    total += Math.min(end, to.getTime()) - start;
  }
  return total / 1000;
}

export const alwaysOpen: BusinessHours = { alwaysOpen: true, windows: [] };
