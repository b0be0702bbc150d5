import type {
  AnalyticsFilterScope,
  ExportFormat,
  PlatformId,
  ReportSchedule,
  ReportScheduleInput,
  ScheduleCadence,
  ScheduleReportKind,
  ScheduleRunStatus,
} from "@yunxi/contracts";
import type { Translate } from "../i18n/locales.ts";
import type { MessageKey } from "../i18n/zh-CN.ts";
import { storesInScope } from "./use-filter-scope.ts";

/**
 * 定时报表's form: what the modal edits (flat, as antd's Form holds it), turned into the
 * contract's input (weekday only for weekly, day of month only for monthly, no empty
 * webhook), and how a schedule's timing and last outcome read in a list.
 */
export type ScheduleDraft = {
  name: string;
  kind: ScheduleReportKind;
  storeId?: string | undefined;
  platform?: PlatformId | undefined;
  groupId?: string | undefined;
  cadence: ScheduleCadence;
  time: string;
  weekday: number;
  dayOfMonth: number;
  formats: ExportFormat[];
  recipients: string[];
  webhookUrl: string;
  enabled: boolean;
};

export function emptyDraft(): ScheduleDraft {
  return {
    name: "",
    kind: "overview",
    cadence: "daily",
    time: "09:00",
    weekday: 1,
    dayOfMonth: 1,
    formats: ["xlsx"],
    recipients: [],
    webhookUrl: "",
    enabled: true,
  };
}

export function draftOf(s: ReportSchedule): ScheduleDraft {
  return {
    name: s.name,
    kind: s.kind,
    storeId: s.filters.storeId,
    platform: s.filters.platform,
    groupId: s.filters.groupId,
    cadence: s.cadence,
    time: s.time,
    weekday: s.weekday ?? 1,
    dayOfMonth: s.dayOfMonth ?? 1,
    formats: s.formats,
    recipients: s.recipients,
    webhookUrl: s.webhookUrl ?? "",
    enabled: s.enabled,
  };
}

export function inputOf(d: ScheduleDraft): ReportScheduleInput {
  const filters = Object.fromEntries(
    Object.entries({ storeId: d.storeId, platform: d.platform, groupId: d.groupId }).filter(([, v]) => v),
  ) as ReportScheduleInput["filters"];
  const webhookUrl = d.webhookUrl.trim();
  return {
    name: d.name.trim(),
    kind: d.kind,
    filters,
    cadence: d.cadence,
    time: d.time,
    weekday: d.cadence === "weekly" ? d.weekday : null,
    dayOfMonth: d.cadence === "monthly" ? d.dayOfMonth : null,
    formats: d.formats,
    recipients: d.recipients.map((r) => r.trim()).filter(Boolean),
    webhookUrl: webhookUrl === "" ? null : webhookUrl,
    enabled: d.enabled,
  };
}

type Named = { id: string; name: string };

type StoreLike = { id: string; platform: PlatformId };
export type ScheduleChoices<S extends StoreLike> = { platforms: PlatformId[]; stores: S[]; groups: Named[] };

/**
 * The platforms, stores and groups the form offers: those of the user's scope (GET
 * /api/analytics/scope, as the report filters), so a supervisor schedules nothing the server
 * refuses; stores narrowed to the chosen platform. The schedule's own store and group stay
 * listed, by name, so one set up by an admin reads as it is (the server has the last word on
 * saving it).
 */
export function scheduleChoices<S extends StoreLike>(
  scope: AnalyticsFilterScope | null,
  all: { stores: readonly S[]; groups: readonly Named[] },
  draft: Pick<ScheduleDraft, "platform" | "storeId" | "groupId">,
): ScheduleChoices<S> {
  const served = storesInScope(all.stores, scope);
  const keptStore = all.stores.find((s) => s.id === draft.storeId && !served.includes(s));
  const stores = keptStore ? [...served, keptStore] : served;
  const groups: Named[] = [...(scope?.groups ?? [])];
  const keptGroup = all.groups.find((g) => g.id === draft.groupId && !groups.some((o) => o.id === g.id));
  if (keptGroup) groups.push({ id: keptGroup.id, name: keptGroup.name });
  return {
    platforms: [...new Set(stores.map((s) => s.platform))],
    stores: stores.filter((s) => !draft.platform || s.platform === draft.platform),
    groups,
  };
}

/** A quick look at an address before the server's check (which has the last word). */
export const looksLikeEmail = (value: string): boolean => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim());

export const kindLabels: Record<ScheduleReportKind, MessageKey> = {
  overview: "analytics.schedules.kind.overview",
  agents: "analytics.schedules.kind.agents",
  platforms: "analytics.schedules.kind.platforms",
  needs: "analytics.schedules.kind.needs",
};

export const cadenceLabels: Record<ScheduleCadence, MessageKey> = {
  daily: "analytics.schedules.cadence.daily",
  weekly: "analytics.schedules.cadence.weekly",
  monthly: "analytics.schedules.cadence.monthly",
};

export const weekdayLabels: MessageKey[] = [
  "analytics.schedules.weekday.1",
  "analytics.schedules.weekday.2",
  "analytics.schedules.weekday.3",
  "analytics.schedules.weekday.4",
  "analytics.schedules.weekday.5",
  "analytics.schedules.weekday.6",
  "analytics.schedules.weekday.7",
];

/** 每天 09:00 / 每周一 09:00 / 每月 1 日 09:00 */
export function timingText(s: Pick<ReportSchedule, "cadence" | "time" | "weekday" | "dayOfMonth">, t: Translate) {
  if (s.cadence === "weekly") {
    return t("analytics.schedules.every.weekly", { weekday: t(weekdayLabels[(s.weekday ?? 1) - 1]!), time: s.time });
  }
  if (s.cadence === "monthly") return t("analytics.schedules.every.monthly", { day: s.dayOfMonth ?? 1, time: s.time });
  return t("analytics.schedules.every.daily", { time: s.time });
}

export const statusLooks: Record<ScheduleRunStatus, { color: string; label: MessageKey }> = {
  queued: { color: "default", label: "analytics.schedules.status.queued" },
  running: { color: "processing", label: "analytics.schedules.status.running" },
  retrying: { color: "warning", label: "analytics.schedules.status.retrying" },
  sent: { color: "success", label: "analytics.schedules.status.sent" },
  failed: { color: "error", label: "analytics.schedules.status.failed" },
};

/** Every half hour of the day, for the time picker. */
export const clockOptions: string[] = Array.from(
  { length: 48 },
  (_, i) => `${String(Math.floor(i / 2)).padStart(2, "0")}:${i % 2 ? "30" : "00"}`,
);
