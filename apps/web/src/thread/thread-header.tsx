import { ArrowLeftOutlined, ProfileOutlined } from "@ant-design/icons";
import type { Conversation, ConversationStatus } from "@yunxi/contracts";
import { conversationStatuses } from "@yunxi/contracts";
import { Button, Select } from "antd";
import { useState } from "react";
import { useT } from "../i18n/i18n-provider.tsx";
import { useInboxActions } from "../inbox/inbox-provider.tsx";
import { SourceTag } from "../shared/source-label.tsx";

type Props = {
  conversation: Conversation;
  storeName: string | undefined;
  onBack: () => void;
  /** Opens the buyer's orders where the details pane is not shown (iPad, narrow laptops). */
  onOpenOrders: () => void;
  onError: (error: unknown) => void;
};

export function ThreadHeader({ conversation, storeName, onBack, onOpenOrders, onError }: Props) {
  const t = useT();
  const { setStatus } = useInboxActions();
  const [saving, setSaving] = useState(false);

  const changeStatus = (status: ConversationStatus) => {
    setSaving(true);
    setStatus(conversation.id, status)
      .catch(onError)
      .finally(() => setSaving(false));
  };

  return (
    <div className="thread-header">
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
      <Select
        className="thread-status"
        data-testid="status-select"
        aria-label={t("thread.status")}
        size="small"
        value={conversation.status}
        loading={saving}
        onChange={changeStatus}
        options={conversationStatuses.map((status) => ({ value: status, label: t(`status.${status}`) }))}
        popupMatchSelectWidth={false}
      />
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
  );
}
