import type { Dashboard, PlatformId } from "@yunxi/contracts";
import { platformLabels } from "@yunxi/contracts";
import type { TableColumnsType } from "antd";
import { Table, Tag, Tooltip } from "antd";
import { useMemo } from "react";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import type { Locale } from "../i18n/locales.ts";
import type { VolumeRow, VolumeTreeRow } from "./dashboard-view.ts";
import { clockIn, trendWindow, volumeTree } from "./dashboard-view.ts";
import type { ChartOption } from "./echart.tsx";
import { EChart } from "./echart.tsx";
import { formatCount, formatRate, spikeRatio } from "./figures.ts";

/** A platform row's name in the UI language; a store row keeps the server's `平台-店铺` label. */
export function volumeLabel(row: VolumeRow, locale: Locale): string {
  return row.storeId === null ? platformLabels[row.platform as PlatformId][locale] : row.label;
}

type Props = {
  data: Dashboard;
  theme: "light" | "dark";
  chartHeight: number | string;
  /** The wallboard shows the chart and a short table. */
  compact?: boolean;
};

/** Volume per platform today in 5-minute steps, and the table per platform and store; a jump is marked red. */
export function PlatformTrend({ data, theme, chartHeight }: Omit<Props, "compact">) {
  const t = useT();
  const { locale } = useLocale();
  const option = useMemo<ChartOption>(() => {
    const { start, end } = trendWindow(data.platforms.map((p) => p.trend));
    const axis = (data.platforms[0]?.trend ?? []).slice(start, end).map((p) => clockIn(p.at, data.timezone));
    return {
      backgroundColor: "transparent",
      tooltip: { trigger: "axis" },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 16, top: 36, bottom: 8, outerBoundsMode: "same", outerBoundsContain: "axisLabel" },
      xAxis: { type: "category", boundaryGap: false, data: axis },
      yAxis: { type: "value", minInterval: 1, name: t("analytics.platform.per5min") },
      series: data.platforms.map((p) => ({
        type: "line",
        id: p.platform,
        name: `${volumeLabel(p, locale)}${p.spike ? ` ⚠ ${t("analytics.platform.spike")}` : ""}`,
        showSymbol: false,
        smooth: true,
        data: p.trend.slice(start, end).map((point) => point.inbound),
        lineStyle: { width: p.spike ? 4 : 2 },
        itemStyle: { color: p.spike ? "#ff4d4f" : platformLabels[p.platform as PlatformId].color },
        emphasis: { focus: "series" },
      })),
    };
  }, [data, locale, t]);

  return (
    <EChart
      option={option}
      theme={theme}
      height={chartHeight}
      testId="dashboard-platform-trend"
      ariaLabel={t("analytics.platform.trendTitle")}
    />
  );
}

export function PlatformTable({ data, compact = false }: Pick<Props, "data" | "compact">) {
  const t = useT();
  const { locale } = useLocale();
  const rows = useMemo(() => volumeTree(data), [data]);

  const columns: TableColumnsType<VolumeTreeRow> = [
    {
      key: "label",
      title: t("analytics.platform.name"),
      render: (_, row) => (
        <span className="platform-cell">
          <span className="platform-swatch" style={{ background: platformLabels[row.platform as PlatformId].color }} />
          {volumeLabel(row, locale)}
          {row.spike && (
            <Tag color="red" className="spike-tag" data-testid="spike-tag">
              {t("analytics.platform.spike")}
            </Tag>
          )}
        </span>
      ),
    },
    {
      key: "inbound",
      title: t("analytics.kpi.inboundMessages"),
      align: "right",
      width: 96,
      sorter: (a, b) => a.inbound - b.inbound,
      render: (_, row) => formatCount(row.inbound, locale),
    },
    {
      key: "last15",
      title: t("analytics.platform.last15"),
      align: "right",
      width: 90,
      render: (_, row) => {
        const ratio = spikeRatio(row.last15, row.previousHourPer15);
        return (
          <Tooltip title={t("analytics.platform.paceHint", { pace: formatCount(row.previousHourPer15, locale) })}>
            <span className={row.spike ? "is-spike-figure" : undefined}>
              {formatCount(row.last15, locale)}
              {ratio !== null && ratio >= 1.5 && <small> ×{ratio.toFixed(1)}</small>}
            </span>
          </Tooltip>
        );
      },
    },
    {
      key: "csat",
      title: t("analytics.kpi.csat"),
      align: "right",
      width: 80,
      render: (_, row) => formatRate(row.csat),
    },
    {
      key: "complaints",
      title: t("analytics.kpi.complaintRate"),
      align: "right",
      width: 80,
      render: (_, row) => formatRate(row.complaintRate),
    },
  ];
  if (!compact) {
    columns.splice(2, 0, {
      key: "conversations",
      title: t("analytics.kpi.conversations"),
      align: "right",
      width: 80,
      render: (_, row) => formatCount(row.conversations, locale),
    });
    columns.push({
      key: "rate3m",
      title: t("analytics.kpi.responseRate3m"),
      align: "right",
      width: 96,
      render: (_, row) => formatRate(row.responseRate3m),
    });
  }

  return (
    <Table<VolumeTreeRow>
      size="small"
      rowKey="key"
      columns={columns}
      dataSource={rows}
      pagination={false}
      expandable={{ defaultExpandAllRows: true, indentSize: 12 }}
      onRow={(row) => ({
        className: row.spike ? "is-spike-row" : undefined,
        "data-testid": "dashboard-platform-row",
        "data-spike": row.spike ? "true" : "false",
      })}
      scroll={{ x: compact ? undefined : 640 }}
      locale={{ emptyText: t("analytics.platform.none") }}
    />
  );
}
