import { ExportOutlined, SwapOutlined, UserAddOutlined } from "@ant-design/icons";
import type { AgentState, Conversation } from "@yunxi/contracts";
import type { TableColumnsType } from "antd";
import { Button, Space, Table, Tag, Tooltip } from "antd";
import type { HTMLAttributes } from "react";
import { useT } from "../i18n/i18n-provider.tsx";
import { requestOpenConversation } from "../notifications/open-conversation.ts";
import { SourceTag } from "../shared/source-label.tsx";
import { isAwaitingReply, minutesSince, waitingSince } from "./supervisor-state.ts";

export type ConversationActions = {
  /** Claim an unassigned one, or take one over from its holder. */
  takeOver: (conversation: Conversation) => void;
  reassign: (conversation: Conversation) => void;
  /** The id of the conversation an action is running for. */
  busyId: string | null;
};

type Props = {
  conversations: readonly Conversation[];
  agents: ReadonlyMap<string, AgentState>;
  actions: ConversationActions;
  now: number;
  /** Show who holds each one (the breached list); not in an agent's own row. */
  showAssignee: boolean;
  emptyText: string;
  testId: string;
  meId: string;
};

/** A compact list of conversations with what a supervisor does with them: open, take over, reassign. */
export function SupervisedConversations({
  conversations,
  agents,
  actions,
  now,
  showAssignee,
  emptyText,
  testId,
  meId,
}: Props) {
  const t = useT();

  const columns: TableColumnsType<Conversation> = [
    {
      key: "buyer",
      title: t("supervisor.buyer"),
      render: (_, c) => (
        <span className="supervised-buyer">
          <span className="supervised-buyer-name">{c.customer.displayName}</span>
          <SourceTag platform={c.platform} storeName={undefined} fallback={c.storeLabel} />
        </span>
      ),
    },
    {
      key: "priority",
      title: t("supervisor.priority"),
      width: 90,
      render: (_, c) => (
        <Tooltip title={c.priorityReasons.length > 0 ? c.priorityReasons.join(" · ") : undefined}>
          <Tag color={c.priority >= 30 ? "red" : c.priority > 0 ? "orange" : undefined}>{c.priority}</Tag>
        </Tooltip>
      ),
    },
    {
      key: "wait",
      title: t("supervisor.waiting"),
      width: 110,
      render: (_, c) => {
        const minutes = minutesSince(waitingSince(c), now);
        if (minutes === null) return <span className="muted">{t("supervisor.answered")}</span>;
        return (
          <span className={isAwaitingReply(c) ? "supervised-wait is-waiting" : "supervised-wait"}>
            {t("supervisor.minutes", { count: minutes })}
          </span>
        );
      },
    },
    {
      key: "sla",
      title: t("supervisor.sla"),
      width: 130,
      render: (_, c) =>
        c.sla.breaches.length === 0 ? (
          <span className="muted">—</span>
        ) : (
          <span className="supervised-breaches">
            {c.sla.breaches.map((kind) => (
              <Tag key={kind} color="red">
                {t(`notify.slaKind.${kind}`)}
              </Tag>
            ))}
          </span>
        ),
    },
    ...(showAssignee
      ? [
          {
            key: "assignee",
            title: t("supervisor.assignee"),
            width: 110,
            render: (_: unknown, c: Conversation) =>
              c.assigneeId === null ? (
                <Tag>{t("supervisor.unassigned")}</Tag>
              ) : (
                (agents.get(c.assigneeId)?.name ?? c.assigneeId)
              ),
          },
        ]
      : []),
    {
      key: "actions",
      title: t("common.actions"),
      width: 200,
      fixed: "right",
      render: (_, c) => (
        <Space size={2} wrap>
          <Tooltip title={t("supervisor.open")}>
            <Button
              size="small"
              type="text"
              icon={<ExportOutlined />}
              aria-label={t("supervisor.open")}
              onClick={() => requestOpenConversation(c.id)}
              data-testid="supervised-open"
            />
          </Tooltip>
          {c.assigneeId !== meId && (
            <Button
              size="small"
              type="text"
              icon={<UserAddOutlined />}
              loading={actions.busyId === c.id}
              onClick={() => actions.takeOver(c)}
              data-testid="take-over"
            >
              {c.assigneeId === null ? t("supervisor.claim") : t("supervisor.takeOver")}
            </Button>
          )}
          <Button
            size="small"
            type="text"
            icon={<SwapOutlined />}
            onClick={() => actions.reassign(c)}
            data-testid="reassign"
          >
            {t("supervisor.reassign")}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <div data-testid={testId}>
      <Table<Conversation>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={conversations}
        pagination={conversations.length > 20 ? { pageSize: 20, size: "small", showSizeChanger: false } : false}
        scroll={{ x: showAssignee ? 760 : 650 }}
        locale={{ emptyText }}
        onRow={(c) => rowProps(c.id)}
      />
    </div>
  );
}

/** antd passes these to the row's <tr>: end-to-end tests find a conversation by its id. */
function rowProps(conversationId: string): HTMLAttributes<HTMLElement> {
  const props: HTMLAttributes<HTMLElement> & { "data-conversation-id": string } = {
    "data-conversation-id": conversationId,
  };
  return props;
}
