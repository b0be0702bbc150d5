import type { Conversation } from "@yunxi/contracts";
import { Descriptions, Tabs } from "antd";
import { KnowledgePanel } from "../assist/knowledge-panel.tsx";
import { CustomerPanel } from "../customers/customer-panel.tsx";
import { formatDateTime } from "../i18n/format.ts";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import { useConversation, useStoresById } from "../inbox/selectors.ts";
import { OrdersPanel } from "../orders/orders-panel.tsx";
import { SourceTag } from "../shared/source-label.tsx";
import { insertIntoReply } from "../thread/insert-into-reply.ts";

type Props = {
  conversationId: string | null;
  /** Opens another conversation (the buyer's on another platform) in the thread. */
  onOpenConversation?: (conversationId: string) => void;
};

/**
 * Right pane (wide screens): the buyer across platforms, the buyer's orders in this store, and
 * where the conversation stands.
 */
export function DetailsPane({ conversationId, onOpenConversation }: Props) {
  const t = useT();
  const conversation = useConversation(conversationId);
  if (!conversation) return null;

  return (
    <div className="details-pane">
      <Tabs
        size="small"
        defaultActiveKey="customer"
        items={[
          {
            key: "customer",
            label: t("customer.tab"),
            // Keyed: another conversation starts with its own loading state.
            children: (
              <CustomerPanel
                key={conversation.id}
                conversation={conversation}
                onOpenConversation={onOpenConversation}
              />
            ),
          },
          {
            key: "orders",
            label: t("details.tabOrders"),
            // Keyed: another conversation starts with its own loading state.
            children: <OrdersPanel key={conversation.id} conversation={conversation} />,
          },
          {
            key: "knowledge",
            label: t("details.tabKnowledge"),
            children: (
              <KnowledgePanel conversation={conversation} onInsert={(text) => insertIntoReply(conversation.id, text)} />
            ),
          },
          { key: "info", label: t("details.tabInfo"), children: <ConversationFacts conversation={conversation} /> },
        ]}
      />
    </div>
  );
}

function ConversationFacts({ conversation }: { conversation: Conversation }) {
  const t = useT();
  const { locale } = useLocale();
  const storesById = useStoresById();
  const when = (iso: string | null) => (iso ? formatDateTime(iso, locale) : t("details.none"));
  const items = [
    { key: "customer", label: t("details.customer"), children: conversation.customer.displayName },
    { key: "buyerId", label: t("details.buyerId"), children: conversation.customer.platformBuyerId },
    {
      key: "source",
      label: t("details.source"),
      children: (
        <SourceTag
          platform={conversation.platform}
          storeName={storesById.get(conversation.storeId)?.name}
          fallback={conversation.storeLabel}
        />
      ),
    },
    { key: "status", label: t("thread.status"), children: t(`status.${conversation.status}`) },
    { key: "createdAt", label: t("details.createdAt"), children: when(conversation.createdAt) },
    { key: "firstResponseAt", label: t("details.firstResponseAt"), children: when(conversation.firstResponseAt) },
    { key: "lastInboundAt", label: t("details.lastInboundAt"), children: when(conversation.lastInboundAt) },
  ];
  return <Descriptions column={1} size="small" items={items} />;
}
