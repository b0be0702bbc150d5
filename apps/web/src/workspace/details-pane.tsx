import { Descriptions } from "antd";
import { formatDateTime } from "../i18n/format.ts";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import { useConversation, useStoresById } from "../inbox/selectors.ts";
import { SourceTag } from "../shared/source-label.tsx";

/** Right pane (wide screens): who the buyer is and where the conversation stands. */
export function DetailsPane({ conversationId }: { conversationId: string | null }) {
  const t = useT();
  const { locale } = useLocale();
  const conversation = useConversation(conversationId);
  const storesById = useStoresById();
  if (!conversation) return null;

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

  return (
    <div className="details-pane">
      <Descriptions title={t("details.title")} column={1} size="small" items={items} />
    </div>
  );
}
