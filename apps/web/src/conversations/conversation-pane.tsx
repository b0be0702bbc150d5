import { QuestionCircleOutlined } from "@ant-design/icons";
import { Alert, App, Button, Tooltip, Typography } from "antd";
import { useCallback, useMemo, useState } from "react";
import { useMe } from "../auth/auth-provider.tsx";
import { useT } from "../i18n/i18n-provider.tsx";
import { useInbox } from "../inbox/inbox-provider.tsx";
import { useAgentsById, useStoresById } from "../inbox/selectors.ts";
import { useNow } from "../shared/use-now.ts";
import { useOpenShortcutHelp, useShortcut } from "../shortcuts/shortcuts-provider.tsx";
import { ConversationFilterBar } from "./conversation-filters.tsx";
import { ConversationList } from "./conversation-list.tsx";
import "./conversations.css";
import type { ConversationFilters } from "./filters.ts";
import {
  countConversations,
  countsQuery,
  defaultFilters,
  isSupervisor,
  neighbour,
  nextWaiting,
  tagsInUse,
} from "./filters.ts";
import { useConversationCounts } from "./use-conversation-counts.ts";
import { useConversationFeed } from "./use-conversation-feed.ts";

type Props = { selectedId: string | null; onSelect: (id: string) => void };

const wideScreen = () => typeof window === "undefined" || window.matchMedia("(min-width: 1280px)").matches;

/**
 * Left pane: the filters and the conversation list. Owns the list shortcuts: J/K (Alt+↓/↑) move
 * through the list as shown, N opens the next conversation waiting for an answer.
 */
export function ConversationPane({ selectedId, onSelect }: Props) {
  const t = useT();
  const { message } = App.useApp();
  const me = useMe();
  const meId = me.user.id;
  const { state } = useInbox();
  const [filters, setFilters] = useState<ConversationFilters>(defaultFilters);
  const [expanded, setExpanded] = useState(wideScreen);
  const feed = useConversationFeed(filters, meId);
  const storesById = useStoresById();
  const agentsById = useAgentsById();

  const openHelp = useOpenShortcutHelp();
  const change = useCallback((patch: Partial<ConversationFilters>) => setFilters((f) => ({ ...f, ...patch })), []);

  // Counts: the server's when it answered for these filters, else what the client holds.
  const serverCounts = useConversationCounts(countsQuery(filters));
  const countNow = useNow(15_000);
  const counts = useMemo(
    () => serverCounts ?? countConversations(state.conversations, filters, { meId, now: countNow }),
    [serverCounts, state.conversations, filters, meId, countNow],
  );

  const tags = useMemo(() => tagsInUse(state.conversations), [state.conversations]);
  const supervisor = isSupervisor(me.user.role);
  const filterAgents = useMemo(
    () => (supervisor ? [...agentsById.values()].sort((a, b) => a.name.localeCompare(b.name)) : []),
    [supervisor, agentsById],
  );

  const list = feed.conversations;
  useShortcut("nextConversation", () => {
    const id = neighbour(list, selectedId, 1);
    if (id) onSelect(id);
  });
  useShortcut("previousConversation", () => {
    const id = neighbour(list, selectedId, -1);
    if (id) onSelect(id);
  });
  useShortcut("nextWaiting", () => {
    const id = nextWaiting(state.conversations, meId, selectedId);
    if (id) onSelect(id);
    else void message.info(t("shortcuts.nothingWaiting"));
  });

  const listKey = `${filters.storeId}|${filters.platform}|${filters.status}|${filters.assignee}|${filters.sort}`;

  return (
    <div className="conversation-pane">
      <div className="pane-toolbar conversation-toolbar">
        <ConversationFilterBar
          filters={filters}
          onChange={change}
          counts={counts}
          tags={tags}
          agents={filterAgents}
          expanded={expanded}
          onToggleExpanded={() => setExpanded((open) => !open)}
        />
        <div className="conversation-toolbar-foot">
          <Typography.Text type="secondary" className="conversation-count" data-testid="conversation-count">
            {t("conversations.count", { count: list.length })}
          </Typography.Text>
          <Tooltip title={t("shortcuts.open")}>
            <Button
              type="text"
              size="small"
              icon={<QuestionCircleOutlined />}
              aria-label={t("shortcuts.open")}
              data-testid="shortcut-help-button"
              onClick={openHelp}
            />
          </Tooltip>
        </div>
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
        key={listKey}
        conversations={list}
        storesById={storesById}
        agentsById={agentsById}
        meId={meId}
        selectedId={selectedId}
        loading={feed.loading}
        hasMore={feed.hasMore}
        onSelect={onSelect}
        onEndReached={feed.loadMore}
      />
    </div>
  );
}
