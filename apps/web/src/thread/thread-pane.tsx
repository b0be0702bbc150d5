import { MessageOutlined } from "@ant-design/icons";
import { Alert, Button, Drawer, Empty } from "antd";
import { useState } from "react";
import { RecommendationCard } from "../assist/recommendation-card.tsx";
import { useT } from "../i18n/i18n-provider.tsx";
import { useConversation, useStoresById, useThreadMessages } from "../inbox/selectors.ts";
import { OrdersPanel } from "../orders/orders-panel.tsx";
import { Composer } from "./composer.tsx";
import "./thread.css";
import { MessageList } from "./message-list.tsx";
import { ThreadHeader } from "./thread-header.tsx";
import { useOpenConversation } from "./use-open-conversation.ts";

type Props = {
  conversationId: string | null;
  onBack: () => void;
  /** Opens another conversation (the one this one was merged into). */
  onOpen: (conversationId: string) => void;
  onError: (error: unknown) => void;
};

/** Middle pane: the open conversation, or a hint to pick one. */
export function ThreadPane({ conversationId, onBack, onOpen, onError }: Props) {
  const t = useT();
  if (!conversationId) {
    return (
      <div className="thread-placeholder">
        <Empty image={<MessageOutlined className="thread-placeholder-icon" />} description={t("thread.placeholder")} />
      </div>
    );
  }
  return (
    <OpenThread
      key={conversationId}
      conversationId={conversationId}
      onBack={onBack}
      onOpen={onOpen}
      onError={onError}
    />
  );
}

function OpenThread({ conversationId, onBack, onOpen, onError }: Props & { conversationId: string }) {
  const t = useT();
  const conversation = useConversation(conversationId);
  const messages = useThreadMessages(conversationId);
  const storesById = useStoresById();
  const { loading, error } = useOpenConversation(conversation, conversationId, onError);
  const [ordersOpen, setOrdersOpen] = useState(false);
  const [focusOrderId, setFocusOrderId] = useState<string | null>(null);
  const openOrders = (orderId: string | null) => {
    setFocusOrderId(orderId);
    setOrdersOpen(true);
  };

  return (
    <div className="thread-pane" data-conversation-id={conversationId}>
      {conversation && (
        <ThreadHeader
          conversation={conversation}
          storeName={storesById.get(conversation.storeId)?.name}
          onBack={onBack}
          onOpenOrders={() => openOrders(null)}
        />
      )}
      {error && <Alert type="error" showIcon banner title={t("thread.loadFailed")} description={error} />}
      {conversation?.mergedIntoId && (
        <Alert
          type="info"
          showIcon
          banner
          data-testid="merged-notice"
          title={t("thread.mergedInto")}
          action={
            <Button size="small" onClick={() => conversation.mergedIntoId && onOpen(conversation.mergedIntoId)}>
              {t("thread.openMerged")}
            </Button>
          }
        />
      )}
      <MessageList
        conversationId={conversationId}
        messages={messages}
        loading={loading}
        buyerReadAt={conversation?.buyerReadAt}
      />
      {conversation && !conversation.mergedIntoId && (
        <RecommendationCard conversation={conversation} onOpenOrder={openOrders} />
      )}
      <Composer conversationId={conversationId} />
      {conversation && (
        <Drawer
          open={ordersOpen}
          onClose={() => setOrdersOpen(false)}
          title={t("orders.drawerTitle", { buyer: conversation.customer.displayName })}
          size={360}
          destroyOnHidden
        >
          <OrdersPanel conversation={conversation} focusOrderId={focusOrderId} />
        </Drawer>
      )}
    </div>
  );
}
