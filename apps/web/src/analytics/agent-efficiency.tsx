import type { AgentStatus, Dashboard } from "@yunxi/contracts";
import { agentStatuses } from "@yunxi/contracts";
import type { TableColumnsType } from "antd";
import { Progress, Table } from "antd";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import { StatusDot, statusLooks } from "../presence/status-look.tsx";
import { formatCount, formatDuration, formatRate } from "./figures.ts";

type Agent = Dashboard["agents"][number];

function isStatus(value: string): value is AgentStatus {
  return agentStatuses.some((s) => s === value);
}

const statusOrder = (status: string) => {
  const index = agentStatuses.indexOf(status as AgentStatus);
  return index < 0 ? agentStatuses.length : index;
};

const nullsLast = (a: number | null, b: number | null) =>
  (a ?? Number.NEGATIVE_INFINITY) - (b ?? Number.NEGATIVE_INFINITY);

type Props = {
  agents: Dashboard["agents"];
  onOpenAgent: (agent: Agent) => void;
  /** The wallboard's compact table: fewer columns, no paging. */
  compact?: boolean;
};

/** Each agent today: status, load against capacity, handled, response time, 3-minute rate, conversion; sortable; a click lists their conversations. */
export function AgentEfficiency({ agents, onOpenAgent, compact = false }: Props) {
  const t = useT();
  const { locale } = useLocale();

  const columns: TableColumnsType<Agent> = [
    {
      key: "name",
      title: t("analytics.agent.name"),
      dataIndex: "name",
      fixed: compact ? undefined : "left",
      width: 120,
      sorter: (a, b) => a.name.localeCompare(b.name),
      render: (name: string) => <span className="agent-efficiency-name">{name}</span>,
    },
    {
      key: "status",
      title: t("analytics.agent.status"),
      width: 96,
      sorter: (a, b) => statusOrder(a.status) - statusOrder(b.status),
      render: (_, agent) => (
        <span className="agent-efficiency-status" data-status={agent.status}>
          <StatusDot status={isStatus(agent.status) ? agent.status : null} />
          {isStatus(agent.status) ? t(statusLooks[agent.status].label) : agent.status}
        </span>
      ),
    },
    {
      key: "load",
      title: t("analytics.agent.load"),
      width: compact ? 120 : 150,
      sorter: (a, b) => a.load - b.load || a.load / Math.max(1, a.capacity) - b.load / Math.max(1, b.capacity),
      defaultSortOrder: "descend",
      render: (_, agent) => (
        <span className="agent-efficiency-load">
          <Progress
            percent={agent.capacity > 0 ? Math.round((agent.load / agent.capacity) * 100) : 0}
            showInfo={false}
            size="small"
            status={agent.load >= agent.capacity && agent.capacity > 0 ? "exception" : "normal"}
          />
          <span>
            {agent.load}/{agent.capacity}
          </span>
        </span>
      ),
    },
    {
      key: "handled",
      title: t("analytics.agent.handledToday"),
      dataIndex: "handledToday",
      width: 96,
      align: "right",
      sorter: (a, b) => a.handledToday - b.handledToday,
      render: (value: number) => formatCount(value, locale),
    },
    {
      key: "avgResponse",
      title: t("analytics.kpi.avgResponse"),
      width: 110,
      align: "right",
      sorter: (a, b) => nullsLast(a.avgResponseSeconds, b.avgResponseSeconds),
      render: (_, agent) => formatDuration(agent.avgResponseSeconds, t),
    },
    {
      key: "rate3m",
      title: t("analytics.kpi.responseRate3m"),
      width: 110,
      align: "right",
      sorter: (a, b) => nullsLast(a.responseRate3m, b.responseRate3m),
      render: (_, agent) => formatRate(agent.responseRate3m),
    },
    {
      key: "conversion",
      title: t("analytics.kpi.conversionRate"),
      width: 100,
      align: "right",
      sorter: (a, b) => nullsLast(a.conversionRate, b.conversionRate),
      render: (_, agent) => formatRate(agent.conversionRate),
    },
  ];
  if (!compact) {
    columns.push({
      key: "online",
      title: t("analytics.agent.onlineToday"),
      width: 110,
      align: "right",
      sorter: (a, b) => a.onlineSeconds - b.onlineSeconds,
      render: (_, agent) => formatDuration(agent.onlineSeconds, t),
    });
  }

  return (
    <Table<Agent>
      size="small"
      rowKey="userId"
      columns={columns}
      dataSource={agents}
      pagination={compact ? false : { pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
      scroll={{ x: compact ? undefined : 880 }}
      showSorterTooltip={false}
      onRow={(agent) => ({
        onClick: () => onOpenAgent(agent),
        className: "analytics-clickable-row",
        "data-testid": "dashboard-agent-row",
        "data-agent": agent.name,
      })}
      locale={{ emptyText: t("analytics.agent.none") }}
    />
  );
}
