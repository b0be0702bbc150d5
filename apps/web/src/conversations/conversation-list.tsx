import { useVirtualizer } from "@tanstack/react-virtual";
import type { AgentState, Conversation, Store } from "@yunxi/contracts";
import { Empty, Spin } from "antd";
import { useEffect, useRef } from "react";
import { useT } from "../i18n/i18n-provider.tsx";
import { useNow } from "../shared/use-now.ts";
import { ConversationItem } from "./conversation-item.tsx";

/** Every row has this height, so the virtualizer needs no measuring. */
export const rowHeight = 92;
const loadMoreWithin = 15;

type Props = {
  conversations: Conversation[];
  storesById: ReadonlyMap<string, Store>;
  agentsById: ReadonlyMap<string, AgentState>;
  meId: string;
  selectedId: string | null;
  loading: boolean;
  hasMore: boolean;
  onSelect: (id: string) => void;
  onEndReached: () => void;
};

/**
 * The virtualized list: only the rows in view (and a few around) are in the DOM, so 2,000
 * conversations scroll like 20. A selection made by keyboard (J/K, N) is scrolled into view.
 */
export function ConversationList({
  conversations,
  storesById,
  agentsById,
  meId,
  selectedId,
  loading,
  hasMore,
  onSelect,
  onEndReached,
}: Props) {
  const t = useT();
  // Each second: the SLA countdowns tick (only the rows in view re-render).
  const now = useNow(1000);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: conversations.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 6,
    getItemKey: (index) => conversations[index]?.id ?? index,
  });
  const rows = virtualizer.getVirtualItems();
  const lastIndex = rows.at(-1)?.index ?? -1;

  useEffect(() => {
    if (hasMore && !loading && lastIndex >= conversations.length - loadMoreWithin) onEndReached();
  }, [hasMore, loading, lastIndex, conversations.length, onEndReached]);

  // Only when the selection changes: a realtime reorder must not move the list under the agent.
  const listRef = useRef(conversations);
  listRef.current = conversations;
  useEffect(() => {
    if (!selectedId) return;
    const index = listRef.current.findIndex((c) => c.id === selectedId);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: "auto" });
  }, [selectedId, virtualizer]);

  if (conversations.length === 0) {
    return (
      <div className="conversation-list-empty">
        {loading ? <Spin /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("conversations.empty")} />}
      </div>
    );
  }

  return (
    <div ref={scrollRef} className="conversation-list" data-testid="conversation-list">
      <ul className="conversation-list-inner" style={{ height: virtualizer.getTotalSize() }}>
        {rows.map((row) => {
          const conversation = conversations[row.index];
          if (!conversation) return null;
          return (
            <li
              key={row.key}
              className="conversation-row"
              style={{ height: row.size, transform: `translateY(${row.start}px)` }}
            >
              <ConversationItem
                conversation={conversation}
                storeName={storesById.get(conversation.storeId)?.name}
                agentsById={agentsById}
                meId={meId}
                selected={conversation.id === selectedId}
                now={now}
                onSelect={onSelect}
              />
            </li>
          );
        })}
      </ul>
      {loading && (
        <div className="conversation-list-more">
          <Spin size="small" /> {t("conversations.loadingMore")}
        </div>
      )}
    </div>
  );
}
