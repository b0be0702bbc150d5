import type { AgentState, Conversation } from "@yunxi/contracts";
import { Badge } from "antd";
import { memo } from "react";
import { formatRelative } from "../i18n/format.ts";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import { SourceTag } from "../shared/source-label.tsx";
import { AssigneeLabel } from "./assignee-label.tsx";
import { PriorityBadge } from "./priority-badge.tsx";
import { SlaCountdown } from "./sla-countdown.tsx";

type Props = {
  conversation: Conversation;
  storeName: string | undefined;
  agentsById: ReadonlyMap<string, AgentState>;
  meId: string;
  selected: boolean;
  now: number;
  onSelect: (id: string) => void;
};

/**
 * One row of the conversation list: source, buyer, time; last message and unread count;
 * priority, SLA countdown and assignee. Plain CSS and native titles: it is cheap to mount while scrolling.
 */
export const ConversationItem = memo(function ConversationItem({
  conversation,
  storeName,
  agentsById,
  meId,
  selected,
  now,
  onSelect,
}: Props) {
  const t = useT();
  const { locale } = useLocale();
  const { id, platform, customer, lastMessagePreview, lastMessageAt, unreadCount, status } = conversation;
  const className = ["conversation-item", selected && "is-selected", unreadCount > 0 && "is-unread", `status-${status}`]
    .filter(Boolean)
    .join(" ");

  return (
    <button
      type="button"
      className={className}
      data-testid="conversation-item"
      data-conversation-id={id}
      data-store-id={conversation.storeId}
      data-priority={conversation.priority}
      data-assignee={conversation.assigneeId ?? ""}
      aria-current={selected || undefined}
      onClick={() => onSelect(id)}
    >
      <span className="conversation-item-row">
        <SourceTag platform={platform} storeName={storeName} fallback={conversation.storeLabel} />
        <span className="conversation-buyer">{customer.displayName}</span>
        <time className="conversation-time" dateTime={lastMessageAt}>
          {formatRelative(lastMessageAt, now, locale, t)}
        </time>
      </span>
      <span className="conversation-item-row">
        <span className="conversation-preview">{lastMessagePreview}</span>
        <Badge
          count={unreadCount}
          overflowCount={99}
          size="small"
          title={t("conversations.unread", { count: unreadCount })}
        />
      </span>
      <span className="conversation-item-row conversation-item-meta">
        <PriorityBadge conversation={conversation} plain />
        <SlaCountdown conversation={conversation} now={now} />
        {status !== "open" && (
          <span className={`conversation-status status-tag-${status}`}>{t(`status.${status}`)}</span>
        )}
        <span className="conversation-item-spacer" />
        <AssigneeLabel assigneeId={conversation.assigneeId} agentsById={agentsById} meId={meId} />
      </span>
    </button>
  );
});
