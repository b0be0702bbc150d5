import { EditOutlined, PlusOutlined, ReloadOutlined } from "@ant-design/icons";
import type { Store, User } from "@yunxi/contracts";
import type { TableColumnsType } from "antd";
import { Alert, App, Badge, Button, Popconfirm, Space, Table, Tag } from "antd";
import { useCallback, useEffect, useMemo, useState } from "react";
import { adminApi } from "../api/endpoints.ts";
import { useMe } from "../auth/auth-provider.tsx";
import { useT } from "../i18n/i18n-provider.tsx";
import { errorText, isAbort } from "../shared/error-text.ts";
import { grantableRoles, servesAssignedStoresOnly } from "./permissions.ts";
import { UserFormModal } from "./user-form-modal.tsx";

/** The org's members: role, the stores an agent serves, disabled or not. */
export function UsersAdmin() {
  const t = useT();
  const me = useMe();
  const { message } = App.useApp();
  const { users, stores, loading, error, reload } = useUsersAndStores();
  const [editing, setEditing] = useState<User | "new" | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const storeLabels = useMemo(() => new Map(stores.map((store) => [store.id, store.label])), [stores]);
  const mayEdit = (user: User) => grantableRoles(me.user.role).includes(user.role);

  const setDisabled = (user: User, disabled: boolean) => {
    setBusyId(user.id);
    adminApi
      .updateUser(user.id, { disabled })
      .then(() => {
        reload();
        message.success(t("users.saved"));
      })
      .catch((cause: unknown) => void message.error(errorText(cause, t)))
      .finally(() => setBusyId(null));
  };

  const columns: TableColumnsType<User> = [
    {
      key: "name",
      title: t("users.name"),
      render: (_, user) => (
        <span>
          {user.name} {user.id === me.user.id && <Tag color="blue">{t("users.you")}</Tag>}
        </span>
      ),
    },
    { key: "email", title: t("users.email"), dataIndex: "email" },
    { key: "role", title: t("users.role"), width: 100, render: (_, user) => <Tag>{t(`role.${user.role}`)}</Tag> },
    {
      key: "stores",
      title: t("users.stores"),
      render: (_, user) => {
        if (!servesAssignedStoresOnly(user.role)) return t("users.allStores");
        if (user.storeIds.length === 0) return <span className="muted">{t("users.noStores")}</span>;
        return (
          <span className="user-stores">
            {user.storeIds.map((id) => (
              <Tag key={id}>{storeLabels.get(id) ?? id}</Tag>
            ))}
          </span>
        );
      },
    },
    {
      key: "status",
      title: t("users.status"),
      width: 100,
      render: (_, user) =>
        user.disabled ? (
          <Badge status="default" text={t("users.disabled")} />
        ) : (
          <Badge status="success" text={t("users.active")} />
        ),
    },
    {
      key: "actions",
      title: t("common.actions"),
      width: 170,
      render: (_, user) =>
        user.id === me.user.id || !mayEdit(user) ? null : (
          <Space size={4}>
            <Button
              size="small"
              type="text"
              icon={<EditOutlined />}
              onClick={() => setEditing(user)}
              data-testid="user-edit-button"
            >
              {t("users.edit")}
            </Button>
            {user.disabled ? (
              <Button size="small" type="text" loading={busyId === user.id} onClick={() => setDisabled(user, false)}>
                {t("users.enable")}
              </Button>
            ) : (
              <Popconfirm title={t("users.disableConfirm")} onConfirm={() => setDisabled(user, true)}>
                <Button size="small" type="text" danger loading={busyId === user.id} data-testid="user-disable-button">
                  {t("users.disable")}
                </Button>
              </Popconfirm>
            )}
          </Space>
        ),
    },
  ];

  return (
    <div className="admin-section">
      <div className="admin-toolbar">
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")} data-testid="user-add-button">
          {t("users.add")}
        </Button>
        <Button icon={<ReloadOutlined />} onClick={reload} aria-label={t("common.reload")} />
      </div>
      {error && <Alert type="error" showIcon title={t("users.loadFailed")} description={error} />}
      <div data-testid="admin-users-table">
        <Table<User>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={users}
          loading={loading}
          pagination={false}
          scroll={{ x: 860 }}
          rowClassName={(user) => (user.disabled ? "user-row-disabled" : "")}
        />
      </div>
      {editing && (
        <UserFormModal
          user={editing === "new" ? null : editing}
          stores={stores}
          onClose={() => setEditing(null)}
          onSaved={(created) => {
            setEditing(null);
            reload();
            message.success(t(created ? "users.created" : "users.saved"));
          }}
        />
      )}
    </div>
  );
}

function useUsersAndStores() {
  const t = useT();
  const [users, setUsers] = useState<User[]>([]);
  const [stores, setStores] = useState<Store[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt is a trigger
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    Promise.all([adminApi.users(controller.signal), adminApi.stores(controller.signal)]).then(
      ([userList, storeList]) => {
        setUsers(userList.items);
        setStores(storeList.items);
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

  return { users, stores, loading, error, reload };
}
