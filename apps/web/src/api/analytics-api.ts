import type {
  AnalyticsGranularity,
  CreateExportRequest,
  DashboardQuery,
  DrilldownMetric,
  ReportMailSettingsInput,
  ReportQuery,
  ReportScheduleInput,
} from "@yunxi/contracts";
import {
  AgentReport,
  AnalyticsFilterScope,
  AnalyticsSettings,
  ConversationQuality,
  Dashboard,
  DrilldownResult,
  ExportJob,
  ExportList,
  IntentReport,
  KpiReport,
  PlatformReport,
  QualityReport,
  QualityRuleSet,
  ReportMailSettings,
  ReportSchedule,
  ReportScheduleList,
  SavedReportSchedule,
  ScheduleRun,
  ScheduleRunList,
  WebhookSecret,
} from "@yunxi/contracts";
import { queryString, requestJson, requestVoid } from "./client.ts";

/**
 * The data hub's endpoints (issue 6): the live dashboard, KPIs and reports over a range of local
 * days, the conversations behind a number, report exports (jobs) and the quality-check rules.
 * Every answer is checked against the contract; a refused query (a reversed range, a store the
 * user does not serve) rejects with the server's `ApiRequestError` and its message.
 */

const enc = encodeURIComponent;
const base = "/api/analytics";

export type DrilldownRequest = ReportQuery & { metric: DrilldownMetric; limit?: number; offset?: number };

export const analyticsApi = {
  /** The agents, groups and stores the user's figures may be cut by. */
  filterScope: (signal?: AbortSignal) => requestJson("GET", `${base}/scope`, AnalyticsFilterScope, { signal }),
  dashboard: (query: DashboardQuery, signal?: AbortSignal) =>
    requestJson("GET", `${base}/dashboard${queryString(query)}`, Dashboard, { signal }),
  kpis: (query: ReportQuery & { granularity: AnalyticsGranularity }, signal?: AbortSignal) =>
    requestJson("GET", `${base}/kpis${queryString(query)}`, KpiReport, { signal }),
  agents: (query: ReportQuery, signal?: AbortSignal) =>
    requestJson("GET", `${base}/reports/agents${queryString(query)}`, AgentReport, { signal }),
  platforms: (query: ReportQuery, signal?: AbortSignal) =>
    requestJson("GET", `${base}/reports/platforms${queryString(query)}`, PlatformReport, { signal }),
  intents: (query: ReportQuery, signal?: AbortSignal) =>
    requestJson("GET", `${base}/reports/intents${queryString(query)}`, IntentReport, { signal }),
  quality: (query: ReportQuery, signal?: AbortSignal) =>
    requestJson("GET", `${base}/reports/quality${queryString(query)}`, QualityReport, { signal }),
  drilldown: (query: DrilldownRequest, signal?: AbortSignal) =>
    requestJson("GET", `${base}/drilldown${queryString(query)}`, DrilldownResult, { signal }),

  /** Starts an export job (202); poll `exportJob` until it is `done` or `failed`. */
  createExport: (body: CreateExportRequest) => requestJson("POST", `${base}/exports`, ExportJob, { body }),
  exports: (signal?: AbortSignal) => requestJson("GET", `${base}/exports`, ExportList, { signal }),
  exportJob: (id: string, signal?: AbortSignal) =>
    requestJson("GET", `${base}/exports/${enc(id)}`, ExportJob, { signal }),
  /** Where the browser downloads a finished export (an attachment: a plain link does it). */
  downloadUrl: (id: string) => `${base}/exports/${enc(id)}/download`,

  qualityRules: (signal?: AbortSignal) => requestJson("GET", `${base}/quality/rules`, QualityRuleSet, { signal }),
  saveQualityRules: (body: QualityRuleSet) => requestJson("PUT", `${base}/quality/rules`, QualityRuleSet, { body }),
  conversationQuality: (conversationId: string, signal?: AbortSignal) =>
    requestJson("GET", `${base}/quality/conversations/${enc(conversationId)}`, ConversationQuality, { signal }),
  settings: (signal?: AbortSignal) => requestJson("GET", `${base}/settings`, AnalyticsSettings, { signal }),
  saveSettings: (body: AnalyticsSettings) => requestJson("PUT", `${base}/settings`, AnalyticsSettings, { body }),

  /** 定时报表: schedules (supervisors and admins), their runs, and the outgoing mail server (admins). */
  schedules: (signal?: AbortSignal) => requestJson("GET", `${base}/schedules`, ReportScheduleList, { signal }),
  createSchedule: (body: ReportScheduleInput) =>
    requestJson("POST", `${base}/schedules`, SavedReportSchedule, { body }),
  saveSchedule: (id: string, body: ReportScheduleInput) =>
    requestJson("PUT", `${base}/schedules/${enc(id)}`, SavedReportSchedule, { body }),
  deleteSchedule: (id: string) => requestVoid("DELETE", `${base}/schedules/${enc(id)}`),
  runSchedule: (id: string) => requestJson("POST", `${base}/schedules/${enc(id)}/run`, ScheduleRun),
  scheduleRuns: (id: string, signal?: AbortSignal) =>
    requestJson("GET", `${base}/schedules/${enc(id)}/runs`, ScheduleRunList, { signal }),
  schedule: (id: string, signal?: AbortSignal) =>
    requestJson("GET", `${base}/schedules/${enc(id)}`, ReportSchedule, { signal }),
  webhookSecret: (id: string) => requestJson("GET", `${base}/schedules/${enc(id)}/webhook-secret`, WebhookSecret),
  reportMail: (signal?: AbortSignal) => requestJson("GET", `${base}/schedules/smtp`, ReportMailSettings, { signal }),
  saveReportMail: (body: ReportMailSettingsInput) =>
    requestJson("PUT", `${base}/schedules/smtp`, ReportMailSettings, { body }),
};
