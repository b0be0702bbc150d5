import { platformLabels } from "@yunxi/contracts";
import { Select } from "antd";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import { useInbox } from "../inbox/inbox-provider.tsx";
import { sourceLabel } from "../shared/source-label.tsx";
import { withCount } from "./labels.ts";

const allStores = "";

type Props = {
  value: string | null;
  onChange: (storeId: string | null) => void;
  /** Conversations per store (the badge beside each). */
  counts: Readonly<Record<string, number>>;
  total: number | undefined;
};

/**
 * "全部店铺" or one of the stores I serve. An agent who serves one store sees that store, not
 * "全部店铺": for them the two are the same list.
 */
export function StoreFilter({ value, onChange, counts, total }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const { stores } = useInbox();
  const single = stores.length === 1 ? stores[0] : undefined;

  const storeOptions = stores.map((store) => ({
    value: store.id,
    label: (
      <span className="store-option" data-store-id={store.id}>
        <span className="platform-dot" style={{ background: platformLabels[store.platform].color }} />
        {withCount(sourceLabel(store.platform, store.name, locale), counts[store.id])}
      </span>
    ),
  }));
  const options = single
    ? storeOptions
    : [{ value: allStores, label: withCount(t("conversations.allStores"), total) }, ...storeOptions];

  return (
    <Select
      data-testid="filter-store"
      className="store-filter"
      aria-label={t("conversations.storeFilter")}
      value={single ? single.id : (value ?? allStores)}
      onChange={(next: string) => onChange(next === allStores || single ? null : next)}
      options={options}
      popupMatchSelectWidth={false}
      virtual={false}
    />
  );
}
