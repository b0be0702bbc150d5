import { EditOutlined, PlusOutlined, ReloadOutlined, SafetyCertificateOutlined, SendOutlined } from "@ant-design/icons";
import type { Store } from "@yunxi/contracts";
import { platformLabels } from "@yunxi/contracts";
import type { TableColumnsType } from "antd";
import { Alert, App, Button, Popconfirm, Space, Table, Tag, Typography } from "antd";
import { useCallback, useEffect, useRef, useState } from "react";
import { adminApi } from "../api/endpoints.ts";
import { formatRelative } from "../i18n/format.ts";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import { useInboxActions } from "../inbox/inbox-provider.tsx";
import { navigate } from "../routing/use-route.ts";
import { errorText, isAbort } from "../shared/error-text.ts";
import { useNow } from "../shared/use-now.ts";
import { AuthorizationBadge } from "./authorization-badge.tsx";
import type { AdminBroadcast } from "./authorize.ts";
import { adminChannelName, announceAuthorized, startAuthorization } from "./authorize.ts";
import { authorizeActionKey, authorizedStoreId, withoutAuthorizedParam } from "./store-authorization.ts";
import { StoreFormModal } from "./store-form-modal.tsx";
import { TestSendModal } from "./test-send-modal.tsx";

/** The org's stores: authorization at a glance, the grant flow, test sends, create and edit. */
export function StoresAdmin() {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const { reloadStores } = useInboxActions();
  const now = useNow();
  const { stores, loading, error, reload } = useAdminStores();
  const [editing, setEditing] = useState<Store | "new" | null>(null);
  const [testing, setTesting] = useState<Store | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  useAuthorizedReturn(stores);

  const changed = (store: Store, notice: string) => {
    reload();
    reloadStores();
    message.success(notice);
    return store;
  };

  const authorize = (store: Store) => {
    setBusyId(store.id);
    startAuthorization(store.id)
      .then((how) => how === "opened" && message.info(t("stores.authorizeOpened")))
      .catch((cause: unknown) => void message.error(errorText(cause, t)))
      .finally(() => setBusyId(null));
  };

  const setStatus = (store: Store, status: Store["status"]) => {
    setBusyId(store.id);
    adminApi
      .updateStore(store.id, { status })
      .then((saved) => changed(saved, t("stores.saved")))
      .catch((cause: unknown) => void message.error(errorText(cause, t)))
      .finally(() => setBusyId(null));
  };

  const columns: TableColumnsType<Store> = [
    {
      key: "platform",
      title: t("stores.platform"),
      width: 100,
      render: (_, store) => (
        <Tag color={platformLabels[store.platform].color} data-platform={store.platform}>
          {platformLabels[store.platform][locale]}
        </Tag>
      ),
    },
    {
      key: "label",
      title: t("stores.label"),
      render: (_, store) => (
        <span className="store-cell">
          <Typography.Text strong>{store.label}</Typography.Text>
          <Typography.Text type="secondary" className="store-cell-sub">
            {store.sellerId}
            {!store.hasCredentials && ` · ${t("stores.noCredentials")}`}
          </Typography.Text>
        </span>
      ),
    },
    {
      key: "status",
      title: t("stores.status"),
      width: 96,
      render: (_, store) =>
        store.status === "active" ? (
          <Tag color="green">{t("stores.statusActive")}</Tag>
        ) : (
          <Tag>{t("stores.statusDisabled")}</Tag>
        ),
    },
    {
      key: "authorization",
      title: t("stores.authorization"),
      width: 220,
      render: (_, store) => <AuthorizationBadge authorization={store.authorization} now={now} />,
    },
    {
      key: "lastMessageAt",
      title: t("stores.lastMessageAt"),
      width: 120,
      render: (_, store) =>
        store.lastMessageAt ? (
          <time dateTime={store.lastMessageAt}>{formatRelative(store.lastMessageAt, now, locale, t)}</time>
        ) : (
          t("details.none")
        ),
    },
    {
      key: "actions",
      title: t("common.actions"),
      width: 350,
      render: (_, store) => (
        <Space size={4}>
          {store.authorization.state !== "not_required" && (
            <Button
              size="small"
              type={store.authorization.state === "authorized" ? "default" : "primary"}
              danger={store.authorization.state === "lapsed"}
              icon={<SafetyCertificateOutlined />}
              loading={busyId === store.id}
              disabled={store.status === "disabled"}
              onClick={() => authorize(store)}
              data-testid="authorize-button"
            >
              {t(authorizeActionKey(store.authorization))}
            </Button>
          )}
          <Button
            size="small"
            icon={<SendOutlined />}
            disabled={store.status === "disabled"}
            onClick={() => setTesting(store)}
            data-testid="test-send-button"
          >
            {t("stores.testSend")}
          </Button>
          <Button
            size="small"
            type="text"
            icon={<EditOutlined />}
            onClick={() => setEditing(store)}
            data-testid="store-edit-button"
          >
            {t("stores.edit")}
          </Button>
          {store.status === "active" ? (
            <Popconfirm title={t("stores.disableConfirm")} onConfirm={() => setStatus(store, "disabled")}>
              <Button size="small" type="text" danger data-testid="store-status-button">
                {t("stores.disable")}
              </Button>
            </Popconfirm>
          ) : (
            <Button
              size="small"
              type="text"
              onClick={() => setStatus(store, "active")}
              data-testid="store-status-button"
            >
              {t("stores.enable")}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <div className="admin-section">
      <div className="admin-toolbar">
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")} data-testid="store-add-button">
          {t("stores.add")}
        </Button>
        <Button icon={<ReloadOutlined />} onClick={reload} aria-label={t("common.reload")} />
      </div>
      {error && <Alert type="error" showIcon title={t("stores.loadFailed")} description={error} />}
      <div data-testid="admin-stores-table">
        <Table<Store>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={stores}
          loading={loading}
          pagination={false}
          scroll={{ x: 1080 }}
          locale={{ emptyText: t("stores.empty") }}
          rowClassName={(store) => (store.status === "disabled" ? "store-row-disabled" : "")}
        />
      </div>
      {editing && (
        <StoreFormModal
          store={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(store, created) => {
            setEditing(null);
            changed(store, t(created ? "stores.created" : "stores.saved"));
          }}
        />
      )}
      {testing && <TestSendModal store={testing} onClose={() => setTesting(null)} />}
    </div>
  );
}

/**
 * The stores list; reloaded on demand (with the table's spinner), and quietly when the window
 * regains focus or another tab says a store was authorized.
 */
function useAdminStores() {
  const t = useT();
  const [stores, setStores] = useState<Store[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState({ count: 0, quiet: false });
  const reload = useCallback(() => setAttempt((a) => ({ count: a.count + 1, quiet: false })), []);
  const refresh = useCallback(() => setAttempt((a) => ({ count: a.count + 1, quiet: true })), []);

  useEffect(() => {
    const controller = new AbortController();
    if (!attempt.quiet) setLoading(true);
    adminApi.stores(controller.signal).then(
      (list) => {
        setStores(list.items);
        setError(null);
        setLoading(false);
      },
      (cause: unknown) => {
        if (controller.signal.aborted || isAbort(cause)) return;
        setError(errorText(cause, t));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [attempt, t]);

  // The seller consents in another window: back here, the state has changed.
  useEffect(() => {
    window.addEventListener("focus", refresh);
    const channel = typeof BroadcastChannel === "undefined" ? null : new BroadcastChannel(adminChannelName);
    if (channel) {
      channel.onmessage = (event: MessageEvent<AdminBroadcast>) => {
        if (event.data?.type === "store.authorized") refresh();
      };
    }
    return () => {
      window.removeEventListener("focus", refresh);
      channel?.close();
    };
  }, [refresh]);

  return { stores, loading, error, reload };
}

/** Back from the platform's consent (`?authorized=<storeId>`): say so once, and tell the other tabs. */
function useAuthorizedReturn(stores: readonly Store[]) {
  const t = useT();
  const { message } = App.useApp();
  const pending = useRef(authorizedStoreId(window.location.search));

  useEffect(() => {
    const storeId = pending.current;
    if (!storeId) return;
    navigate(`${window.location.pathname}${withoutAuthorizedParam(window.location.search)}`, { replace: true });
    announceAuthorized(storeId);
  }, []);

  useEffect(() => {
    const storeId = pending.current;
    if (!storeId || stores.length === 0) return;
    pending.current = null;
    const store = stores.find((candidate) => candidate.id === storeId);
    message.success(store ? t("stores.authorizedBack", { label: store.label }) : t("stores.authorizedBackUnknown"));
  }, [stores, message, t]);
}
