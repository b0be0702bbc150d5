import { LeftOutlined, RightOutlined } from "@ant-design/icons";
import type { KpiReport } from "@yunxi/contracts";
import { Alert, Button, Input, Segmented, Spin, Tabs } from "antd";
import { useEffect, useMemo, useState } from "react";
import { analyticsApi } from "../api/analytics-api.ts";
import { useMe } from "../auth/auth-provider.tsx";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import type { MessageKey } from "../i18n/zh-CN.ts";
import { navigate } from "../routing/use-route.ts";
import { canSupervise } from "../supervisor/supervisor-state.ts";
import { AgentReport } from "./agent-report.tsx";
import type { DrilldownTarget } from "./drilldown-drawer.tsx";
import { DrilldownDrawer } from "./drilldown-drawer.tsx";
import type { ChartOption } from "./echart.tsx";
import { EChart } from "./echart.tsx";
import { ExportButtons, ExportJobs, useExports } from "./exports.tsx";
import { FigureTile } from "./figure-tile.tsx";
import { deltaOf, formatFigure, kpiValue, summaryFields } from "./figures.ts";
import { NeedsReport } from "./needs-report.tsx";
import { PlatformReport } from "./platform-report.tsx";
import { QualityReport } from "./quality-report.tsx";
import { ReportFilters } from "./report-filters.tsx";
import type { PeriodKind, ReportState, ReportTab } from "./report-range.ts";
import {
  granularityFor,
  isDate,
  parseReportState,
  periodKinds,
  periodOf,
  reportQuery,
  reportSearch,
  shiftPeriod,
  todayIn,
} from "./report-range.ts";
import type { ReportTabProps } from "./report-tabs.ts";
import { queryKey } from "./report-tabs.ts";
import type { Loaded } from "./use-load.ts";
import { useLoad } from "./use-load.ts";
import "./analytics.css";

const periodLabels: Record<PeriodKind, MessageKey> = {
  day: "analytics.period.day",
  week: "analytics.period.week",
  month: "analytics.period.month",
  custom: "analytics.period.custom",
};

const tabLabels: Record<ReportTab, MessageKey> = {
  agents: "analytics.report.tab.agents",
  needs: "analytics.report.tab.needs",
  platforms: "analytics.report.tab.platforms",
  quality: "analytics.report.tab.quality",
};

/**
 * 数据报表: a day, a week, a month or any range against the period before, cut by store, platform,
 * group, agent, intent; every number opens the conversations behind it; Excel and PDF exports run
 * as jobs. Agents see their own figures (the server scopes them).
 */
export function ReportsPage() {
  const t = useT();
  const me = useMe();
  const everyone = canSupervise(me.user.role);
  const today = todayIn(me.org.timezone);
  const [state, setState] = useState<ReportState>(() => parseReportState(window.location.search, today));
  const [drill, setDrill] = useState<DrilldownTarget | null>(null);
  const exports = useExports();

  // The address follows the report, so it can be reloaded and shared.
  useEffect(() => {
    const search = reportSearch(state);
    if (window.location.pathname === "/reports" && window.location.search !== search) {
      navigate(`/reports${search}`, { replace: true });
    }
  }, [state]);

  const query = useMemo(() => reportQuery(state), [state]);
  const rangeLabel = state.from === state.to ? state.from : `${state.from} – ${state.to}`;
  const granularity = granularityFor(state.from, state.to);
  const tabProps: ReportTabProps = { query, rangeLabel, onDrill: setDrill };
  const summary = useLoad(
    (signal) => analyticsApi.kpis({ ...query, granularity }, signal),
    `${queryKey(query)}:${granularity}`,
  );

  const setKind = (kind: PeriodKind) =>
    setState((s) =>
      kind === "custom" ? { ...s, kind } : { ...s, kind, ...periodOf(kind, isDate(s.to) ? s.to : today) },
    );
  const shift = (steps: number) => setState((s) => ({ ...s, ...shiftPeriod(s, steps) }));
  const setDate = (which: "from" | "to", value: string) => {
    if (!isDate(value)) return;
    setState((s) => {
      if (s.kind === "custom") return { ...s, [which]: value };
      return { ...s, ...periodOf(s.kind, value) };
    });
  };

  return (
    <main className="analytics-page reports" data-testid="reports-page">
      <div className="analytics-head">
        <h1 className="analytics-title">{t("analytics.report.title")}</h1>
        {!everyone && <span className="analytics-hint">{t("analytics.report.ownFigures")}</span>}
        <span className="analytics-head-spacer" />
        <ExportButtons
          exports={exports}
          request={{ from: state.from, to: state.to, filters: reportFiltersOnly(query), granularity }}
        />
      </div>

      <div className="report-toolbar">
        <Segmented<PeriodKind>
          value={state.kind}
          onChange={setKind}
          options={periodKinds.map((kind) => ({ value: kind, label: t(periodLabels[kind]) }))}
          data-testid="report-period"
        />
        <span className="report-range">
          <Button icon={<LeftOutlined />} onClick={() => shift(-1)} aria-label={t("analytics.period.previous")} />
          <Input
            type="date"
            value={state.from}
            onChange={(e) => setDate("from", e.target.value)}
            aria-label={t("analytics.period.from")}
            className="report-date"
            data-testid="report-from"
          />
          {state.kind === "custom" && (
            <>
              <span aria-hidden>–</span>
              <Input
                type="date"
                value={state.to}
                onChange={(e) => setDate("to", e.target.value)}
                aria-label={t("analytics.period.to")}
                className="report-date"
                status={state.from > state.to ? "error" : undefined}
                data-testid="report-to"
              />
            </>
          )}
          <Button icon={<RightOutlined />} onClick={() => shift(1)} aria-label={t("analytics.period.next")} />
          {state.kind !== "custom" && state.kind !== "day" && <span className="analytics-hint">{rangeLabel}</span>}
          {state.from !== today || state.to !== today ? (
            <Button type="link" onClick={() => setState((s) => ({ ...s, kind: "day", from: today, to: today }))}>
              {t("analytics.period.today")}
            </Button>
          ) : null}
        </span>
        <ReportFilters
          filters={state.filters}
          onChange={(filters) => setState((s) => ({ ...s, filters }))}
          canSeeEveryone={everyone}
        />
      </div>

      <ExportJobs exports={exports} />

      <KpiSummary summary={summary} query={query} rangeLabel={rangeLabel} onDrill={setDrill} />

      {/* A refused query (a reversed range …) is explained once, above; the tabs would only repeat it. */}
      {!summary.error && (
        <Tabs
          activeKey={state.tab}
          onChange={(tab) => setState((s) => ({ ...s, tab: tab as ReportTab }))}
          items={[
            { key: "agents", label: t(tabLabels.agents), children: <AgentReport {...tabProps} /> },
            { key: "needs", label: t(tabLabels.needs), children: <NeedsReport {...tabProps} /> },
            { key: "platforms", label: t(tabLabels.platforms), children: <PlatformReport {...tabProps} /> },
            { key: "quality", label: t(tabLabels.quality), children: <QualityReport {...tabProps} /> },
          ]}
          data-testid="report-tabs"
        />
      )}

      <DrilldownDrawer target={drill} onClose={() => setDrill(null)} />
    </main>
  );
}

