import { Alert, Button, Typography } from "antd";
import { useState } from "react";
import { useT } from "../i18n/i18n-provider.tsx";
import { useStoresById } from "../inbox/selectors.ts";
import { ConversationList } from "./conversation-list.tsx";
import { StoreFilter } from "./store-filter.tsx";
import { useConversationFeed } from "./use-conversation-feed.ts";

type Props = { selectedId: string | null; onSelect: (id: string) => void };

/** Left pane: the store filter and the conversation list. */
export function ConversationPane({ selectedId, onSelect }: Props) {
  const t = useT();
  const [storeId, setStoreId] = useState<string | null>(null);
  const feed = useConversationFeed(storeId);
  const storesById = useStoresById();

  return (
    <div className="conversation-pane">
      <div className="pane-toolbar">
        <StoreFilter value={storeId} onChange={setStoreId} />
        <Typography.Text type="secondary" className="conversation-count">
          {t("conversations.count", { count: feed.conversations.length })}
        </Typography.Text>
      </div>
      {feed.error && (
        <Alert
          type="error"
          showIcon
          banner
          title={t("conversations.loadFailed")}
          description={feed.error}
          action={
            <Button size="small" onClick={feed.reload}>
              {t("conversations.retry")}
            </Button>
          }
        />
      )}
      <ConversationList
        key={storeId ?? "all"}
        conversations={feed.conversations}
        storesById={storesById}
        selectedId={selectedId}
        loading={feed.loading}
        hasMore={feed.hasMore}
        onSelect={onSelect}
        onEndReached={feed.loadMore}
      />
    </div>
  );
}
