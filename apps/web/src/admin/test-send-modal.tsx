import type { Store, TestSendResult } from "@yunxi/contracts";
import { TestSendRequest } from "@yunxi/contracts";
import { Alert, Form, Input, Modal } from "antd";
import { useState } from "react";
import { adminApi } from "../api/endpoints.ts";
import { useT } from "../i18n/i18n-provider.tsx";
import { errorText } from "../shared/error-text.ts";
import { invalidFields } from "./form-errors.ts";

type Values = { buyerId: string; text: string };
const formFields = ["buyerId", "text"] as const;
type Outcome = { ok: true; result: TestSendResult } | { ok: false; error: string };

/** Sends one message to a buyer through the store's platform, and shows what the platform said. */
export function TestSendModal({ store, onClose }: { store: Store; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const submit = async () => {
    const values = await form.validateFields();
    const checked = TestSendRequest.safeParse(values);
    if (!checked.success) {
      form.setFields(
        invalidFields(checked.error.issues, formFields).map((name) => ({ name, errors: [t("form.invalid")] })),
      );
      return;
    }
    setSending(true);
    setOutcome(null);
    try {
      setOutcome({ ok: true, result: await adminApi.testSend(store.id, checked.data) });
    } catch (cause) {
      setOutcome({ ok: false, error: errorText(cause, t) });
    } finally {
      setSending(false);
    }
  };

  const required = [{ required: true, whitespace: true, message: t("form.required") }];
  return (
    <Modal
      open
      title={t("testSend.title", { label: store.label })}
      okText={t("testSend.submit")}
      cancelText={t("common.cancel")}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      confirmLoading={sending}
      destroyOnHidden
      okButtonProps={{ "data-testid": "test-send-submit" }}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ buyerId: "", text: t("testSend.defaultText") }}
        data-testid="test-send-form"
      >
        <Form.Item name="buyerId" label={t("testSend.buyerId")} extra={t("testSend.buyerIdHint")} rules={required}>
          <Input autoComplete="off" maxLength={200} />
        </Form.Item>
        <Form.Item name="text" label={t("testSend.text")} rules={required}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={500} showCount />
        </Form.Item>
      </Form>
      {outcome?.ok === true && (
        <Alert
          type="success"
          showIcon
          data-testid="test-send-result"
          title={t("testSend.ok")}
          description={t("testSend.platformMessageId", { id: outcome.result.platformMessageId })}
        />
      )}
      {outcome?.ok === false && (
        <Alert
          type="error"
          showIcon
          data-testid="test-send-result"
          title={t("testSend.failed")}
          description={outcome.error}
        />
      )}
    </Modal>
  );
}
