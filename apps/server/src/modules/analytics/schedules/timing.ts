import type { ScheduleCadence } from "@yunxi/contracts";
import { addDays, instantOfLocalTime, localTime, periodOf } from "../time.ts";

/**
 * When a schedule runs and what it reports on, in the org's time zone. Local wall
 * times are turned into instants per day (time.ts), so a 09:00 report stays at 09:00
 * across a DST change, and a time the change skips runs just after the gap.
 */

export interface Timing {
  cadence: ScheduleCadence;
  minuteOfDay: number;
  /** 1 = Monday … 7 = Sunday (weekly). */
  weekday: number | null;
  /** 1…31 (monthly); a shorter month runs on its last day. */
  dayOfMonth: number | null;
}

export const clockToMinutes = (clock: string): number => {
  const [h, m] = clock.split(":").map(Number) as [number, number];
  return h * 60 + m;
};

export const minutesToClock = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

const weekdayOf = (day: string): number => {
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
  return dow === 0 ? 7 : dow;
};

const lastDayOfMonth = (day: string): number => {
  const [y, m] = day.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
};

/** Whether the schedule runs on this local day. */
function runsOn(timing: Timing, day: string): boolean {
  if (timing.cadence === "daily") return true;
  if (timing.cadence === "weekly") return weekdayOf(day) === timing.weekday;
  const dom = Number(day.slice(8, 10));
  return dom === Math.min(timing.dayOfMonth ?? 1, lastDayOfMonth(day));
}

/** The first run strictly after `afterMs`. */
export function nextRunAt(timing: Timing, afterMs: number, timeZone: string): number {
  const today = localTime(afterMs, timeZone).day;
  // Starting the day before covers an instant just after local midnight whose run is late the same wall day.
  for (let i = -1; i <= 32; i++) {
    const day = addDays(today, i);
    if (!runsOn(timing, day)) continue;
    const at = instantOfLocalTime(day, timing.minuteOfDay, timeZone);
    if (at > afterMs) return at;
  }
  throw new Error("No run within 32 days");
}

export interface Period {
  from: string;
  to: string;
}

/**
 * The last whole period before the local day a run happens on: yesterday, last week
 * (Monday–Sunday) or last month. A run that is late (the server was down) still
 * reports on the period before its own day.
 */
export function reportPeriod(cadence: ScheduleCadence, runAtMs: number, timeZone: string): Period {
  const day = localTime(runAtMs, timeZone).day;
  if (cadence === "daily") {
    const yesterday = addDays(day, -1);
    return { from: yesterday, to: yesterday };
  }
  if (cadence === "weekly") {
    const monday = periodOf(day, "week");
    return { from: addDays(monday, -7), to: addDays(monday, -1) };
  }
  const firstOfMonth = periodOf(day, "month");
  const lastOfPrevious = addDays(firstOfMonth, -1);
  return { from: periodOf(lastOfPrevious, "month"), to: lastOfPrevious };
}
