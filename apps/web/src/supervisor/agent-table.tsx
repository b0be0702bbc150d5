import type { AgentState, AgentStatus } from "@yunxi/contracts";
import { agentStatuses } from "@yunxi/contracts";
import type { TableColumnsType } from "antd";
import { App, InputNumber, Progress, Select, Table, Tag } from "antd";
import type { HTMLAttributes } from "react";
import { useEffect, useRef, useState } from "react";
import { agentsApi } from "../api/admin-workspace-api.ts";
import { formatRelative } from "../i18n/format.ts";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import { StatusDot, statusLooks } from "../presence/status-look.tsx";
import { errorText } from "../shared/error-text.ts";
import type { ConversationActions } from "./supervised-conversations.tsx";
import { SupervisedConversations } from "./supervised-conversations.tsx";
import type { AgentRow } from "./supervisor-state.ts";
import { capacityToSave } from "./supervisor-state.ts";

type Props = {
  rows: readonly AgentRow[];
  agents: ReadonlyMap<string, AgentState>;
  actions: ConversationActions;
  onAgentChanged: (agent: AgentState) => void;
  now: number;
  meId: string;
  loading: boolean;
};

/** Every agent: status (a supervisor may force one), load against capacity (editable), waiting buyers, last activity, and their conversations. */
export function AgentTable({ rows, agents, actions, onAgentChanged, now, meId, loading }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const [savingId, setSavingId] = useState<string | null>(null);
  /** null: every agent who holds conversations is expanded (until the supervisor folds one). */
  const [expanded, setExpanded] = useState<readonly string[] | null>(null);
  const expandedKeys = expanded ?? rows.filter((row) => row.conversations.length > 0).map((row) => row.agent.userId);

  /** Resolves with whether it was saved. */
  const update = (agent: AgentState, patch: { capacity?: number; status?: AgentStatus }): Promise<boolean> => {
    setSavingId(agent.userId);
    return agentsApi
      .update(agent.userId, patch)
      .then((saved) => {
        onAgentChanged(saved);
        message.success(t("supervisor.agentSaved", { name: saved.name }));
        return true;
      })
      .catch((cause: unknown) => {
        message.error(errorText(cause, t));
        return false;
      })
      .finally(() => setSavingId(null));
  };

  const columns: TableColumnsType<AgentRow> = [
    {
      key: "name",
      title: t("supervisor.agent"),
      render: (_, { agent }) => (
        <span className="agent-name-cell">
          <span className="agent-name">{agent.name}</span>
          <Tag className="agent-role">{t(`role.${agent.role}`)}</Tag>
        </span>
      ),
    },
    {
      key: "status",
      title: t("supervisor.status"),
      width: 130,
      render: (_, { agent }) => (
        <Select<AgentStatus>
          size="small"
          variant="borderless"
          value={agent.status}
          className="agent-status-select"
          popupMatchSelectWidth={false}
          disabled={savingId === agent.userId}
          data-testid="agent-row-status"
          data-status={agent.status}
          onChange={(status) => void update(agent, { status })}
          options={agentStatuses.map((status) => ({
            value: status,
            label: (
              <span className="agent-status-option">
                <StatusDot status={status} />
                {t(statusLooks[status].label)}
              </span>
            ),
          }))}
        />
      ),
    },
    {
      key: "load",
      title: t("supervisor.load"),
      width: 190,
      render: (_, { agent }) => (
        <span className="agent-load">
          <Progress
            type="line"
            size="small"
            showInfo={false}
            percent={agent.capacity > 0 ? Math.min(100, (agent.load / agent.capacity) * 100) : 0}
            status={agent.load >= agent.capacity ? "exception" : "normal"}
          />
          <span className="agent-load-numbers">
            {agent.load} /
            <CapacityInput
              agent={agent}
              disabled={savingId === agent.userId}
              label={t("supervisor.capacity")}
              onCommit={(capacity) => update(agent, { capacity })}
            />
          </span>
        </span>
      ),
    },
    {
      key: "waiting",
      title: t("supervisor.waitingBuyers"),
      width: 90,
      render: (_, { agent }) =>
        agent.waiting > 0 ? <Tag color="orange">{agent.waiting}</Tag> : <span className="muted">0</span>,
    },
    {
      key: "lastActive",
      title: t("supervisor.lastActive"),
      width: 110,
      render: (_, { agent }) =>
        agent.lastActiveAt ? formatRelative(agent.lastActiveAt, now, locale, t) : <span className="muted">—</span>,
    },
    {
      key: "conversations",
      title: t("supervisor.current"),
      width: 100,
      render: (_, row) => row.conversations.length,
    },
  ];

  return (
    <Table<AgentRow>
      rowKey={(row) => row.agent.userId}
      size="middle"
      columns={columns}
      dataSource={rows}
      loading={loading}
      pagination={false}
      scroll={{ x: 760 }}
      onRow={(row) => agentRowProps(row.agent)}
      expandable={{
        expandedRowKeys: expandedKeys,
        onExpandedRowsChange: (keys) => setExpanded(keys.map(String)),
        rowExpandable: (row) => row.conversations.length > 0,
        expandedRowRender: (row) => (
          <SupervisedConversations
            conversations={row.conversations}
            agents={agents}
            actions={actions}
            now={now}
            showAssignee={false}
            emptyText={t("supervisor.noConversations")}
            testId="agent-conversations"
            meId={meId}
          />
        ),
      }}
    />
  );
}

/** The capacity field: edited freely, saved on Enter or when it loses focus, if it is a new valid value. */
function CapacityInput({
  agent,
  disabled,
  label,
  onCommit,
}: {
  agent: AgentState;
  disabled: boolean;
  label: string;
  /** Resolves with whether it was saved. */
  onCommit: (capacity: number) => Promise<boolean>;
}) {
  const [draft, setDraft] = useState<number | null>(agent.capacity);
  // Enter and then leaving the field would save the same value twice.
  const sent = useRef<number | null>(null);
  useEffect(() => {
    setDraft(agent.capacity);
    sent.current = null;
  }, [agent.capacity]);
  const commit = () => {
    const capacity = capacityToSave(draft, agent.capacity);
    if (capacity === null) setDraft(agent.capacity);
    else if (capacity !== sent.current) {
      sent.current = capacity;
      void onCommit(capacity).then((saved) => {
        if (!saved) sent.current = null;
      });
    }
  };
  return (
    <InputNumber
      size="small"
      min={1}
      max={200}
      precision={0}
      value={draft}
      onChange={(value) => setDraft(typeof value === "number" ? value : null)}
      onBlur={commit}
      onPressEnter={commit}
      className="agent-capacity"
      aria-label={label}
      disabled={disabled}
      data-testid="agent-capacity"
    />
  );
}

function agentRowProps(agent: AgentState): HTMLAttributes<HTMLElement> {
  const props: HTMLAttributes<HTMLElement> & Record<`data-${string}`, string> = {
    "data-testid": "agent-row",
    "data-user-id": agent.userId,
    "data-status": agent.status,
  };
  return props;
}