function reportFiltersOnly(query: ReturnType<typeof reportQuery>) {
  const { from: _from, to: _to, ...filters } = query;
  return filters;
}

type SummaryProps = Omit<ReportTabProps, "query"> & {
  summary: Loaded<KpiReport>;
  query: ReportTabProps["query"];
};

/** The period's headline KPIs against the period before, and their trend. */
function KpiSummary({ summary, query, rangeLabel, onDrill }: SummaryProps) {
  const t = useT();
  const { locale } = useLocale();
  const { data, error, loading } = summary;
  const me = useMe();

  if (error) {
    return (
      <Alert
        type="error"
        showIcon
        title={t("analytics.report.loadFailed")}
        description={error}
        data-testid="report-error"
      />
    );
  }
  if (!data) {
    return (
      <div className="analytics-loading is-inline">
        <Spin />
      </div>
    );
  }
  const previousLabel =
    data.previousRange.from === data.previousRange.to
      ? data.previousRange.from
      : `${data.previousRange.from} – ${data.previousRange.to}`;
  return (
    <section className={loading ? "analytics-section is-loading" : "analytics-section"} data-testid="report-summary">
      {data.oversight === "own" && me.user.role === "supervisor" && (
        <Alert type="info" showIcon title={t("analytics.report.noGroup")} data-testid="report-no-group" />
      )}
      <p className="analytics-hint">{t("analytics.report.against", { previous: previousLabel })}</p>
      <div className="figure-row is-summary">
        {summaryFields.map((field) => {
          const value = kpiValue(data.current, field);
          const before = kpiValue(data.previous, field);
          const metric = field.drilldown;
          return (
            <FigureTile
              key={field.key}
              label={t(field.label)}
              text={formatFigure(field.kind, value, locale, t)}
              value={value}
              delta={deltaOf(field.kind, value, before, field.better, t)}
              previousText={t("analytics.delta.previous", { value: formatFigure(field.kind, before, locale, t) })}
              testId={`report-kpi-${field.key}`}
              compact
              onClick={
                metric && value !== null && value !== 0
                  ? () => onDrill({ metric, title: `${t(field.label)} · ${rangeLabel}`, query })
                  : undefined
              }
            />
          );
        })}
      </div>
      <KpiTrend report={data} />
    </section>
  );
}

function KpiTrend({ report }: { report: KpiReport }) {
  const t = useT();
  const option = useMemo<ChartOption | null>(() => {
    if (report.series.length < 2) return null;
    const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 36, bottom: 8, outerBoundsMode: "same", outerBoundsContain: "axisLabel" },
      xAxis: { type: "category", data: report.series.map((p) => p.period) },
      yAxis: [
        { type: "value", minInterval: 1 },
        { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" }, splitLine: { show: false } },
      ],
      series: [
        {
          type: "bar",
          name: t("analytics.kpi.conversations"),
          data: report.series.map((p) => p.kpis.conversations),
          barMaxWidth: 24,
        },
        {
          type: "line",
          name: t("analytics.kpi.responseRate3m"),
          yAxisIndex: 1,
          data: report.series.map((p) => pct(p.kpis.responseRate3m)),
        },
        {
          type: "line",
          name: t("analytics.kpi.conversionRate"),
          yAxisIndex: 1,
          data: report.series.map((p) => pct(p.kpis.inquiryConversionRate)),
        },
        {
          type: "line",
          name: t("analytics.kpi.csat"),
          yAxisIndex: 1,
          data: report.series.map((p) => pct(p.kpis.csat)),
        },
      ],
    };
  }, [report, t]);
  if (!option) return null;
  return (
    <div className="analytics-card">
      <EChart option={option} height={240} testId="report-trend" ariaLabel={t("analytics.report.trend")} />
    </div>
  );
}
