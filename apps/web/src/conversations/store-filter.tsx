import { platformLabels } from "@yunxi/contracts";
import { Select } from "antd";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import { useInbox } from "../inbox/inbox-provider.tsx";
import { sourceLabel } from "../shared/source-label.tsx";

const allStores = "";

type Props = { value: string | null; onChange: (storeId: string | null) => void };

/** "全部店铺" or one of the stores I serve. */
export function StoreFilter({ value, onChange }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const { stores } = useInbox();

  const options = [
    { value: allStores, label: t("conversations.allStores") },
    ...stores.map((store) => ({
      value: store.id,
      label: (
        <span className="store-option">
          <span className="platform-dot" style={{ background: platformLabels[store.platform].color }} />
          {sourceLabel(store.platform, store.name, locale)}
        </span>
      ),
    })),
  ];

  return (
    <Select
      data-testid="store-filter"
      className="store-filter"
      aria-label={t("conversations.storeFilter")}
      value={value ?? allStores}
      onChange={(next: string) => onChange(next === allStores ? null : next)}
      options={options}
      popupMatchSelectWidth={false}
    />
  );
}
