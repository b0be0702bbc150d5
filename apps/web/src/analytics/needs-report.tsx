import type { IntentReport } from "@yunxi/contracts";
import type { TableColumnsType } from "antd";
import { Alert, Empty, Table, Tag } from "antd";
import { useMemo } from "react";
import { analyticsApi } from "../api/analytics-api.ts";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import type { ChartOption } from "./echart.tsx";
import { EChart } from "./echart.tsx";
import { deltaOf, formatCount, formatRate, intentLabel } from "./figures.ts";
import type { ReportTabProps } from "./report-tabs.ts";
import { queryKey, topQuestionsOverall } from "./report-tabs.ts";
import { useLoad } from "./use-load.ts";

type IntentRow = IntentReport["items"][number];
type CategoryRow = IntentReport["categories"][number];

/** 客户需求: what buyers asked about (intents and product categories), what they complained about, the top questions. */
export function NeedsReport({ query, rangeLabel, onDrill }: ReportTabProps) {
  const t = useT();
  const { locale } = useLocale();
  const { data, error, loading } = useLoad((signal) => analyticsApi.intents(query, signal), queryKey(query));

  const pie = useMemo<ChartOption | null>(() => {
    if (!data || data.items.length === 0) return null;
    return {
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      legend: { type: "scroll", orient: "vertical", right: 0, top: "middle" },
      series: [
        {
          type: "pie",
          radius: ["40%", "70%"],
          center: ["35%", "50%"],
          label: { show: false },
          data: data.items.map((item) => ({ name: intentLabel(item.intent, t), value: item.conversations })),
        },
      ],
    };
  }, [data, t]);

  const byIntent = (intent: string) => (intent === "" ? "-" : intent);
  const drillIntent = (row: IntentRow, metric: "conversations" | "complaints") =>
    onDrill({
      metric,
      title: `${intentLabel(row.intent, t)} · ${t(metric === "complaints" ? "analytics.kpi.complaints" : "analytics.kpi.conversations")} · ${rangeLabel}`,
      query: { ...query, intent: byIntent(row.intent) },
    });

  const intentColumns: TableColumnsType<IntentRow> = [
    {
      key: "intent",
      title: t("analytics.filter.intent"),
      width: 140,
      fixed: "left",
      render: (_, row) => intentLabel(row.intent, t),
    },
    {
      key: "conversations",
      title: t("analytics.kpi.conversations"),
      align: "right",
      width: 130,
      sorter: (a, b) => a.conversations - b.conversations,
      defaultSortOrder: "descend",
      render: (_, row) => {
        const delta = deltaOf("count", row.conversations, row.previousConversations, "neither", t);
        return (
          <span className="kpi-cell">
            <button type="button" className="kpi-link" onClick={() => drillIntent(row, "conversations")}>
              {formatCount(row.conversations, locale)}
            </button>
            {delta.text && <span className={`kpi-delta is-${delta.tone}`}>{delta.text}</span>}
          </span>
        );
      },
    },
    {
      key: "share",
      title: t("analytics.needs.share"),
      align: "right",
      width: 80,
      render: (_, row) => formatRate(row.share),
    },
    {
      key: "complaints",
      title: t("analytics.kpi.complaints"),
      align: "right",
      width: 80,
      sorter: (a, b) => a.complaints - b.complaints,
      render: (_, row) =>
        row.complaints > 0 ? (
          <button type="button" className="kpi-link" onClick={() => drillIntent(row, "complaints")}>
            {formatCount(row.complaints, locale)}
          </button>
        ) : (
          "0"
        ),
    },
    {
      key: "categories",
      title: t("analytics.needs.categories"),
      width: 220,
      render: (_, row) =>
        row.categories.slice(0, 3).map((c) => (
          <Tag key={c.category}>
            {c.category || t("analytics.needs.noCategory")} {c.conversations}
          </Tag>
        )),
    },
    {
      key: "questions",
      title: t("analytics.needs.topQuestions"),
      render: (_, row) => (
        <ul className="question-list">
          {row.topQuestions.slice(0, 3).map((q) => (
            <li key={q.text}>
              “{q.text}” <small>×{q.count}</small>
            </li>
          ))}
        </ul>
      ),
    },
  ];

  const categoryColumns: TableColumnsType<CategoryRow> = [
    {
      key: "category",
      title: t("analytics.needs.category"),
      render: (_, row) => row.category || t("analytics.needs.noCategory"),
    },
    {
      key: "conversations",
      title: t("analytics.kpi.conversations"),
      align: "right",
      render: (_, row) => (
        <button
          type="button"
          className="kpi-link"
          onClick={() =>
            onDrill({
              metric: "conversations",
              title: `${row.category || t("analytics.needs.noCategory")} · ${rangeLabel}`,
              query: { ...query, category: row.category === "" ? "-" : row.category },
            })
          }
        >
          {formatCount(row.conversations, locale)}
        </button>
      ),
    },
    {
      key: "complaints",
      title: t("analytics.kpi.complaints"),
      align: "right",
      render: (_, row) => formatCount(row.complaints, locale),
    },
  ];

  const top = data ? topQuestionsOverall(data.items) : [];

  return (
    <div className="report-tab" data-testid="report-needs">
      {error && <Alert type="error" showIcon title={t("analytics.report.loadFailed")} description={error} />}
      <div className="report-grid">
        <section className="analytics-card">
          <h3 className="analytics-subtitle">{t("analytics.needs.intentShare")}</h3>
          {pie ? (
            <EChart option={pie} height={260} ariaLabel={t("analytics.needs.intentShare")} />
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
          )}
        </section>
        <section className="analytics-card">
          <h3 className="analytics-subtitle">{t("analytics.needs.topQuestions")}</h3>
          {top.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
          ) : (
            <ol className="ranked-list" data-testid="report-top-questions">
              {top.map((q) => (
                <li key={q.text}>
                  <span className="ranked-text">“{q.text}”</span>
                  <Tag>{intentLabel(q.intent, t)}</Tag>
                  <span className="ranked-count">×{q.count}</span>
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
      <Table<IntentRow>
        size="small"
        rowKey="intent"
        columns={intentColumns}
        dataSource={data?.items ?? []}
        loading={loading}
        pagination={false}
        scroll={{ x: 1000 }}
        showSorterTooltip={false}
        locale={{ emptyText: t("analytics.report.empty") }}
      />
      <div className="report-grid">
        <section className="analytics-card">
          <h3 className="analytics-subtitle">{t("analytics.needs.categoryTitle")}</h3>
          <Table<CategoryRow>
            size="small"
            rowKey="category"
            columns={categoryColumns}
            dataSource={data?.categories ?? []}
            pagination={false}
            locale={{ emptyText: t("analytics.report.empty") }}
          />
        </section>
        <section className="analytics-card">
          <h3 className="analytics-subtitle">{t("analytics.needs.complaintReasons")}</h3>
          {(data?.complaintReasons.length ?? 0) === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("analytics.needs.noComplaints")} />
          ) : (
            <ol className="ranked-list">
              {data?.complaintReasons.map((r) => (
                <li key={r.text}>
                  <span className="ranked-text">{r.text}</span>
                  <span className="ranked-count">×{r.count}</span>
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
    </div>
  );
}
