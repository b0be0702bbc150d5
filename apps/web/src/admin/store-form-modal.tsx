import type { CreateStoreRequest, PlatformId, Store, UpdateStoreRequest } from "@yunxi/contracts";
import {
  CreateStoreRequest as CreateStoreSchema,
  platformIds,
  platformLabels,
  UpdateStoreRequest as UpdateStoreSchema,
} from "@yunxi/contracts";
import { Alert, Form, Input, InputNumber, Modal, Select } from "antd";
import { useState } from "react";
import { adminApi } from "../api/endpoints.ts";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import { errorText } from "../shared/error-text.ts";
import { invalidFields } from "./form-errors.ts";

type Values = {
  platform: PlatformId;
  name: string;
  gatewayUrl: string;
  sellerId: string;
  appKey?: string;
  appSecret?: string;
  /** Kuaishou only. */
  signSecret?: string;
  /** API channel only. */
  webhookUrl?: string;
  /** E-mail only: the relay replies go out through. */
  smtpHost?: string;
  smtpPort?: number;
  smtpUser?: string;
  smtpPass?: string;
};

const formFields = [
  "platform",
  "name",
  "gatewayUrl",
  "sellerId",
  "appKey",
  "appSecret",
  "signSecret",
  "webhookUrl",
] as const;

type Props = {
  /** null: a new store. */
  store: Store | null;
  onClose: () => void;
  onSaved: (store: Store, created: boolean) => void;
};

/**
 * Create a store (platform, name, gateway, seller account, app key/secret) or edit one. The
 * platform and seller account of an existing store do not change; its credentials are never
 * shown back, and are replaced only when both key and secret are entered.
 */
export function StoreFormModal({ store, onClose, onSaved }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const creating = store === null;
  const platform = Form.useWatch("platform", form) ?? store?.platform;

  const submit = async () => {
    const values = await form.validateFields();
    const request = creating ? toCreateRequest(values) : toUpdateRequest(values);
    // The contract's own schema, so that the form refuses exactly what the server would.
    const checked = creating ? CreateStoreSchema.safeParse(request) : UpdateStoreSchema.safeParse(request);
    if (!checked.success) {
      form.setFields(
        invalidFields(checked.error.issues, formFields).map((name) => ({ name, errors: [t("form.invalid")] })),
      );
      return;
    }
    setSaving(true);
    setFailure(null);
    try {
      const saved = creating
        ? await adminApi.createStore(checked.data as CreateStoreRequest)
        : await adminApi.updateStore(store.id, checked.data as UpdateStoreRequest);
      onSaved(saved, creating);
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
      title={creating ? t("stores.createTitle") : t("stores.editTitle", { label: store.label })}
      okText={creating ? t("common.create") : t("common.save")}
      cancelText={t("common.cancel")}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      confirmLoading={saving}
      destroyOnHidden
      okButtonProps={{ "data-testid": "store-form-submit" }}
    >
      {failure && <Alert className="form-failure" type="error" showIcon title={failure} />}
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        data-testid="store-form"
        initialValues={
          store
            ? { platform: store.platform, name: store.name, gatewayUrl: store.gatewayUrl, sellerId: store.sellerId }
            : { platform: "taobao" }
        }
      >
        <Form.Item name="platform" label={t("stores.platform")} rules={required}>
          <Select
            disabled={!creating}
            options={platformIds.map((id) => ({ value: id, label: platformLabels[id][locale] }))}
          />
        </Form.Item>
        <Form.Item name="name" label={t("stores.name")} rules={required}>
          <Input maxLength={60} autoComplete="off" />
        </Form.Item>
        <Form.Item name="sellerId" label={t("stores.sellerId")} extra={t("stores.sellerIdHint")} rules={required}>
          <Input disabled={!creating} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="gatewayUrl"
          label={t("stores.gatewayUrl")}
          rules={[...required, { type: "url", message: t("form.invalid") }]}
        >
          <Input placeholder="https://" autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="appKey"
          label={t("stores.appKey")}
          extra={creating ? undefined : t("stores.credentialsKeep")}
          rules={creating ? required : []}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="appSecret" label={t("stores.appSecret")} rules={creating ? required : []}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        {platform === "kuaishou" && (
          <Form.Item name="signSecret" label={t("stores.signSecret")} extra={t("stores.signSecretHint")}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
        {platform === "api" && (
          <Form.Item
            name="webhookUrl"
            label={t("stores.webhookUrl")}
            extra={t("stores.webhookUrlHint")}
            rules={[{ type: "url", message: t("form.invalid") }]}
          >
            <Input placeholder="https://" autoComplete="off" />
          </Form.Item>
        )}
        {platform === "email" && (
          <>
            <Form.Item name="smtpHost" label={t("stores.smtpHost")}>
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item name="smtpPort" label={t("stores.smtpPort")}>
              <InputNumber min={1} max={65535} />
            </Form.Item>
            <Form.Item name="smtpUser" label={t("stores.smtpUser")}>
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item name="smtpPass" label={t("stores.smtpPass")}>
              <Input.Password autoComplete="new-password" />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}

/** The platform-specific parts of the credentials, only when entered. */
function extraCredentials(values: Values) {
  const smtpHost = values.smtpHost?.trim();
  return {
    ...(values.signSecret ? { signSecret: values.signSecret } : {}),
    ...(values.webhookUrl?.trim() ? { webhookUrl: values.webhookUrl.trim() } : {}),
    ...(smtpHost && values.smtpPort
      ? {
          smtp: {
            host: smtpHost,
            port: values.smtpPort,
            ...(values.smtpUser?.trim() ? { user: values.smtpUser.trim() } : {}),
            ...(values.smtpPass ? { pass: values.smtpPass } : {}),
          },
        }
      : {}),
  };
}

function toCreateRequest(values: Values): CreateStoreRequest {
  return {
    platform: values.platform,
    name: values.name.trim(),
    gatewayUrl: values.gatewayUrl.trim(),
    sellerId: values.sellerId.trim(),
    credentials: {
      appKey: values.appKey?.trim() ?? "",
      appSecret: values.appSecret ?? "",
      ...extraCredentials(values),
    },
  };
}

function toUpdateRequest(values: Values): UpdateStoreRequest {
  const appKey = values.appKey?.trim();
  const appSecret = values.appSecret;
  return {
    name: values.name.trim(),
    gatewayUrl: values.gatewayUrl.trim(),
    ...(appKey && appSecret ? { credentials: { appKey, appSecret, ...extraCredentials(values) } } : {}),
  };
}
