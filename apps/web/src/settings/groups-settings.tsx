import { DeleteOutlined, EditOutlined, PlusOutlined, ReloadOutlined } from "@ant-design/icons";
import type { AgentGroup, User } from "@yunxi/contracts";
import { SaveGroupRequest as SaveGroupSchema } from "@yunxi/contracts";
import type { TableColumnsType } from "antd";
import { Alert, App, Button, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag } from "antd";
import { useCallback, useEffect, useMemo, useState } from "react";
import { invalidFields } from "../admin/form-errors.ts";
import { groupsApi } from "../api/admin-workspace-api.ts";
import { adminApi } from "../api/endpoints.ts";
import { useT } from "../i18n/i18n-provider.tsx";
import { errorText, isAbort } from "../shared/error-text.ts";
import "./settings.css";

/** 客服组: skill groups (售后组, 抖音组) that routing can target and transfers can go to. */
export function GroupsSettings() {
  const t = useT();
  const { message } = App.useApp();
  const [groups, setGroups] = useState<AgentGroup[]>([]);
  const [users, setUsers] = useState<User[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [editing, setEditing] = useState<AgentGroup | "new" | null>(null);
  const [deletingId, setDeletingId] = useState<string | null>(null);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt is a trigger
  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    setLoading(true);
    Promise.all([groupsApi.list(signal), adminApi.users(signal)]).then(
      ([groupList, userList]) => {
        setGroups(groupList.items);
        setUsers(userList.items);
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

  const names = useMemo(() => new Map(users.map((user) => [user.id, user.name])), [users]);

  const remove = (group: AgentGroup) => {
    setDeletingId(group.id);
    groupsApi
      .remove(group.id)
      .then(() => {
        setGroups((list) => list.filter((g) => g.id !== group.id));
        message.success(t("groups.deleted"));
      })
      .catch((cause: unknown) => void message.error(errorText(cause, t)))
      .finally(() => setDeletingId(null));
  };

  const columns: TableColumnsType<AgentGroup> = [
    { key: "name", title: t("groups.name"), dataIndex: "name", width: 180 },
    {
      key: "members",
      title: t("groups.members"),
      render: (_, group) =>
        group.memberIds.length === 0 ? (
          <span className="muted">{t("groups.noMembers")}</span>
        ) : (
          <span className="user-stores">
            {group.memberIds.map((id) => (
              <Tag key={id}>{names.get(id) ?? id}</Tag>
            ))}
          </span>
        ),
    },
    {
      key: "actions",
      title: t("common.actions"),
      width: 170,
      render: (_, group) => (
        <Space size={4}>
          <Button
            size="small"
            type="text"
            icon={<EditOutlined />}
            onClick={() => setEditing(group)}
            data-testid="group-edit-button"
          >
            {t("groups.edit")}
          </Button>
          <Popconfirm title={t("groups.deleteConfirm", { name: group.name })} onConfirm={() => remove(group)}>
            <Button
              size="small"
              type="text"
              danger
              icon={<DeleteOutlined />}
              loading={deletingId === group.id}
              data-testid="group-delete-button"
            >
              {t("groups.delete")}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <div className="admin-section" data-testid="groups-settings">
      <p className="settings-hint">{t("groups.hint")}</p>
      <div className="admin-toolbar">
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")} data-testid="group-add-button">
          {t("groups.add")}
        </Button>
        <Button icon={<ReloadOutlined />} onClick={reload} aria-label={t("common.reload")} />
      </div>
      {error && <Alert type="error" showIcon title={t("groups.loadFailed")} description={error} />}
      <div data-testid="groups-table">
        <Table<AgentGroup>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={groups}
          loading={loading}
          pagination={false}
          scroll={{ x: 640 }}
          locale={{ emptyText: t("groups.empty") }}
        />
      </div>
      {editing && (
        <GroupFormModal
          group={editing === "new" ? null : editing}
          users={users}
          onClose={() => setEditing(null)}
          onSaved={(saved, created) => {
            setEditing(null);
            setGroups((list) => (created ? [...list, saved] : list.map((g) => (g.id === saved.id ? saved : g))));
            message.success(t(created ? "groups.created" : "groups.saved"));
          }}
        />
      )}
    </div>
  );
}

type Values = { name: string; memberIds: string[] };
const formFields = ["name", "memberIds"] as const;

type ModalProps = {
  group: AgentGroup | null;
  users: readonly User[];
  onClose: () => void;
  onSaved: (group: AgentGroup, created: boolean) => void;
};

function GroupFormModal({ group, users, onClose, onSaved }: ModalProps) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const creating = group === null;
  // Disabled members stay listed if they are in the group already, so saving does not drop them silently.
  const options = users
    .filter((user) => !user.disabled || group?.memberIds.includes(user.id))
    .map((user) => ({ value: user.id, label: `${user.name} · ${t(`role.${user.role}`)}` }));

  const submit = async () => {
    const values = await form.validateFields();
    const checked = SaveGroupSchema.safeParse({ name: values.name.trim(), memberIds: values.memberIds ?? [] });
    if (!checked.success) {
      form.setFields(
        invalidFields(checked.error.issues, formFields).map((name) => ({ name, errors: [t("form.invalid")] })),
      );
      return;
    }
    setSaving(true);
    setFailure(null);
    try {
      const saved = creating ? await groupsApi.create(checked.data) : await groupsApi.update(group.id, checked.data);
      onSaved(saved, creating);
    } catch (cause) {
      setFailure(errorText(cause, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={creating ? t("groups.createTitle") : t("groups.editTitle", { name: group.name })}
      okText={creating ? t("common.create") : t("common.save")}
      cancelText={t("common.cancel")}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      confirmLoading={saving}
      destroyOnHidden
      okButtonProps={{ "data-testid": "group-form-submit" }}
    >
      {failure && <Alert className="form-failure" type="error" showIcon title={failure} />}
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        data-testid="group-form"
        initialValues={group ? { name: group.name, memberIds: group.memberIds } : { name: "", memberIds: [] }}
      >
        <Form.Item
          name="name"
          label={t("groups.name")}
          rules={[{ required: true, whitespace: true, message: t("form.required") }]}
        >
          <Input maxLength={60} placeholder={t("groups.namePlaceholder")} autoComplete="off" />
        </Form.Item>
        <Form.Item name="memberIds" label={t("groups.members")}>
          <Select mode="multiple" allowClear optionFilterProp="label" options={options} data-testid="group-members" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
