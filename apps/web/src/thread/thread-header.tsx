import { ArrowLeftOutlined, EyeOutlined, ProfileOutlined } from "@ant-design/icons";
import type { Conversation } from "@yunxi/contracts";
import { Button, Tag, Tooltip } from "antd";
import { useMe } from "../auth/auth-provider.tsx";
import { IntentCorrection } from "../autoreply/intent-correction.tsx";
import { intentOfTag } from "../autoreply/intent-tag.ts";
import { AssigneeLabel } from "../conversations/assignee-label.tsx";
import { PriorityBadge } from "../conversations/priority-badge.tsx";
import { SlaCountdown } from "../conversations/sla-countdown.tsx";
import { formatDateTime, formatTime } from "../i18n/format.ts";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import { useAgentsById } from "../inbox/selectors.ts";
import { SourceTag } from "../shared/source-label.tsx";
import { useNow } from "../shared/use-now.ts";
import { ConversationActions } from "./conversation-actions.tsx";

type Props = {
  conversation: Conversation;
  storeName: string | undefined;
  onBack: () => void;
  /** Opens the buyer's orders where the details pane is not shown (iPad, narrow laptops). */
  onOpenOrders: () => void;
};

const statusColors = { open: "processing", pending: "warning", resolved: "success" } as const;

/**
 * Who and where (source, buyer), where it stands (status, priority, SLA countdown, missed targets,
 * assignee, whether the buyer read our last message), and the actions on it.
 */
export function ThreadHeader({ conversation, storeName, onBack, onOpenOrders }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const me = useMe();
  const agentsById = useAgentsById();
  const now = useNow(1000);
  const { status, snoozedUntil, sla } = conversation;
  const snoozed = status === "pending" && snoozedUntil !== null && Date.parse(snoozedUntil) > now;

  return (
    <div className="thread-header" data-testid="thread-header">
      <div className="thread-header-row">
        <Button
          className="thread-back"
          type="text"
          icon={<ArrowLeftOutlined />}
          onClick={onBack}
          aria-label={t("thread.back")}
        />
        <SourceTag platform={conversation.platform} storeName={storeName} fallback={conversation.storeLabel} />
        <span className="thread-buyer" title={conversation.customer.platformBuyerId}>
          {conversation.customer.displayName}
        </span>
        <Button
          className="thread-orders-button"
          size="small"
          icon={<ProfileOutlined />}
          onClick={onOpenOrders}
          data-testid="orders-button"
        >
          {t("orders.open")}
        </Button>
      </div>
      <div className="thread-header-row thread-chips">
        <Tag color={statusColors[status]} className="thread-status-tag" data-testid="status-tag" data-status={status}>
          {snoozed && snoozedUntil
            ? t("thread.snoozedUntil", { time: formatDateTime(snoozedUntil, locale) })
            : t(`status.${status}`)}
        </Tag>
        <PriorityBadge conversation={conversation} />
        <SlaCountdown conversation={conversation} now={now} showMissed={false} />
        {sla.breaches.map((kind) => (
          <Tag key={kind} color="error" className="sla-breach-tag" data-testid="sla-breach">
            {t("sla.breach", { kind: t(`sla.kind.${kind}`) })}
          </Tag>
        ))}
        {/* The AI pre-review's intent tag, correctable in one click; the other tags as they are. */}
        <IntentCorrection conversationId={conversation.id} tags={conversation.tags} />
        {conversation.tags
          .filter((tag) => intentOfTag(tag) === null)
          .map((tag) => (
            <Tag key={tag} className="thread-tag">
              {tag}
            </Tag>
          ))}
        <BuyerReadState conversation={conversation} />
        <span className="thread-chips-spacer" />
        <AssigneeLabel assigneeId={conversation.assigneeId} agentsById={agentsById} meId={me.user.id} />
      </div>
      <ConversationActions conversation={conversation} />
    </div>
  );
}

/** 买家已读 / 买家未读 for our last message, where the platform sends read receipts. */
function BuyerReadState({ conversation }: { conversation: Conversation }) {
  const t = useT();
  const { locale } = useLocale();
  const { buyerReadAt, lastOutboundAt } = conversation;
  if (!buyerReadAt || !lastOutboundAt) return null;
  const read = Date.parse(buyerReadAt) >= Date.parse(lastOutboundAt);
  return (
    <Tooltip title={t("thread.buyerReadAt", { time: formatTime(buyerReadAt, locale) })}>
      <span
        className={`buyer-read-state${read ? " is-read" : ""}`}
        data-testid="buyer-read-state"
        data-read={read ? "true" : "false"}
      >
        <EyeOutlined /> {read ? t("thread.buyerRead") : t("thread.buyerUnread")}
      </span>
    </Tooltip>
  );
}
