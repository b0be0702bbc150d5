/**
 * Snooze presets: 30 分钟, 2 小时, 明天 9:00 (in the agent's local time), or a custom time.
 * Pure: `now` is passed in, so tests pin the clock.
 */

export const snoozePresets = ["30m", "2h", "tomorrow9"] as const;
export type SnoozePreset = (typeof snoozePresets)[number];

export function snoozeUntil(preset: SnoozePreset, now: Date): Date {
  switch (preset) {
    case "30m":
      return new Date(now.getTime() + 30 * 60_000);
    case "2h":
      return new Date(now.getTime() + 2 * 3_600_000);
    case "tomorrow9":
      return new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 9, 0, 0, 0);
  }
}

const pad = (n: number) => String(n).padStart(2, "0");

/** A `<input type="datetime-local">` value (local time, minutes). */
export function toDateTimeLocal(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The time a `datetime-local` input holds, or null when it is empty, malformed or not in the future. */
export function parseCustomSnooze(value: string, now: Date): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const date = new Date(y, mo - 1, d, h, mi, 0, 0);
  if (date.getMonth() !== mo - 1 || date.getDate() !== d) return null; // 02-30 and the like
  return date.getTime() > now.getTime() ? date : null;
}
