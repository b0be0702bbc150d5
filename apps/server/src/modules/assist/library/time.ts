import { zoneOffsetMs } from "../../../platform/time-zone.ts";

/** Wall-clock times in the org's time zone (Excel cells carry no zone: CS teams mean their own). */

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** The wall clock of an instant in a time zone. */
export function wallClockOf(instant: Date, timeZone: string): WallClock {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    hourCycle: "h23",
  }).formatToParts(instant);
  const n = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: n("year"), month: n("month"), day: n("day"), hour: n("hour"), minute: n("minute") };
}

/** The instant a wall-clock time in a time zone names. */
export function instantOf(wall: WallClock, timeZone: string): Date {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const instant = asUtc - zoneOffsetMs(asUtc, timeZone);
  // Across an offset change the first guess is off by the change; one more step settles it.
  return new Date(asUtc - zoneOffsetMs(instant, timeZone));
}

const clockParts = new Map<string, Intl.DateTimeFormat>();

/** `11月12日 18:00` in the org's time zone: how replies and the bot name a time to a buyer. */
export function formatChineseTime(at: Date, timeZone: string): string {
  let f = clockParts.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      month: "numeric",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    clockParts.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.month}月${p.day}日 ${p.hour}:${p.minute}`;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** `2026-11-01`, or `2026-11-01 09:30` when not at midnight. */
export function formatWallClock(wall: WallClock): string {
  const date = `${wall.year}-${pad(wall.month)}-${pad(wall.day)}`;
  return wall.hour === 0 && wall.minute === 0 ? date : `${date} ${pad(wall.hour)}:${pad(wall.minute)}`;
}

/** The day before a wall-clock date (calendar arithmetic, zone-free). */
export function previousDay(wall: WallClock): WallClock {
  const d = new Date(Date.UTC(wall.year, wall.month - 1, wall.day - 1));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: 0, minute: 0 };
}

export function nextDay(wall: WallClock): WallClock {
  const d = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + 1));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: 0, minute: 0 };
}
