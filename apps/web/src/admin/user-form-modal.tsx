import type { CreateUserRequest, Role, Store, UpdateUserRequest, User } from "@yunxi/contracts";
import { CreateUserRequest as CreateUserSchema, UpdateUserRequest as UpdateUserSchema } from "@yunxi/contracts";
import { Alert, Form, Input, Modal, Select } from "antd";
import { useState } from "react";
import { adminApi } from "../api/endpoints.ts";
import { useMe } from "../auth/auth-provider.tsx";
import { useT } from "../i18n/i18n-provider.tsx";
import { errorText } from "../shared/error-text.ts";
import { invalidFields } from "./form-errors.ts";
import { grantableRoles, servesAssignedStoresOnly } from "./permissions.ts";

type Values = { email: string; name: string; role: Role; password?: string; storeIds: string[] };

const formFields = ["email", "name", "role", "password", "storeIds"] as const;

type Props = {
  /** null: a new member. */
  user: User | null;
  stores: readonly Store[];
  onClose: () => void;
  onSaved: (created: boolean) => void;
};

/** Create a member (e-mail, name, role, initial password, stores) or change one's name, role and stores. */
export function UserFormModal({ user, stores, onClose, onSaved }: Props) {
  const t = useT();
  const me = useMe();
  const [form] = Form.useForm<Values>();
  const role = Form.useWatch("role", form) ?? user?.role ?? "agent";
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const creating = user === null;

  const submit = async () => {
    const values = await form.validateFields();
    // Supervisors and above see every store: an assignment would mean nothing.
    const storeIds = servesAssignedStoresOnly(values.role) ? (values.storeIds ?? []) : [];
    const request: CreateUserRequest | UpdateUserRequest = creating
      ? {
          email: values.email.trim(),
          name: values.name.trim(),
          role: values.role,
          password: values.password ?? "",
          storeIds,
        }
      : { name: values.name.trim(), role: values.role, storeIds };
    const checked = creating ? CreateUserSchema.safeParse(request) : UpdateUserSchema.safeParse(request);
    if (!checked.success) {
      form.setFields(
        invalidFields(checked.error.issues, formFields).map((name) => ({ name, errors: [t("form.invalid")] })),
      );
      return;
    }
    setSaving(true);
    setFailure(null);
    try {
      if (creating) await adminApi.createUser(checked.data as CreateUserRequest);
      else await adminApi.updateUser(user.id, checked.data as UpdateUserRequest);
      onSaved(creating);
    } catch (cause) {
      setFailure(errorText(cause, t));
    } finally {
      setSaving(false);
    }
  };

  const required = [{ required: true, whitespace: true, message: t("form.required") }];
  return (
    <Modal
      open
      title={creating ? t("users.createTitle") : t("users.editTitle", { name: user.name })}
      okText={creating ? t("common.create") : t("common.save")}
      cancelText={t("common.cancel")}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      confirmLoading={saving}
      destroyOnHidden
      okButtonProps={{ "data-testid": "user-form-submit" }}
    >
      {failure && <Alert className="form-failure" type="error" showIcon title={failure} />}
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        data-testid="user-form"
        initialValues={
          user
            ? { email: user.email, name: user.name, role: user.role, storeIds: user.storeIds }
            : { role: "agent", storeIds: [] }
        }
      >
        <Form.Item
          name="email"
          label={t("users.email")}
          rules={[...required, { type: "email", message: t("form.invalid") }]}
        >
          <Input disabled={!creating} autoComplete="off" />
        </Form.Item>
        <Form.Item name="name" label={t("users.name")} rules={required}>
          <Input maxLength={100} autoComplete="off" />
        </Form.Item>
        <Form.Item name="role" label={t("users.role")} rules={required}>
          <Select options={grantableRoles(me.user.role).map((r) => ({ value: r, label: t(`role.${r}`) }))} />
        </Form.Item>
        {creating && (
          <Form.Item
            name="password"
            label={t("users.password")}
            extra={t("users.passwordHint")}
            rules={[...required, { min: 8, message: t("users.passwordHint") }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
        {servesAssignedStoresOnly(role) ? (
          <Form.Item name="storeIds" label={t("users.stores")}>
            <Select
              mode="multiple"
              allowClear
              optionFilterProp="label"
              options={stores.map((store) => ({ value: store.id, label: store.label }))}
            />
          </Form.Item>
        ) : (
          <Form.Item label={t("users.stores")}>
            <span className="muted">{t("users.allStores")}</span>
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
