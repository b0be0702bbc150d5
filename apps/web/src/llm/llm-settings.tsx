import type { LlmSettings, LlmTestResult } from "@yunxi/contracts";
import { LlmBaseUrl } from "@yunxi/contracts";
import { Alert, App, Button, Divider, Form, Input, InputNumber, Space, Spin, Switch } from "antd";
import { useEffect, useState } from "react";
import { useT } from "../i18n/i18n-provider.tsx";
import { errorText, isAbort } from "../shared/error-text.ts";
import { draftsOffered } from "./drafts-offered.ts";
import { llmApi } from "./llm-api.ts";
import { type LlmFormValues, llmRequest, llmTestRequest, llmToValues } from "./llm-form.ts";
import "./llm.css";

/**
 * 大模型: the optional OpenAI-compatible endpoint (admins only). The key is write-only: the
 * field is always empty, "已保存" says one is saved; typing a new one replaces it.
 */
export function LlmSettingsTab() {
  const t = useT();
  const [settings, setSettings] = useState<LlmSettings | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    llmApi.settings(controller.signal).then(setSettings, (cause: unknown) => {
      if (controller.signal.aborted || isAbort(cause)) return;
      setError(errorText(cause, t));
    });
    return () => controller.abort();
  }, [t]);

  return (
    <div className="admin-section" data-testid="llm-settings">
      <p className="llm-intro">{t("llm.intro")}</p>
      {error && <Alert type="error" showIcon title={t("llm.loadFailed")} description={error} />}
      {settings ? <LlmForm settings={settings} onSaved={setSettings} /> : !error && <Spin />}
    </div>
  );
}

