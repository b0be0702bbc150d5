import type { DrilldownMetric, DrilldownResult, ReportQuery } from "@yunxi/contracts";
import { platformLabels } from "@yunxi/contracts";
import type { TableColumnsType } from "antd";
import { Alert, Drawer, Table, Typography } from "antd";
import { useEffect, useState } from "react";
import { analyticsApi } from "../api/analytics-api.ts";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import { requestOpenConversation } from "../notifications/open-conversation.ts";
import { errorText, isAbort } from "../shared/error-text.ts";
import { formatDuration, formatShortDateTime, intentLabel } from "./figures.ts";

/** A number clicked: the conversations behind it are listed for this metric, range and filters. */
export type DrilldownTarget = {
  metric: DrilldownMetric;
  /** What was clicked, e.g. "旗舰店 · 3分钟回复率 · 2026-11-01 – 2026-11-07". */
  title: string;
  query: ReportQuery;
};

type Item = DrilldownResult["items"][number];
const pageSize = 20;

type Props = { target: DrilldownTarget | null; onClose: () => void };

/** The conversations behind a number, a page at a time; one click opens a conversation in the inbox. */
export function DrilldownDrawer({ target, onClose }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const [page, setPage] = useState(1);
  const [result, setResult] = useState<DrilldownResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  // A new target starts at its first page.
  const [shown, setShown] = useState(target);
  if (shown !== target) {
    setShown(target);
    setPage(1);
    setResult(null);
    setError(null);
  }

  useEffect(() => {
    if (!target) return;
    const controller = new AbortController();
    setLoading(true);
    analyticsApi
      .drilldown(
        { ...target.query, metric: target.metric, limit: pageSize, offset: (page - 1) * pageSize },
        controller.signal,
      )
      .then((next) => {
        setResult(next);
        setError(null);
      })
      .catch((cause: unknown) => {
        if (!isAbort(cause)) setError(errorText(cause, t));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [target, page, t]);

  const columns: TableColumnsType<Item> = [
    {
      key: "startedAt",
      title: t("analytics.drilldown.startedAt"),
      width: 110,
      render: (_, item) => (item.startedAt ? formatShortDateTime(item.startedAt, locale) : "—"),
    },
    {
      key: "store",
      title: t("analytics.filter.store"),
      width: 150,
      render: (_, item) => (
        <span className="platform-cell">
          <span className="platform-swatch" style={{ background: platformLabels[item.platform].color }} />
          {item.storeLabel}
        </span>
      ),
    },
    {
      key: "agent",
      title: t("analytics.filter.agent"),
      width: 100,
      render: (_, item) => item.agentName ?? t("analytics.drilldown.noAgent"),
    },
    {
      key: "intent",
      title: t("analytics.filter.intent"),
      width: 120,
      render: (_, item) => intentLabel(item.intent, t),
    },
    {
      key: "question",
      title: t("analytics.drilldown.firstQuestion"),
      render: (_, item) => (
        <Typography.Text ellipsis={{ tooltip: item.firstQuestion }} style={{ maxWidth: 260 }}>
          {item.firstQuestion || "—"}
        </Typography.Text>
      ),
    },
    {
      key: "firstResponse",
      title: t("analytics.drilldown.firstResponse"),
      width: 110,
      render: (_, item) => formatDuration(item.firstResponseSeconds, t),
    },
    { key: "value", title: t("analytics.drilldown.value"), width: 70, align: "right", dataIndex: "value" },
  ];

  return (
    <Drawer open={target !== null} onClose={onClose} title={target?.title} size="min(960px, 100vw)" destroyOnHidden>
      <div data-testid="drilldown-drawer">
        <p className="analytics-hint">{t("analytics.drilldown.hint")}</p>
        {error && <Alert type="error" showIcon title={error} data-testid="drilldown-error" />}
        <Table<Item>
          size="small"
          rowKey="conversationId"
          columns={columns}
          dataSource={result?.items ?? []}
          loading={loading}
          scroll={{ x: 860 }}
          pagination={{
            current: page,
            pageSize,
            total: result?.total ?? 0,
            showSizeChanger: false,
            showTotal: (total) => t("analytics.drilldown.total", { n: total }),
            onChange: setPage,
          }}
          onRow={(item) => ({
            onClick: () => requestOpenConversation(item.conversationId),
            className: "analytics-clickable-row",
            "data-testid": "drilldown-row",
          })}
          locale={{ emptyText: t("analytics.drilldown.empty") }}
        />
      </div>
    </Drawer>
  );
}
