import type { DrilldownMetric, Kpis } from "@yunxi/contracts";
import type { Locale, Translate } from "../i18n/locales.ts";
import type { MessageKey } from "../i18n/zh-CN.ts";

/**
 * How the data hub shows a figure: rates as percentages, times as durations, money from fen, and
 * the change against the previous period (relative for counts and times, in percentage points
 * for rates), coloured by whether the change is good. Every KPI is defined in docs/metrics.md.
 */

export type FigureKind = "count" | "rate" | "seconds" | "money" | "score" | "rating";

export const dash = "—";

export function formatCount(value: number | null, locale: Locale): string {
  if (value === null || !Number.isFinite(value)) return dash;
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
}

export function formatRate(rate: number | null, digits = 1): string {
  if (rate === null || !Number.isFinite(rate)) return dash;
  return `${(rate * 100).toFixed(digits)}%`;
}

/** "45秒", "3分05秒", "2小时05分" (and the English equivalents). */
export function formatDuration(seconds: number | null, t: Translate): string {
  if (seconds === null || !Number.isFinite(seconds)) return dash;
  const total = Math.max(0, Math.round(seconds));
  if (total < 60) return t("analytics.duration.s", { s: total });
  if (total < 3600) {
    return t("analytics.duration.ms", { m: Math.floor(total / 60), s: String(total % 60).padStart(2, "0") });
  }
  const minutes = Math.floor(total / 60);
  return t("analytics.duration.hm", { h: Math.floor(minutes / 60), m: String(minutes % 60).padStart(2, "0") });
}

const shortDateTimes = new Map<Locale, Intl.DateTimeFormat>();

/** "12/01 09:48": a conversation's start in a list. */
export function formatShortDateTime(iso: string, locale: Locale): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return "";
  let format = shortDateTimes.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hour12: false,
    });
    shortDateTimes.set(locale, format);
  }
  return format.format(at);
}

export function formatAmount(cents: number | null, locale: Locale): string {
  if (cents === null || !Number.isFinite(cents)) return dash;
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency: "CNY",
    currencyDisplay: "narrowSymbol",
    maximumFractionDigits: 0,
  }).format(cents / 100);
}

export function formatFigure(kind: FigureKind, value: number | null, locale: Locale, t: Translate): string {
  switch (kind) {
    case "count":
      return formatCount(value, locale);
    case "rate":
      return formatRate(value);
    case "seconds":
      return formatDuration(value, t);
    case "money":
      return formatAmount(value, locale);
    case "score":
      return value === null ? dash : value.toFixed(1);
    case "rating":
      return value === null ? dash : value.toFixed(2);
  }
}

export type Delta = {
  /** The shown change: "+12.5%", "-3.2pp", "新增"; null when there is nothing to compare. */
  text: string | null;
  direction: "up" | "down" | "flat";
  /** up = better, down = worse, neutral = no judgement (volumes). */
  tone: "good" | "bad" | "neutral";
};

export type Better = "higher" | "lower" | "neither";

/**
 * The change from `previous` to `current`. Rates compare in percentage points, everything else
 * relatively; a count from nothing to something is "new".
 */
export function deltaOf(
  kind: FigureKind,
  current: number | null,
  previous: number | null,
  better: Better,
  t: Translate,
): Delta {
  const none: Delta = { text: null, direction: "flat", tone: "neutral" };
  if (current === null || previous === null || !Number.isFinite(current) || !Number.isFinite(previous)) return none;
  const diff = current - previous;
  const direction = diff > 0 ? "up" : diff < 0 ? "down" : "flat";
  const tone: Delta["tone"] =
    direction === "flat" || better === "neither"
      ? "neutral"
      : (direction === "up") === (better === "higher")
        ? "good"
        : "bad";
  const sign = diff > 0 ? "+" : diff < 0 ? "-" : "±";
  if (kind === "rate") {
    return { text: t("analytics.delta.pp", { v: `${sign}${Math.abs(diff * 100).toFixed(1)}` }), direction, tone };
  }
  if (kind === "score" || kind === "rating") {
    return { text: `${sign}${Math.abs(diff).toFixed(kind === "score" ? 1 : 2)}`, direction, tone };
  }
  if (previous === 0) {
    return current === 0 ? { text: "±0%", direction, tone } : { text: t("analytics.delta.new"), direction, tone };
  }
  const relative = (diff / Math.abs(previous)) * 100;
  return { text: `${sign}${Math.abs(relative).toFixed(Math.abs(relative) < 10 ? 1 : 0)}%`, direction, tone };
}

/** The KPIs a report shows as cards and in tables: where the value is, how to show it, what is better. */
export type KpiField = {
  key: keyof Omit<Kpis, "platformVariants">;
  label: MessageKey;
  kind: FigureKind;
  better: Better;
  /** The conversations behind the number, when it can be drilled into. */
  drilldown?: DrilldownMetric;
};

