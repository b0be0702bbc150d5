import type { SurveySettings } from "@yunxi/contracts";
import { Alert, App, Button, Form, Input, InputNumber, Spin, Switch } from "antd";
import { useEffect, useState } from "react";
import { surveySettingsApi } from "../api/admin-workspace-api.ts";
import { useMe } from "../auth/auth-provider.tsx";
import { useT } from "../i18n/i18n-provider.tsx";
import { errorText, isAbort } from "../shared/error-text.ts";
import "./settings.css";

/**
 * 满意度邀评: Yunxi's own survey, sent when an agent resolves a conversation. Supervisors see
 * the settings; admins change them (what is sent to buyers).
 */
export function SurveySettingsForm() {
  const t = useT();
  const me = useMe();
  const { message } = App.useApp();
  const [form] = Form.useForm<SurveySettings>();
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const canEdit = me.user.role === "admin" || me.user.role === "owner";

  useEffect(() => {
    const controller = new AbortController();
    surveySettingsApi.get(controller.signal).then(
      (settings) => {
        form.setFieldsValue(settings);
        setLoaded(true);
      },
      (cause: unknown) => {
        if (controller.signal.aborted || isAbort(cause)) return;
        setError(errorText(cause, t));
      },
    );
    return () => controller.abort();
  }, [form, t]);

  const save = (values: SurveySettings) => {
    setSaving(true);
    surveySettingsApi
      .save(values)
      .then((settings) => {
        form.setFieldsValue(settings);
        message.success(t("survey.saved"));
      })
      .catch((cause: unknown) => void message.error(errorText(cause, t)))
      .finally(() => setSaving(false));
  };

  if (error) return <Alert type="error" showIcon title={error} />;
  if (!loaded) return <Spin />;
  return (
    <section data-testid="survey-settings">
      <p className="settings-hint">{t("survey.hint")}</p>
      {!canEdit && <Alert type="info" showIcon title={t("survey.adminsOnly")} />}
      <Form form={form} layout="vertical" disabled={!canEdit} onFinish={save} style={{ maxWidth: 560 }}>
        <Form.Item name="enabled" label={t("survey.enabled")} valuePropName="checked">
          <Switch data-testid="survey-enabled" />
        </Form.Item>
        <Form.Item
          name="invitation"
          label={t("survey.invitation")}
          extra={t("survey.invitationHint")}
          rules={[{ required: true, whitespace: true, max: 200 }]}
        >
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={200} showCount />
        </Form.Item>
        <Form.Item name="thanks" label={t("survey.thanks")} rules={[{ required: true, whitespace: true, max: 200 }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="windowHours" label={t("survey.windowHours")} rules={[{ required: true }]}>
          <InputNumber min={1} max={168} precision={0} addonAfter={t("survey.hours")} />
        </Form.Item>
        {canEdit && (
          <Button type="primary" htmlType="submit" loading={saving} data-testid="survey-save">
            {t("survey.save")}
          </Button>
        )}
      </Form>
    </section>
  );
}
