import type { PlatformId } from "@yunxi/contracts";
import { intents, platformLabels, productCategories } from "@yunxi/contracts";
import { Select } from "antd";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import { useInbox } from "../inbox/inbox-provider.tsx";
import type { ReportFilters as Filters } from "./report-range.ts";
import { storesInScope, useFilterScope } from "./use-filter-scope.ts";

type Props = {
  filters: Filters;
  onChange: (filters: Filters) => void;
  /**
   * Supervisors and above filter by group and agent (those of their scope: a supervisor, their
   * groups'); an agent sees their own figures only.
   */
  canSeeEveryone: boolean;
};

/** Store, platform, group, agent, intent and product category: the dimensions every report is cut by. */
export function ReportFilters({ filters, onChange, canSeeEveryone }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const { stores } = useInbox();
  const scope = useFilterScope();
  const groups = scope?.groups ?? [];
  const agents = scope?.agents ?? [];
  const servedStores = storesInScope(stores, scope);
  const platforms = [...new Set(servedStores.map((s) => s.platform))];
  const visibleStores = filters.platform ? servedStores.filter((s) => s.platform === filters.platform) : servedStores;
  const set = (patch: Filters) => onChange({ ...filters, ...patch });
  const common = { allowClear: true, popupMatchSelectWidth: false, className: "report-filter" } as const;

  return (
    <div className="analytics-filters" data-testid="report-filters">
      <Select<PlatformId>
        {...common}
        placeholder={t("analytics.filter.allPlatforms")}
        value={filters.platform}
        onChange={(platform) => set({ platform, storeId: undefined })}
        options={platforms.map((p) => ({ value: p, label: platformLabels[p][locale] }))}
        aria-label={t("analytics.filter.platform")}
        data-testid="report-filter-platform"
      />
      <Select<string>
        {...common}
        placeholder={t("analytics.filter.allStores")}
        value={filters.storeId}
        onChange={(storeId) => set({ storeId })}
        options={visibleStores.map((s) => ({ value: s.id, label: `${platformLabels[s.platform][locale]}-${s.name}` }))}
        aria-label={t("analytics.filter.store")}
        data-testid="report-filter-store"
      />
      {canSeeEveryone && (
        <Select<string>
          {...common}
          placeholder={t("analytics.filter.allGroups")}
          value={filters.groupId}
          onChange={(groupId) => set({ groupId })}
          options={groups.map((g) => ({ value: g.id, label: g.name }))}
          aria-label={t("analytics.filter.group")}
        />
      )}
      {canSeeEveryone && (
        <Select<string>
          {...common}
          showSearch={{ optionFilterProp: "label" }}
          placeholder={t("analytics.filter.allAgents")}
          value={filters.agentId}
          onChange={(agentId) => set({ agentId })}
          options={agents.map((a) => ({ value: a.id, label: a.name }))}
          aria-label={t("analytics.filter.agent")}
          data-testid="report-filter-agent"
        />
      )}
      <Select<string>
        {...common}
        showSearch={{ optionFilterProp: "label" }}
        placeholder={t("analytics.filter.allIntents")}
        value={filters.intent}
        onChange={(intent) => set({ intent })}
        options={[
          ...intents.map((intent) => ({ value: intent, label: intent })),
          { value: "-", label: t("analytics.unclassified") },
        ]}
        aria-label={t("analytics.filter.intent")}
      />
      <Select<string>
        {...common}
        placeholder={t("analytics.filter.allCategories")}
        value={filters.category}
        onChange={(category) => set({ category })}
        options={[
          ...productCategories.map((c) => ({ value: c, label: c })),
          { value: "-", label: t("analytics.needs.noCategory") },
        ]}
        aria-label={t("analytics.filter.category")}
      />
    </div>
  );
}
