import { MessageOutlined } from "@ant-design/icons";
import type { QualityReport as QualityReportData } from "@yunxi/contracts";
import { qualityRuleIds } from "@yunxi/contracts";
import type { TableColumnsType } from "antd";
import { Alert, Button, Empty, Table, Tag } from "antd";
import { analyticsApi } from "../api/analytics-api.ts";
import { formatDateTime, formatTime } from "../i18n/format.ts";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import type { MessageKey } from "../i18n/zh-CN.ts";
import { requestOpenConversation } from "../notifications/open-conversation.ts";
import { formatCount } from "./figures.ts";
import { levelLooks, ruleLabels } from "./quality-rules.ts";
import type { ReportTabProps } from "./report-tabs.ts";
import { queryKey } from "./report-tabs.ts";
import { useLoad } from "./use-load.ts";

type AgentRow = QualityReportData["agents"][number];
type ConversationRow = QualityReportData["conversations"][number];

const senderLabels: Record<"buyer" | "agent" | "bot", MessageKey> = {
  buyer: "analytics.quality.sender.buyer",
  agent: "analytics.quality.sender.agent",
  bot: "analytics.quality.sender.bot",
};

function scoreColor(score: number | null): string | undefined {
  if (score === null) return undefined;
  if (score < 60) return "red";
  if (score < 80) return "orange";
  return "green";
}

/** 质检: which rules fired, each agent's checks and score, and the lowest-scoring conversations with the lines behind each finding. */
export function QualityReport({ query, rangeLabel, onDrill }: ReportTabProps) {
  const t = useT();
  const { locale } = useLocale();
  const { data, error, loading } = useLoad((signal) => analyticsApi.quality(query, signal), queryKey(query));

  const agentColumns: TableColumnsType<AgentRow> = [
    { key: "name", title: t("analytics.agent.name"), dataIndex: "name", fixed: "left", width: 110 },
    {
      key: "checked",
      title: t("analytics.quality.checked"),
      align: "right",
      width: 80,
      sorter: (a, b) => a.checked - b.checked,
      render: (_, row) => formatCount(row.checked, locale),
    },
    {
      key: "avgScore",
      title: t("analytics.kpi.qcScore"),
      align: "right",
      width: 90,
      sorter: (a, b) => (a.avgScore ?? 101) - (b.avgScore ?? 101),
      defaultSortOrder: "ascend",
      render: (_, row) =>
        row.avgScore === null ? "—" : <Tag color={scoreColor(row.avgScore)}>{row.avgScore.toFixed(1)}</Tag>,
    },
    {
      key: "alerts",
      title: t("analytics.kpi.qcAlerts"),
      align: "right",
      width: 90,
      sorter: (a, b) => a.alerts - b.alerts,
      render: (_, row) =>
        row.alerts > 0 ? (
          <button
            type="button"
            className="kpi-link"
            onClick={() =>
              onDrill({
                metric: "qc_alerts",
                title: `${row.name} · ${t("analytics.kpi.qcAlerts")} · ${rangeLabel}`,
                query: { ...query, agentId: row.agentId },
              })
            }
          >
            {formatCount(row.alerts, locale)}
          </button>
        ) : (
          "0"
        ),
    },
    ...qualityRuleIds.map((rule): TableColumnsType<AgentRow>[number] => ({
      key: rule,
      title: t(ruleLabels[rule]),
      align: "right",
      width: 110,
      render: (_, row) => row.byRule[rule] ?? 0,
    })),
  ];

  const conversationColumns: TableColumnsType<ConversationRow> = [
    {
      key: "score",
      title: t("analytics.quality.score"),
      width: 70,
      render: (_, row) => (row.score === null ? "—" : <Tag color={scoreColor(row.score)}>{row.score}</Tag>),
    },
    { key: "store", title: t("analytics.filter.store"), dataIndex: "storeLabel", width: 140 },
    {
      key: "agent",
      title: t("analytics.filter.agent"),
      width: 100,
      render: (_, row) =>
        (row.agentId && data?.agents.find((a) => a.agentId === row.agentId)?.name) || t("analytics.drilldown.noAgent"),
    },
    {
      key: "findings",
      title: t("analytics.quality.findings"),
      render: (_, row) =>
        row.findings.map((f) => (
          <Tag key={f.rule} color={levelLooks[f.level].color}>
            {t(ruleLabels[f.rule])} −{f.score}
          </Tag>
        )),
    },
    {
      key: "resolvedAt",
      title: t("analytics.quality.resolvedAt"),
      width: 150,
      render: (_, row) => (row.resolvedAt ? formatDateTime(row.resolvedAt, locale) : "—"),
    },
    {
      key: "open",
      width: 56,
      render: (_, row) => (
        <Button
          size="small"
          type="text"
          icon={<MessageOutlined />}
          aria-label={t("analytics.drilldown.open")}
          title={t("analytics.drilldown.open")}
          onClick={() => requestOpenConversation(row.conversationId)}
        />
      ),
    },
  ];

  return (
    <div className="report-tab" data-testid="report-quality">
      {error && <Alert type="error" showIcon title={t("analytics.report.loadFailed")} description={error} />}
      <section className="quality-rules-summary">
        {(data?.rules ?? []).map((rule) => (
          <div key={rule.rule} className="quality-rule-chip" data-testid="quality-rule-count">
            <Tag color={levelLooks[rule.level].color}>{t(levelLooks[rule.level].label)}</Tag>
            <span>{t(ruleLabels[rule.rule])}</span>
            <strong>{formatCount(rule.triggered, locale)}</strong>
          </div>
        ))}
      </section>
      <h3 className="analytics-subtitle">{t("analytics.quality.perAgent")}</h3>
      <Table<AgentRow>
        size="small"
        rowKey="agentId"
        columns={agentColumns}
        dataSource={data?.agents ?? []}
        loading={loading}
        pagination={false}
        scroll={{ x: 1100 }}
        showSorterTooltip={false}
        locale={{ emptyText: t("analytics.report.empty") }}
      />
      <h3 className="analytics-subtitle">{t("analytics.quality.perConversation")}</h3>
      <p className="analytics-hint">{t("analytics.quality.perConversationHint")}</p>
      <Table<ConversationRow>
        size="small"
        rowKey="conversationId"
        columns={conversationColumns}
        dataSource={data?.conversations ?? []}
        loading={loading}
        pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
        scroll={{ x: 900 }}
        expandable={{
          rowExpandable: (row) => row.findings.length > 0,
          expandedRowRender: (row) => (
            <div className="quality-findings" data-testid="quality-findings">
              {row.findings.map((finding) => (
                <div key={finding.rule} className="quality-finding">
                  <div className="quality-finding-head">
                    <Tag color={levelLooks[finding.level].color}>{t(levelLooks[finding.level].label)}</Tag>
                    <strong>{t(ruleLabels[finding.rule])}</strong>
                    <span className="analytics-hint">−{finding.score}</span>
                  </div>
                  {finding.lines.length === 0 ? (
                    <span className="analytics-hint">{t("analytics.quality.noLines")}</span>
                  ) : (
                    <ul className="quality-lines">
                      {finding.lines.map((line) => (
                        <li key={`${finding.rule}:${line.messageId}`} className={`quality-line is-${line.sender}`}>
                          <span className="quality-line-meta">
                            {t(senderLabels[line.sender])} · {formatTime(line.at, locale)}
                          </span>
                          <span className="quality-line-text">{line.text}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              ))}
            </div>
          ),
        }}
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("analytics.quality.noFindings")} />,
        }}
      />
    </div>
  );
}