export const kpiFields = {
  inboundMessages: { key: "inboundMessages", label: "analytics.kpi.inboundMessages", kind: "count", better: "neither" },
  conversations: {
    key: "conversations",
    label: "analytics.kpi.conversations",
    kind: "count",
    better: "neither",
    drilldown: "conversations",
  },
  handled: { key: "handled", label: "analytics.kpi.handled", kind: "count", better: "higher", drilldown: "handled" },
  rounds: { key: "rounds", label: "analytics.kpi.rounds", kind: "count", better: "neither", drilldown: "rounds" },
  firstResponseAvgSeconds: {
    key: "firstResponseAvgSeconds",
    label: "analytics.kpi.firstResponse",
    kind: "seconds",
    better: "lower",
  },
  avgResponseSeconds: {
    key: "avgResponseSeconds",
    label: "analytics.kpi.avgResponse",
    kind: "seconds",
    better: "lower",
    drilldown: "slow_rounds",
  },
  responseRate3m: {
    key: "responseRate3m",
    label: "analytics.kpi.responseRate3m",
    kind: "rate",
    better: "higher",
    drilldown: "slow_rounds",
  },
  responseRate: { key: "responseRate", label: "analytics.kpi.responseRate", kind: "rate", better: "higher" },
  missedRate: {
    key: "missedRate",
    label: "analytics.kpi.missedRate",
    kind: "rate",
    better: "lower",
    drilldown: "missed_rounds",
  },
  missedRounds: {
    key: "missedRounds",
    label: "analytics.kpi.missedRounds",
    kind: "count",
    better: "lower",
    drilldown: "missed_rounds",
  },
  consultingBuyers: {
    key: "consultingBuyers",
    label: "analytics.kpi.consultingBuyers",
    kind: "count",
    better: "neither",
    drilldown: "consulting_buyers",
  },
  convertedBuyers: {
    key: "convertedBuyers",
    label: "analytics.kpi.convertedBuyers",
    kind: "count",
    better: "higher",
    drilldown: "converted_buyers",
  },
  inquiryConversionRate: {
    key: "inquiryConversionRate",
    label: "analytics.kpi.conversionRate",
    kind: "rate",
    better: "higher",
    drilldown: "not_converted_buyers",
  },
  convertedAmountCents: {
    key: "convertedAmountCents",
    label: "analytics.kpi.convertedAmount",
    kind: "money",
    better: "higher",
  },
  csat: {
    key: "csat",
    label: "analytics.kpi.csat",
    kind: "rate",
    better: "higher",
    drilldown: "unsatisfied_evaluations",
  },
  csatPlatform: {
    key: "csatPlatform",
    label: "analytics.kpi.csatPlatform",
    kind: "rate",
    better: "higher",
  },
  csatSurvey: {
    key: "csatSurvey",
    label: "analytics.kpi.csatSurvey",
    kind: "rate",
    better: "higher",
  },
  surveyResponseRate: {
    key: "surveyResponseRate",
    label: "analytics.kpi.surveyResponseRate",
    kind: "rate",
    better: "higher",
  },
  evaluations: {
    key: "evaluations",
    label: "analytics.kpi.evaluations",
    kind: "count",
    better: "neither",
    drilldown: "evaluations",
  },
  complaints: {
    key: "complaints",
    label: "analytics.kpi.complaints",
    kind: "count",
    better: "lower",
    drilldown: "complaints",
  },
  complaintRate: {
    key: "complaintRate",
    label: "analytics.kpi.complaintRate",
    kind: "rate",
    better: "lower",
    drilldown: "complaints",
  },
  repurchaseRate: { key: "repurchaseRate", label: "analytics.kpi.repurchaseRate", kind: "rate", better: "higher" },
  resolved: {
    key: "resolved",
    label: "analytics.kpi.resolved",
    kind: "count",
    better: "higher",
    drilldown: "resolved",
  },
  resolutionAvgSeconds: {
    key: "resolutionAvgSeconds",
    label: "analytics.kpi.resolutionTime",
    kind: "seconds",
    better: "lower",
    drilldown: "resolved",
  },
  autoReplyCoverage: {
    key: "autoReplyCoverage",
    label: "analytics.kpi.autoReplyCoverage",
    kind: "rate",
    better: "higher",
    drilldown: "bot_conversations",
  },
  handoverRate: {
    key: "handoverRate",
    label: "analytics.kpi.handoverRate",
    kind: "rate",
    better: "lower",
    drilldown: "handovers",
  },
  slaBreaches: {
    key: "slaBreaches",
    label: "analytics.kpi.slaBreaches",
    kind: "count",
    better: "lower",
    drilldown: "sla_breaches",
  },
  qcAvgScore: { key: "qcAvgScore", label: "analytics.kpi.qcScore", kind: "score", better: "higher" },
  qcAlerts: {
    key: "qcAlerts",
    label: "analytics.kpi.qcAlerts",
    kind: "count",
    better: "lower",
    drilldown: "qc_alerts",
  },
} as const satisfies Record<string, KpiField>;

/** The report's summary cards, in reading order. */
export const summaryFields: readonly KpiField[] = [
  kpiFields.conversations,
  kpiFields.inboundMessages,
  kpiFields.firstResponseAvgSeconds,
  kpiFields.responseRate3m,
  kpiFields.missedRounds,
  kpiFields.inquiryConversionRate,
  kpiFields.csat,
  kpiFields.csatPlatform,
  kpiFields.csatSurvey,
  kpiFields.surveyResponseRate,
  kpiFields.complaintRate,
  kpiFields.resolutionAvgSeconds,
  kpiFields.autoReplyCoverage,
  kpiFields.slaBreaches,
  kpiFields.qcAvgScore,
];

export function kpiValue(kpis: Kpis, field: KpiField): number | null {
  return kpis[field.key];
}

/** How many times the last 15 minutes' pace is the previous hour's (null: no previous traffic). */
export function spikeRatio(last15: number, previousHourPer15: number): number | null {
  if (previousHourPer15 <= 0) return null;
  return last15 / previousHourPer15;
}

/** An intent for people: the unclassified bucket has a name of its own. */
export function intentLabel(intent: string, t: Translate): string {
  return intent === "" ? t("analytics.unclassified") : intent;
}
