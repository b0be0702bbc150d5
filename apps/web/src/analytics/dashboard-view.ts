import type { Dashboard, RealtimeEvent } from "@yunxi/contracts";

/**
 * Pure shaping of the live dashboard's answer for its panels: which part of today's 5-minute
 * trend to draw, the time labels in the org's zone, the platforms whose volume jumps.
 */

export type TrendPoint = Dashboard["platforms"][number]["trend"][number];
export type VolumeRow = Dashboard["platforms"][number];

/** Two hours of 5-minute points at least, so a quiet morning still shows a line. */
export const MIN_TREND_POINTS = 24;
/** Points kept before the first traffic of the day, for context. */
const LEAD_POINTS = 6;

/**
 * The slice of today's points worth drawing: from a little before the first traffic of any
 * platform to now, but at least the last two hours. The same slice for every platform.
 */
export function trendWindow(series: readonly (readonly TrendPoint[])[]): { start: number; end: number } {
  const length = Math.max(0, ...series.map((points) => points.length));
  let first = length;
  for (const points of series) {
    const index = points.findIndex((p) => p.inbound > 0 || p.conversations > 0);
    if (index >= 0 && index < first) first = index;
  }
  const start = Math.max(0, Math.min(first - LEAD_POINTS, length - MIN_TREND_POINTS));
  return { start, end: length };
}

const clockFormats = new Map<string, Intl.DateTimeFormat>();

/** "14:05" (or "14:05:09") in the org's time zone (the browser may be elsewhere). */
export function clockIn(iso: string, timeZone: string, seconds = false): string {
  const key = `${timeZone}:${seconds}`;
  let format = clockFormats.get(key);
  if (!format) {
    const options: Intl.DateTimeFormatOptions = {
      hour: "2-digit",
      minute: "2-digit",
      second: seconds ? "2-digit" : undefined,
      hour12: false,
    };
    try {
      format = new Intl.DateTimeFormat("en-GB", { ...options, timeZone });
    } catch {
      format = new Intl.DateTimeFormat("en-GB", options);
    }
    clockFormats.set(key, format);
  }
  const at = Date.parse(iso);
  return Number.isNaN(at) ? "" : format.format(at);
}

/** Platforms and stores whose volume jumps (the server's spike flag), the biggest jump first. */
export function spikingRows(data: Pick<Dashboard, "platforms" | "stores">): VolumeRow[] {
  const ratio = (row: VolumeRow) => (row.previousHourPer15 > 0 ? row.last15 / row.previousHourPer15 : row.last15);
  return [...data.platforms, ...data.stores].filter((row) => row.spike).sort((a, b) => ratio(b) - ratio(a));
}

/** Platforms with their stores beneath, for the tree table. */
export type VolumeTreeRow = VolumeRow & { key: string; children?: VolumeTreeRow[] };

export function volumeTree(data: Pick<Dashboard, "platforms" | "stores">): VolumeTreeRow[] {
  return data.platforms.map((platform) => {
    const stores = data.stores
      .filter((store) => store.platform === platform.platform)
      .map((store) => ({ ...store, key: `store:${store.storeId ?? store.label}` }));
    return { ...platform, key: `platform:${platform.platform}`, children: stores.length > 0 ? stores : undefined };
  });
}

/** The wallboard's agent list: the busiest first, then by name. */
export function agentsByLoad(agents: Dashboard["agents"]): Dashboard["agents"] {
  const active = (status: string) => (status === "offline" ? 1 : 0);
  return [...agents].sort(
    (a, b) =>
      active(a.status) - active(b.status) ||
      b.load - a.load ||
      b.handledToday - a.handledToday ||
      a.name.localeCompare(b.name),
  );
}

/** The events that move a figure on the dashboard. */
export function movesDashboard(event: RealtimeEvent): boolean {
  switch (event.type) {
    case "conversation.created":
    case "conversation.updated":
    case "message.created":
    case "evaluation.created":
    case "order.changed":
    case "agent.updated":
    case "sla.alert":
      return true;
    default:
      return false;
  }
}
