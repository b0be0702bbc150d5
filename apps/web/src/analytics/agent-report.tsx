import type { AgentReport as AgentReportData } from "@yunxi/contracts";
import type { TableColumnsType } from "antd";
import { Alert, Table } from "antd";
import { analyticsApi } from "../api/analytics-api.ts";
import { useT } from "../i18n/i18n-provider.tsx";
import type { KpiField } from "./figures.ts";
import { formatDuration, formatRate, kpiFields, kpiValue } from "./figures.ts";
import { KpiCell } from "./kpi-cell.tsx";
import type { ReportTabProps } from "./report-tabs.ts";
import { queryKey } from "./report-tabs.ts";
import { useLoad } from "./use-load.ts";

type Row = AgentReportData["items"][number];

const fields: readonly KpiField[] = [
  kpiFields.handled,
  kpiFields.rounds,
  kpiFields.firstResponseAvgSeconds,
  kpiFields.avgResponseSeconds,
  kpiFields.responseRate3m,
  kpiFields.missedRounds,
  kpiFields.inquiryConversionRate,
  kpiFields.convertedAmountCents,
  kpiFields.csat,
  kpiFields.complaints,
  kpiFields.resolved,
  kpiFields.qcAvgScore,
];

const nullsLast = (a: number | null, b: number | null) =>
  (a ?? Number.NEGATIVE_INFINITY) - (b ?? Number.NEGATIVE_INFINITY);

/** 客服绩效: one row per agent, every KPI against the previous period; a click on a number lists its conversations. */
export function AgentReport({ query, rangeLabel, onDrill }: ReportTabProps) {
  const t = useT();
  const { data, error, loading } = useLoad((signal) => analyticsApi.agents(query, signal), queryKey(query));

  const columns: TableColumnsType<Row> = [
    {
      key: "name",
      title: t("analytics.agent.name"),
      dataIndex: "name",
      fixed: "left",
      width: 110,
      sorter: (a, b) => a.name.localeCompare(b.name),
    },
    ...fields.map((field): TableColumnsType<Row>[number] => ({
      key: field.key,
      title: t(field.label),
      align: "right",
      width: field.kind === "seconds" ? 120 : 110,
      sorter: (a, b) => nullsLast(kpiValue(a.kpis, field), kpiValue(b.kpis, field)),
      defaultSortOrder: field.key === "handled" ? "descend" : undefined,
      render: (_, row) => (
        <KpiCell
          field={field}
          current={row.kpis}
          previous={row.previous}
          testId={`agent-report-${field.key}`}
          onOpen={
            field.drilldown
              ? () =>
                  onDrill({
                    metric: field.drilldown!,
                    title: `${row.name} · ${t(field.label)} · ${rangeLabel}`,
                    query: { ...query, agentId: row.agentId },
                  })
              : undefined
          }
        />
      ),
    })),
    {
      key: "online",
      title: t("analytics.agent.onlineTime"),
      align: "right",
      width: 110,
      sorter: (a, b) => a.onlineSeconds - b.onlineSeconds,
      render: (_, row) => formatDuration(row.onlineSeconds, t),
    },
    {
      key: "utilisation",
      title: t("analytics.agent.utilisation"),
      align: "right",
      width: 96,
      sorter: (a, b) => nullsLast(a.utilisation, b.utilisation),
      render: (_, row) => formatRate(row.utilisation),
    },
  ];

  return (
    <div className="report-tab" data-testid="report-agents">
      {error && <Alert type="error" showIcon title={t("analytics.report.loadFailed")} description={error} />}
      <Table<Row>
        size="small"
        rowKey="agentId"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={loading}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
        scroll={{ x: 1600 }}
        showSorterTooltip={false}
        locale={{ emptyText: t("analytics.report.empty") }}
      />
    </div>
  );
}
