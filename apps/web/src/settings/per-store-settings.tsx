import { ReloadOutlined } from "@ant-design/icons";
import type { Store } from "@yunxi/contracts";
import { Button, Select } from "antd";
import { useCallback, useEffect, useMemo, useState } from "react";
import { inboxApi } from "../api/endpoints.ts";
import { useT } from "../i18n/i18n-provider.tsx";
import { errorText, isAbort } from "../shared/error-text.ts";
import "./settings.css";

/**
 * Settings kept per store (routing, auto-reply): the org's rows and its stores loaded
 * together (with whatever else the tab needs), the store being edited, and a saved row
 * put back in the list. `reload` loads everything again; `attempt` counts the loads.
 */
export function usePerStoreSettings<T extends { storeId: string }, E>(
  loadRows: (signal: AbortSignal) => Promise<{ items: T[] }>,
  loadExtra: (signal: AbortSignal) => Promise<E>,
) {
  const t = useT();
  const [rows, setRows] = useState<T[]>([]);
  const [stores, setStores] = useState<Store[]>([]);
  const [extra, setExtra] = useState<E | null>(null);
  const [storeId, setStoreId] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt is a trigger; the loaders are module functions
  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    setLoading(true);
    Promise.all([loadRows(signal), inboxApi.stores(signal), loadExtra(signal)]).then(
      ([rowList, storeList, more]) => {
        setRows(rowList.items);
        setStores(storeList.items);
        setExtra(more);
        setStoreId((current) => current ?? rowList.items[0]?.storeId ?? null);
        setError(null);
        setLoading(false);
      },
      (cause: unknown) => {
        if (signal.aborted || isAbort(cause)) return;
        setError(errorText(cause, t));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [attempt, t]);

  const labels = useMemo(() => new Map(stores.map((store) => [store.id, store.label])), [stores]);
  const saved = useCallback(
    (next: T) => setRows((list) => list.map((row) => (row.storeId === next.storeId ? next : row))),
    [],
  );
  return {
    rows,
    extra,
    labels,
    storeId,
    setStoreId,
    current: rows.find((row) => row.storeId === storeId) ?? null,
    saved,
    loading,
    error,
    attempt,
    reload: () => setAttempt((n) => n + 1),
  };
}

type PickerProps = {
  settings: Pick<ReturnType<typeof usePerStoreSettings>, "rows" | "labels" | "storeId" | "setStoreId" | "reload">;
  placeholder: string;
  testId: string;
};

/** The store picker and reload button above a per-store settings form. */
export function StoreSettingsToolbar({ settings, placeholder, testId }: PickerProps) {
  const t = useT();
  const { rows, labels, storeId, setStoreId, reload } = settings;
  return (
    <div className="admin-toolbar settings-toolbar">
      <Select
        className="settings-store-select"
        value={storeId ?? undefined}
        placeholder={placeholder}
        onChange={setStoreId}
        showSearch
        optionFilterProp="label"
        data-testid={testId}
        options={rows.map((r) => ({ value: r.storeId, label: labels.get(r.storeId) ?? r.storeId }))}
      />
      <Button icon={<ReloadOutlined />} onClick={reload} aria-label={t("common.reload")} />
    </div>
  );
}
