import type { PlatformReport as PlatformReportData } from "@yunxi/contracts";
import { platformLabels } from "@yunxi/contracts";
import type { TableColumnsType } from "antd";
import { Alert, Table, Tooltip } from "antd";
import { useMemo } from "react";
import { analyticsApi } from "../api/analytics-api.ts";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import type { Locale } from "../i18n/locales.ts";
import type { ChartOption } from "./echart.tsx";
import { EChart } from "./echart.tsx";
import type { KpiField } from "./figures.ts";
import { formatRate, kpiFields } from "./figures.ts";
import { KpiCell } from "./kpi-cell.tsx";
import type { ReportTabProps } from "./report-tabs.ts";
import { queryKey } from "./report-tabs.ts";
import { useLoad } from "./use-load.ts";

type Row = PlatformReportData["platforms"][number];
type TreeRow = Row & { key: string; children?: TreeRow[] };

const fields: readonly KpiField[] = [
  kpiFields.inboundMessages,
  kpiFields.conversations,
  kpiFields.firstResponseAvgSeconds,
  kpiFields.responseRate3m,
  kpiFields.missedRounds,
  kpiFields.inquiryConversionRate,
  kpiFields.csat,
  kpiFields.complaintRate,
  kpiFields.autoReplyCoverage,
];

function rowLabel(row: Row, locale: Locale): string {
  return row.storeId === null ? platformLabels[row.platform][locale] : row.label;
}

export function platformTree(data: PlatformReportData): TreeRow[] {
  return data.platforms.map((platform) => {
    const stores = data.stores
      .filter((s) => s.platform === platform.platform)
      .map((s) => ({ ...s, key: `store:${s.storeId}` }));
    return { ...platform, key: `platform:${platform.platform}`, children: stores.length > 0 ? stores : undefined };
  });
}

/** 平台对比: every platform and its stores side by side, with the platform's own response KPI beside Yunxi's. */
export function PlatformReport({ query, rangeLabel, onDrill }: ReportTabProps) {
  const t = useT();
  const { locale } = useLocale();
  const { data, error, loading } = useLoad((signal) => analyticsApi.platforms(query, signal), queryKey(query));
  const rows = useMemo(() => (data ? platformTree(data) : []), [data]);

  const option = useMemo<ChartOption | null>(() => {
    if (!data || data.platforms.length === 0) return null;
    const names = data.platforms.map((p) => rowLabel(p, locale));
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 36, bottom: 8, outerBoundsMode: "same", outerBoundsContain: "axisLabel" },
      xAxis: { type: "category", data: names },
      yAxis: [
        { type: "value", minInterval: 1 },
        { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" }, splitLine: { show: false } },
      ],
      series: [
        {
          type: "bar",
          name: t("analytics.kpi.conversations"),
          data: data.platforms.map((p) => p.kpis.conversations),
          barMaxWidth: 28,
        },
        {
          type: "bar",
          name: t("analytics.report.previousPeriod"),
          data: data.platforms.map((p) => p.previous.conversations),
          barMaxWidth: 28,
          itemStyle: { opacity: 0.45 },
        },
        {
          type: "line",
          name: t("analytics.kpi.responseRate3m"),
          yAxisIndex: 1,
          data: data.platforms.map((p) =>
            p.kpis.responseRate3m === null ? null : Math.round(p.kpis.responseRate3m * 1000) / 10,
          ),
        },
        {
          type: "line",
          name: t("analytics.kpi.csat"),
          yAxisIndex: 1,
          data: data.platforms.map((p) => (p.kpis.csat === null ? null : Math.round(p.kpis.csat * 1000) / 10)),
        },
      ],
    };
  }, [data, locale, t]);

  const columns: TableColumnsType<TreeRow> = [
    {
      key: "label",
      title: t("analytics.platform.name"),
      fixed: "left",
      width: 160,
      render: (_, row) => (
        <span className="platform-cell">
          <span className="platform-swatch" style={{ background: platformLabels[row.platform].color }} />
          {rowLabel(row, locale)}
        </span>
      ),
    },
    ...fields.map((field): TableColumnsType<TreeRow>[number] => ({
      key: field.key,
      title: t(field.label),
      align: "right",
      width: field.kind === "seconds" ? 120 : 110,
      render: (_, row) => (
        <KpiCell
          field={field}
          current={row.kpis}
          previous={row.previous}
          onOpen={
            field.drilldown
              ? () =>
                  onDrill({
                    metric: field.drilldown!,
                    title: `${rowLabel(row, locale)} · ${t(field.label)} · ${rangeLabel}`,
                    query:
                      row.storeId === null ? { ...query, platform: row.platform } : { ...query, storeId: row.storeId },
                  })
              : undefined
          }
        />
      ),
    })),
    {
      key: "platformKpi",
      title: t("analytics.platform.ownKpi"),
      width: 190,
      render: (_, row) => (
        <Tooltip title={t("analytics.platform.ownKpiHint")}>
          <span className="platform-own-kpi">
            <span className="analytics-hint">{row.platformKpi.name}</span> {formatRate(row.platformKpi.value)}
          </span>
        </Tooltip>
      ),
    },
  ];

  return (
    <div className="report-tab" data-testid="report-platforms">
      {error && <Alert type="error" showIcon title={t("analytics.report.loadFailed")} description={error} />}
      {option && (
        <div className="analytics-card">
          <EChart option={option} height={260} ariaLabel={t("analytics.report.tab.platforms")} />
        </div>
      )}
      <Table<TreeRow>
        size="small"
        rowKey="key"
        columns={columns}
        dataSource={rows}
        loading={loading}
        pagination={false}
        expandable={{ indentSize: 12 }}
        scroll={{ x: 1400 }}
        locale={{ emptyText: t("analytics.report.empty") }}
      />
    </div>
  );
}
