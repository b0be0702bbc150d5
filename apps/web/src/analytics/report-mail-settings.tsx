import type { ReportMailSettings, ReportMailSettingsInput } from "@yunxi/contracts";
import { Alert, App, Button, Checkbox, Form, Input, InputNumber, Space, Switch } from "antd";
import { useEffect, useState } from "react";
import { analyticsApi } from "../api/analytics-api.ts";
import { useT } from "../i18n/i18n-provider.tsx";
import { errorText, isAbort } from "../shared/error-text.ts";

type MailDraft = {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
  clearPassword: boolean;
  from: string;
};

/** The write-only password: empty keeps what is stored, 清除密码 removes it. */
function inputOf(d: MailDraft): ReportMailSettingsInput {
  return {
    host: d.host.trim(),
    port: d.port,
    secure: d.secure,
    user: d.user.trim() === "" ? null : d.user.trim(),
    ...(d.clearPassword ? { password: null } : d.password !== "" ? { password: d.password } : {}),
    from: d.from.trim(),
  };
}

/** 发信设置: the SMTP server scheduled reports are mailed through (admins change it; the password never comes back). */
export function ReportMailSettingsForm({ canChange }: { canChange: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<MailDraft>();
  const [settings, setSettings] = useState<ReportMailSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!canChange) return;
    const controller = new AbortController();
    analyticsApi.reportMail(controller.signal).then(
      (loaded) => {
        setSettings(loaded);
        form.setFieldsValue({
          host: loaded.host ?? "",
          port: loaded.port ?? 465,
          secure: loaded.configured ? loaded.secure : true,
          user: loaded.user ?? "",
          password: "",
          clearPassword: false,
          from: loaded.from ?? "",
        });
      },
      (cause: unknown) => {
        if (!isAbort(cause)) setError(errorText(cause, t));
      },
    );
    return () => controller.abort();
  }, [canChange, form, t]);

  if (!canChange) {
    return <p className="analytics-hint report-mail-note">{t("analytics.schedules.mail.adminOnly")}</p>;
  }

  const save = (draft: MailDraft) => {
    setSaving(true);
    setError(null);
    analyticsApi
      .saveReportMail(inputOf(draft))
      .then((saved) => {
        setSettings(saved);
        form.setFieldsValue({ password: "", clearPassword: false });
        message.success(t("analytics.schedules.mail.saved"));
      })
      .catch((cause: unknown) => setError(errorText(cause, t)))
      .finally(() => setSaving(false));
  };

  return (
    <section className="report-mail-settings" data-testid="report-mail-settings">
      <h3>{t("analytics.schedules.mail.title")}</h3>
      <p className="analytics-hint">{t("analytics.schedules.mail.hint")}</p>
      {settings && !settings.configured && (
        <Alert type="warning" showIcon title={t("analytics.schedules.needMail")} className="schedule-form-error" />
      )}
      {error && <Alert type="error" showIcon title={error} className="schedule-form-error" />}
      <Form<MailDraft> form={form} layout="vertical" onFinish={save} requiredMark={false}>
        <Space wrap size={12} align="start">
          <Form.Item
            name="host"
            label={t("analytics.schedules.mail.host")}
            rules={[{ required: true, whitespace: true, message: t("form.required") }]}
          >
            <Input style={{ width: 220 }} placeholder="smtp.example.com" data-testid="report-mail-host" />
          </Form.Item>
          <Form.Item
            name="port"
            label={t("analytics.schedules.mail.port")}
            rules={[{ required: true, message: t("form.required") }]}
          >
            <InputNumber min={1} max={65_535} precision={0} data-testid="report-mail-port" />
          </Form.Item>
          <Form.Item name="secure" label={t("analytics.schedules.mail.secure")} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Space>
        <Space wrap size={12} align="start">
          <Form.Item name="user" label={t("analytics.schedules.mail.user")}>
            <Input style={{ width: 220 }} autoComplete="off" />
          </Form.Item>
          <Form.Item name="password" label={t("analytics.schedules.mail.password")}>
            <Input.Password
              style={{ width: 220 }}
              autoComplete="new-password"
              placeholder={settings?.passwordSet ? t("analytics.schedules.mail.passwordKept") : ""}
            />
          </Form.Item>
          {settings?.passwordSet && (
            <Form.Item name="clearPassword" label=" " valuePropName="checked">
              <Checkbox>{t("analytics.schedules.mail.clearPassword")}</Checkbox>
            </Form.Item>
          )}
        </Space>
        <Form.Item
          name="from"
          label={t("analytics.schedules.mail.from")}
          rules={[{ required: true, type: "email", message: t("form.invalid") }]}
        >
          <Input style={{ width: 320 }} placeholder="reports@example.com" data-testid="report-mail-from" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="report-mail-save">
          {t("common.save")}
        </Button>
      </Form>
    </section>
  );
}
