import type { CannedReply, LibraryCategory, PlatformId, ReplyScope, Store } from "@yunxi/contracts";
import { CreateCannedReplyRequest, platformIds, platformLabels, templateVariables } from "@yunxi/contracts";
import { Alert, Button, Form, Input, Modal, Radio, Select, Space, Switch, TreeSelect } from "antd";
import type { TextAreaRef } from "antd/es/input/TextArea";
import { useRef, useState } from "react";
import { libraryApi } from "../assist/library-api.ts";
import { useT } from "../i18n/i18n-provider.tsx";
import { errorText } from "../shared/error-text.ts";
import { toTreeSelectData } from "./category-tree.tsx";
import { fromDateTimeLocal, toDateTimeLocal } from "./datetime.ts";

type Values = {
  title?: string;
  keywords: string[];
  text: string;
  categoryId?: string | null;
  scope: ReplyScope;
  platform?: PlatformId;
  storeId?: string;
  personal: boolean;
  validFrom?: string;
  validUntil?: string;
};

type Props = {
  reply: CannedReply | null;
  categories: readonly LibraryCategory[];
  stores: readonly Store[];
  /** Supervisors and above write shared replies; agents only their own. */
  mayShare: boolean;
  defaultCategoryId: string | null;
  onClose: () => void;
  onSaved: () => void;
};

/** Create or edit a canned reply: keywords, text with variables, category, where it applies, validity. */
export function ReplyFormModal({ reply, categories, stores, mayShare, defaultCategoryId, onClose, onSaved }: Props) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const scope = Form.useWatch("scope", form) ?? reply?.scope ?? "org";
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const textRef = useRef<TextAreaRef>(null);
  const creating = reply === null;

  const insertVariable = (name: string) => {
    const area = textRef.current?.resizableTextArea?.textArea;
    const current = form.getFieldValue("text") ?? "";
    const start = area?.selectionStart ?? current.length;
    const end = area?.selectionEnd ?? current.length;
    const token = `{${name}}`;
    form.setFieldValue("text", current.slice(0, start) + token + current.slice(end));
    requestAnimationFrame(() => {
      area?.focus();
      area?.setSelectionRange(start + token.length, start + token.length);
    });
  };

  const submit = async () => {
    const v = await form.validateFields();
    const request = {
      title: v.title?.trim() ?? "",
      keywords: v.keywords ?? [],
      text: v.text,
      categoryId: v.categoryId ?? null,
      platform: v.scope === "platform" ? (v.platform ?? null) : null,
      storeId: v.scope === "store" ? (v.storeId ?? null) : null,
      validFrom: fromDateTimeLocal(v.validFrom),
      validUntil: fromDateTimeLocal(v.validUntil),
    };
    const checked = CreateCannedReplyRequest.safeParse({ ...request, personal: v.personal });
    if (!checked.success) {
      setFailure(t("form.invalid"));
      return;
    }
    setSaving(true);
    setFailure(null);
    try {
      if (creating) await libraryApi.createReply(checked.data);
      else await libraryApi.updateReply(reply.id, request);
      onSaved();
    } catch (cause) {
      setFailure(errorText(cause, t));
    } finally {
      setSaving(false);
    }
  };

  const initial: Values = {
    title: reply?.title ?? "",
    keywords: reply?.keywords ?? [],
    text: reply?.text ?? "",
    categoryId: reply ? reply.categoryId : defaultCategoryId,
    scope: reply?.scope ?? "org",
    platform: reply?.platform ?? undefined,
    storeId: reply?.storeId ?? undefined,
    personal: reply ? reply.personal : !mayShare,
    validFrom: toDateTimeLocal(reply?.validFrom ?? null),
    validUntil: toDateTimeLocal(reply?.validUntil ?? null),
  };

  return (
    <Modal
      open
      width={640}
      title={creating ? t("library.reply.createTitle") : t("library.reply.editTitle")}
      okText={creating ? t("common.create") : t("common.save")}
      cancelText={t("common.cancel")}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      confirmLoading={saving}
      destroyOnHidden
      okButtonProps={{ "data-testid": "reply-form-submit" }}
    >
      {failure && <Alert className="form-failure" type="error" showIcon title={failure} />}
      <Form form={form} layout="vertical" initialValues={initial} requiredMark={false}>
        <Form.Item name="keywords" label={t("library.reply.keywords")} extra={t("library.reply.keywordsHint")}>
          <Select mode="tags" tokenSeparators={[",", "，", "、", " "]} open={false} data-testid="reply-keywords" />
        </Form.Item>
        <Form.Item name="title" label={t("library.reply.title")}>
          <Input maxLength={100} placeholder={t("library.reply.titlePlaceholder")} />
        </Form.Item>
        <Form.Item
          name="text"
          label={t("library.reply.text")}
          rules={[{ required: true, whitespace: true, message: t("form.required") }]}
          extra={
            <Space size={4} wrap className="library-variables">
              {t("library.reply.variables")}
              {templateVariables.map((name) => (
                <Button key={name} size="small" onClick={() => insertVariable(name)}>
                  {`{${name}}`}
                </Button>
              ))}
            </Space>
          }
        >
          <Input.TextArea
            ref={textRef}
            autoSize={{ minRows: 3, maxRows: 10 }}
            maxLength={2000}
            showCount
            data-testid="reply-text"
          />
        </Form.Item>
        <Form.Item name="categoryId" label={t("library.reply.category")}>
          <TreeSelect allowClear treeDefaultExpandAll treeData={toTreeSelectData(categories)} />
        </Form.Item>
        <Form.Item name="scope" label={t("library.reply.scope")}>
          <Radio.Group
            options={[
              { value: "org", label: t("library.scope.org") },
              { value: "platform", label: t("library.scope.platform") },
              { value: "store", label: t("library.scope.store") },
            ]}
            optionType="button"
          />
        </Form.Item>
        {scope === "platform" && (
          <Form.Item
            name="platform"
            label={t("library.reply.platform")}
            rules={[{ required: true, message: t("form.required") }]}
          >
            <Select
              options={platformIds.map((p) => ({ value: p, label: platformLabels[p]["zh-CN"] }))}
              data-testid="reply-platform"
            />
          </Form.Item>
        )}
        {scope === "store" && (
          <Form.Item
            name="storeId"
            label={t("library.reply.store")}
            rules={[{ required: true, message: t("form.required") }]}
          >
            <Select options={stores.map((s) => ({ value: s.id, label: s.label }))} data-testid="reply-store" />
          </Form.Item>
        )}
        <div className="library-window">
          <Form.Item name="validFrom" label={t("library.reply.validFrom")}>
            <Input type="datetime-local" />
          </Form.Item>
          <Form.Item
            name="validUntil"
            label={t("library.reply.validUntil")}
            dependencies={["validFrom"]}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_, value?: string) => {
                  const from = getFieldValue("validFrom") as string | undefined;
                  return !value || !from || value > from
                    ? Promise.resolve()
                    : Promise.reject(new Error(t("library.reply.windowInvalid")));
                },
              }),
            ]}
          >
            <Input type="datetime-local" />
          </Form.Item>
        </div>
        {creating && (
          <Form.Item
            name="personal"
            label={t("library.reply.personal")}
            valuePropName="checked"
            extra={t("library.reply.personalHint")}
          >
            <Switch disabled={!mayShare} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
