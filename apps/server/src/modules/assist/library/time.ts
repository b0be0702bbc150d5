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
  const offsetAt = (ms: number) => {
    const w = wallClockOf(new Date(ms), timeZone);
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - Math.floor(ms / 60_000) * 60_000;
  };
  let instant = asUtc - offsetAt(asUtc);
  // Across an offset change the first guess is off by the change; one more step settles it.
  instant = asUtc - offsetAt(instant);
  return new Date(instant);
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