function LlmForm({ settings, onSaved }: { settings: LlmSettings; onSaved: (settings: LlmSettings) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<LlmFormValues>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [testing, setTesting] = useState(false);
  const [tested, setTested] = useState<LlmTestResult | null>(null);

  const saved = (next: LlmSettings) => {
    onSaved(next);
    // This tab's composers show or hide the draft button at once.
    void draftsOffered.refresh();
    form.setFieldsValue(llmToValues(next));
  };

  const submit = async () => {
    const values = await form.validateFields();
    setSaving(true);
    setFailure(null);
    try {
      saved(await llmApi.update(llmRequest(values)));
      message.success(t("llm.saved"));
    } catch (cause) {
      setFailure(errorText(cause, t));
    } finally {
      setSaving(false);
    }
  };

  const clearKey = async () => {
    setFailure(null);
    try {
      saved(await llmApi.update({ clearApiKey: true }));
      message.success(t("llm.keyCleared"));
    } catch (cause) {
      setFailure(errorText(cause, t));
    }
  };

  const test = async () => {
    setTesting(true);
    setTested(null);
    setFailure(null);
    try {
      setTested(await llmApi.test(llmTestRequest(form.getFieldsValue())));
    } catch (cause) {
      setFailure(errorText(cause, t));
    } finally {
      setTesting(false);
    }
  };

  const baseUrlRule = ({ getFieldValue }: { getFieldValue: (name: string) => unknown }) => ({
    validator: async (_: unknown, value: string | undefined) => {
      const url = (value ?? "").trim();
      if (url === "") {
        if (getFieldValue("enabled") === true) throw new Error(t("llm.baseUrlRequired"));
        return;
      }
      if (!LlmBaseUrl.safeParse(url).success) throw new Error(t("llm.baseUrlInvalid"));
    },
  });
  const modelRule = ({ getFieldValue }: { getFieldValue: (name: string) => unknown }) => ({
    validator: async (_: unknown, value: string | undefined) => {
      if ((value ?? "").trim() === "" && getFieldValue("enabled") === true) throw new Error(t("llm.modelRequired"));
    },
  });

  return (
    <Form<LlmFormValues>
      form={form}
      layout="vertical"
      requiredMark={false}
      initialValues={llmToValues(settings)}
      className="llm-form"
      data-testid="llm-form"
      onFinish={() => void submit().catch(() => undefined)}
    >
      {failure && <Alert className="form-failure" type="error" showIcon title={failure} />}
      <Form.Item name="enabled" label={t("llm.enabled")} valuePropName="checked" extra={t("llm.enabledHint")}>
        <Switch
          data-testid="llm-enabled"
          onChange={() => void form.validateFields(["baseUrl", "model"]).catch(() => {})}
        />
      </Form.Item>
      <Form.Item name="baseUrl" label={t("llm.baseUrl")} extra={t("llm.baseUrlHint")} rules={[baseUrlRule]}>
        <Input data-testid="llm-base-url" placeholder="https://api.deepseek.com/v1" autoComplete="off" />
      </Form.Item>
      <div className="llm-grid">
        <Form.Item name="model" label={t("llm.model")} rules={[modelRule]}>
          <Input data-testid="llm-model" placeholder="deepseek-chat · qwen-plus · qwen2.5:7b" autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="apiKey"
          label={t("llm.apiKey")}
          extra={settings.hasKey ? t("llm.apiKeySavedHint") : t("llm.apiKeyHint")}
        >
          <Input.Password
            data-testid="llm-api-key"
            autoComplete="new-password"
            placeholder={
              settings.hasKey ? t("llm.apiKeySaved", { hint: settings.keyHint ?? "" }) : t("llm.apiKeyPlaceholder")
            }
          />
        </Form.Item>
      </div>
      {settings.hasKey && (
        <Button
          size="small"
          danger
          onClick={() => void clearKey()}
          data-testid="llm-clear-key"
          className="llm-clear-key"
        >
          {t("llm.clearKey")}
        </Button>
      )}

      <Divider titlePlacement="start">{t("llm.section.classify")}</Divider>
      <div className="llm-grid">
        <Form.Item name="classify" label={t("llm.classify")} valuePropName="checked" extra={t("llm.classifyHint")}>
          <Switch data-testid="llm-classify" />
        </Form.Item>
        <Form.Item
          name="classifyBelow"
          label={t("llm.classifyBelow")}
          extra={t("llm.classifyBelowHint")}
          rules={[{ required: true, type: "number", min: 0, max: 0.5 }]}
        >
          <InputNumber className="llm-number" min={0} max={0.5} step={0.05} />
        </Form.Item>
        <TimeoutField name="classifyTimeoutSeconds" />
      </div>

      <Divider titlePlacement="start">{t("llm.section.drafts")}</Divider>
      <div className="llm-grid">
        <Form.Item name="drafts" label={t("llm.drafts")} valuePropName="checked" extra={t("llm.draftsHint")}>
          <Switch data-testid="llm-drafts" />
        </Form.Item>
        <TimeoutField name="draftTimeoutSeconds" />
      </div>

      {tested && (
        <Alert
          className="llm-test-result"
          data-testid="llm-test-result"
          type={tested.ok ? "success" : "error"}
          showIcon
          title={
            tested.ok
              ? t("llm.testOk", { ms: tested.latencyMs })
              : t("llm.testFailed", { code: tested.code ?? "", ms: tested.latencyMs })
          }
          description={tested.ok ? tested.reply : tested.message}
        />
      )}
      <Space className="llm-actions" wrap>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="llm-save">
          {t("common.save")}
        </Button>
        <Button onClick={() => void test()} loading={testing} data-testid="llm-test">
          {t("llm.test")}
        </Button>
      </Space>
    </Form>
  );
}

/** A deadline in seconds (the API takes milliseconds, 500 … 120,000). */
function TimeoutField({ name }: { name: "classifyTimeoutSeconds" | "draftTimeoutSeconds" }) {
  const t = useT();
  return (
    <Form.Item
      name={name}
      label={t("llm.timeoutSeconds")}
      rules={[{ required: true, type: "number", min: 0.5, max: 120 }]}
    >
      <InputNumber className="llm-number" min={0.5} max={120} step={0.5} />
    </Form.Item>
  );
}
