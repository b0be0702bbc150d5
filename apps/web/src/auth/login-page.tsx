import { LockOutlined, MailOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Form, Input, Typography } from "antd";
import { useState } from "react";
import { useT } from "../i18n/i18n-provider.tsx";
import type { MessageKey } from "../i18n/zh-CN.ts";
import { Brand } from "../shared/brand.tsx";
import { errorText } from "../shared/error-text.ts";
import { LanguageSwitch } from "../shared/language-switch.tsx";
import { useAuth } from "./auth-provider.tsx";

type LoginForm = { email: string; password: string };

export function LoginPage({ notice }: { notice: MessageKey | null }) {
  const t = useT();
  const { login } = useAuth();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async ({ email, password }: LoginForm) => {
    setSubmitting(true);
    setError(null);
    try {
      await login(email.trim(), password);
    } catch (cause) {
      setError(errorText(cause, t));
      setSubmitting(false);
    }
  };

  const shown = error ?? (notice ? t(notice) : null);

  return (
    <main className="login-page">
      <div className="login-language">
        <LanguageSwitch />
      </div>
      <Card className="login-card">
        <div className="login-brand">
          <Brand size="large" />
          <Typography.Text type="secondary">{t("app.tagline")}</Typography.Text>
        </div>
        <Typography.Title level={4}>{t("login.title")}</Typography.Title>
        {shown && (
          <Alert className="login-error" type="error" showIcon title={shown} data-testid="login-error" role="alert" />
        )}
        <Form<LoginForm> layout="vertical" onFinish={submit} requiredMark={false} disabled={submitting}>
          <Form.Item
            label={t("login.email")}
            name="email"
            rules={[
              { required: true, message: t("login.emailRequired") },
              { type: "email", message: t("login.emailInvalid") },
            ]}
          >
            <Input
              data-testid="login-email"
              prefix={<MailOutlined />}
              placeholder={t("login.emailPlaceholder")}
              autoComplete="username"
              inputMode="email"
              size="large"
              autoFocus
            />
          </Form.Item>
          <Form.Item
            label={t("login.password")}
            name="password"
            rules={[{ required: true, message: t("login.passwordRequired") }]}
          >
            <Input.Password
              data-testid="login-password"
              prefix={<LockOutlined />}
              autoComplete="current-password"
              size="large"
            />
          </Form.Item>
          <Button data-testid="login-submit" type="primary" htmlType="submit" size="large" block loading={submitting}>
            {t("login.submit")}
          </Button>
        </Form>
      </Card>
    </main>
  );
}
