import { FilterOutlined, SearchOutlined } from "@ant-design/icons";
import type { AgentState, ConversationCounts, ConversationStatus, PlatformId } from "@yunxi/contracts";
import { conversationStatuses, platformLabels } from "@yunxi/contracts";
import { Badge, Button, Input, Select } from "antd";
import { useMemo } from "react";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import { useInbox } from "../inbox/inbox-provider.tsx";
import type { AssigneeFilter, ConversationFilters, ConversationSort, SlaFilter } from "./filters.ts";
import { activeFilterCount, agentFilter } from "./filters.ts";
import { withCount } from "./labels.ts";
import { StoreFilter } from "./store-filter.tsx";

const any = "";

type Props = {
  filters: ConversationFilters;
  onChange: (patch: Partial<ConversationFilters>) => void;
  counts: ConversationCounts;
  tags: readonly string[];
  /** Agents a supervisor can filter by; empty for agents. */
  agents: readonly AgentState[];
  expanded: boolean;
  onToggleExpanded: () => void;
};

/**
 * The list's filters: store and sort, the search box, status and assignee, and (folded on narrow
 * screens) platform, priority, SLA state and tag. Counts come from the server when it answered.
 */
export function ConversationFilterBar({ filters, onChange, counts, tags, agents, expanded, onToggleExpanded }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const { stores } = useInbox();

  const platforms = useMemo(() => [...new Set(stores.map((store) => store.platform))], [stores]);
  const active = activeFilterCount(filters);

  const assigneeOptions: { value: AssigneeFilter; label: string }[] = [
    { value: "all", label: withCount(t("filters.assigneeAll"), counts.total) },
    { value: "mine", label: withCount(t("filters.assigneeMine"), counts.mine) },
    { value: "unassigned", label: withCount(t("filters.assigneeUnassigned"), counts.unassigned) },
    ...agents.map((agent) => ({
      value: agentFilter(agent.userId),
      label: withCount(agent.name, agent.load),
    })),
  ];

  return (
    <div className="conversation-filters" data-testid="conversation-filters">
      <div className="filter-row">
        <StoreFilter
          value={filters.storeId}
          onChange={(storeId) => onChange({ storeId })}
          counts={counts.byStore}
          total={Object.values(counts.byStore).reduce((sum, n) => sum + n, 0)}
        />
        <Select<ConversationSort>
          data-testid="filter-sort"
          className="filter-sort"
          aria-label={t("filters.sort")}
          value={filters.sort}
          onChange={(sort) => onChange({ sort })}
          options={[
            { value: "priority", label: t("filters.sortPriority") },
            { value: "recent", label: t("filters.sortRecent") },
          ]}
          popupMatchSelectWidth={false}
          virtual={false}
        />
      </div>
      <div className="filter-row">
        <Input
          data-testid="search-conversations"
          className="filter-search"
          allowClear
          prefix={<SearchOutlined />}
          placeholder={t("filters.searchPlaceholder")}
          aria-label={t("filters.search")}
          value={filters.q}
          onChange={(event) => onChange({ q: event.target.value })}
          maxLength={100}
        />
        <Badge count={active} size="small">
          <Button
            data-testid="filters-toggle"
            icon={<FilterOutlined />}
            aria-expanded={expanded}
            aria-label={t("filters.more")}
            type={expanded ? "primary" : "default"}
            ghost={expanded}
            onClick={onToggleExpanded}
          />
        </Badge>
      </div>
      <div className="filter-row filter-grid">
        <Select<ConversationStatus | typeof any>
          data-testid="filter-status"
          aria-label={t("filters.status")}
          value={filters.status ?? any}
          onChange={(status) => onChange({ status: status === any ? null : status })}
          options={[
            { value: any, label: t("filters.statusAll") },
            ...conversationStatuses.map((status) => ({ value: status, label: t(`status.${status}`) })),
          ]}
          popupMatchSelectWidth={false}
          virtual={false}
        />
        <Select<AssigneeFilter>
          data-testid="filter-assignee"
          aria-label={t("filters.assignee")}
          value={filters.assignee}
          onChange={(assignee) => onChange({ assignee })}
          options={assigneeOptions}
          showSearch={agents.length > 0 ? { optionFilterProp: "label" } : false}
          popupMatchSelectWidth={false}
        />
      </div>
      {expanded && (
        <div className="filter-row filter-grid" data-testid="filters-more">
          <Select<PlatformId | typeof any>
            data-testid="filter-platform"
            aria-label={t("filters.platform")}
            value={filters.platform ?? any}
            onChange={(platform) => onChange({ platform: platform === any ? null : platform })}
            options={[
              { value: any, label: t("filters.platformAll") },
              ...platforms.map((platform) => ({
                value: platform,
                label: withCount(platformLabels[platform][locale], counts.byPlatform[platform]),
              })),
            ]}
            popupMatchSelectWidth={false}
            virtual={false}
          />
          <Select<"all" | "high">
            data-testid="filter-priority"
            aria-label={t("filters.priority")}
            value={filters.highPriorityOnly ? "high" : "all"}
            onChange={(value) => onChange({ highPriorityOnly: value === "high" })}
            options={[
              { value: "all", label: t("filters.priorityAll") },
              { value: "high", label: t("filters.priorityHigh") },
            ]}
            popupMatchSelectWidth={false}
            virtual={false}
          />
          <Select<SlaFilter | typeof any>
            data-testid="filter-sla"
            aria-label={t("filters.sla")}
            value={filters.sla ?? any}
            onChange={(sla) => onChange({ sla: sla === any ? null : sla })}
            options={[
              { value: any, label: t("filters.slaAll") },
              { value: "breached", label: withCount(t("filters.slaBreached"), counts.breached) },
              { value: "due_soon", label: t("filters.slaDueSoon") },
            ]}
            popupMatchSelectWidth={false}
            virtual={false}
          />
          <Select<string>
            data-testid="filter-tag"
            aria-label={t("filters.tag")}
            value={filters.tag ?? any}
            onChange={(tag) => onChange({ tag: tag === any ? null : tag })}
            options={[{ value: any, label: t("filters.tagAll") }, ...tags.map((tag) => ({ value: tag, label: tag }))]}
            showSearch={{ optionFilterProp: "label" }}
            popupMatchSelectWidth={false}
            notFoundContent={t("filters.noTags")}
          />
        </div>
      )}
    </div>
  );
}
