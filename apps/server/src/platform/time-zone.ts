/**
 * The offset of a time zone at an instant, the one piece every local-time computation
 * needs (business hours, analytics days and windows, campaign windows, schedules).
 * Offsets are cached per zone and hour: a fact computation asks for thousands of instants.
 */

const HOUR_MS = 3_600_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const offsetCache = new Map<string, number>();

/** The zone's offset from UTC at an instant, in ms (Asia/Shanghai: +8 h). */
export function zoneOffsetMs(atMs: number, timeZone: string): number {
  const key = `${timeZone}|${Math.floor(atMs / HOUR_MS)}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const p = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(new Date(atMs))
      .map((x) => [x.type, x.value]),
  );
  const asUtc = Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!);
  const offset = asUtc - Math.floor(atMs / 1000) * 1000;
  if (offsetCache.size > 100_000) offsetCache.clear();
  offsetCache.set(key, offset);
  return offset;
}
