import type { AnalyticsGranularity, PlatformId, ReportQuery } from "@yunxi/contracts";
import { platformIds } from "@yunxi/contracts";

/**
 * The reports page's state as pure data: the period (a day, a week, a month or any range of local
 * days in the org's time zone) and the filters, kept in the address so a report can be shared and
 * reloaded. The server checks the range (reversed, too long) and answers with a 400 the page shows.
 */

export const periodKinds = ["day", "week", "month", "custom"] as const;
export type PeriodKind = (typeof periodKinds)[number];

export const reportTabs = ["agents", "needs", "platforms", "quality"] as const;
export type ReportTab = (typeof reportTabs)[number];

export type ReportFilters = {
  storeId?: string;
  platform?: PlatformId;
  groupId?: string;
  agentId?: string;
  /** An intent label, or `-` for not classified. */
  intent?: string;
  category?: string;
};

export type ReportState = {
  kind: PeriodKind;
  from: string;
  to: string;
  tab: ReportTab;
  filters: ReportFilters;
};

const day = 86_400_000;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

const toUtc = (date: string): number => Date.parse(`${date}T00:00:00Z`);
const fromUtc = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function isDate(value: string | null | undefined): value is string {
  if (!value || !datePattern.test(value)) return false;
  const ms = toUtc(value);
  return !Number.isNaN(ms) && fromUtc(ms) === value;
}

export function addDays(date: string, n: number): string {
  return fromUtc(toUtc(date) + n * day);
}

/** Days from `from` to `to`, both included (0 or less when reversed). */
export function daysIn(from: string, to: string): number {
  return Math.round((toUtc(to) - toUtc(from)) / day) + 1;
}

/** Today's date where the org is (`Asia/Shanghai` unless the org set another zone). */
export function todayIn(timeZone: string, now: number = Date.now()): string {
  try {
    // en-CA writes dates as YYYY-MM-DD.
    return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
      now,
    );
  } catch {
    return fromUtc(now);
  }
}

function lastDayOfMonth(date: string): string {
  const [y, m] = date.split("-").map(Number) as [number, number];
  return fromUtc(Date.UTC(y, m, 0));
}

/** The day, the week (Monday to Sunday) or the month that holds `anchor`. */
export function periodOf(kind: Exclude<PeriodKind, "custom">, anchor: string): { from: string; to: string } {
  switch (kind) {
    case "day":
      return { from: anchor, to: anchor };
    case "week": {
      const weekday = (new Date(toUtc(anchor)).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
      const from = addDays(anchor, -weekday);
      return { from, to: addDays(from, 6) };
    }
    case "month": {
      const from = `${anchor.slice(0, 7)}-01`;
      return { from, to: lastDayOfMonth(from) };
    }
  }
}

/** The period before (steps < 0) or after: a custom range moves by its own length. */
export function shiftPeriod(
  state: Pick<ReportState, "kind" | "from" | "to">,
  steps: number,
): { from: string; to: string } {
  switch (state.kind) {
    case "day":
      return periodOf("day", addDays(state.from, steps));
    case "week":
      return periodOf("week", addDays(state.from, 7 * steps));
    case "month": {
      const [y, m] = state.from.split("-").map(Number) as [number, number];
      return periodOf("month", fromUtc(Date.UTC(y, m - 1 + steps, 1)));
    }
    case "custom": {
      const length = Math.max(1, daysIn(state.from, state.to));
      return { from: addDays(state.from, steps * length), to: addDays(state.to, steps * length) };
    }
  }
}

/** The trend's steps: days up to two months, weeks up to half a year, then months. */
export function granularityFor(from: string, to: string): AnalyticsGranularity {
  const days = daysIn(from, to);
  if (days <= 62) return "day";
  if (days <= 186) return "week";
  return "month";
}

export function defaultReportState(today: string): ReportState {
  return { kind: "day", from: today, to: today, tab: "agents", filters: {} };
}

const filterKeys = ["storeId", "platform", "groupId", "agentId", "intent", "category"] as const;

function isPlatform(value: string): value is PlatformId {
  return platformIds.some((id) => id === value);
}

function isOneOf<T extends string>(list: readonly T[], value: string | null): value is T {
  return value !== null && list.some((item) => item === value);
}

/**
 * The state an address asks for; what it does not say (or says wrongly) falls back to today.
 * A reversed custom range is kept as asked: the server's answer explains it.
 */
export function parseReportState(search: string, today: string): ReportState {
  const params = new URLSearchParams(search);
  const fallback = defaultReportState(today);
  const kindParam = params.get("period");
  const kind = isOneOf(periodKinds, kindParam) ? kindParam : fallback.kind;
  const tabParam = params.get("tab");
  const tab = isOneOf(reportTabs, tabParam) ? tabParam : fallback.tab;
  const fromParam = params.get("from");
  const toParam = params.get("to");
  const from = isDate(fromParam) ? fromParam : today;
  let range = { from, to: isDate(toParam) ? toParam : from };
  if (kind !== "custom") range = periodOf(kind, from);
  const filters: ReportFilters = {};
  for (const key of filterKeys) {
    const value = params.get(key);
    if (!value) continue;
    if (key === "platform") {
      if (isPlatform(value)) filters.platform = value;
    } else {
      filters[key] = value;
    }
  }
  return { kind, ...range, tab, filters };
}

export function reportSearch(state: ReportState): string {
  const params = new URLSearchParams();
  params.set("period", state.kind);
  params.set("from", state.from);
  params.set("to", state.to);
  params.set("tab", state.tab);
  for (const key of filterKeys) {
    const value = state.filters[key];
    if (value) params.set(key, value);
  }
  return `?${params.toString()}`;
}

/** The query every report endpoint takes. */
export function reportQuery(state: Pick<ReportState, "from" | "to" | "filters">): ReportQuery {
  const query: ReportQuery = { from: state.from, to: state.to };
  for (const key of filterKeys) {
    const value = state.filters[key];
    if (value === undefined || value === "") continue;
    if (key === "platform") query.platform = state.filters.platform;
    else query[key] = value;
  }
  return query;
}
