import { ReloadOutlined } from "@ant-design/icons";
import type { NotificationEvent, NotificationSettings, Role } from "@yunxi/contracts";
import { notificationEvents } from "@yunxi/contracts";
import type { TableColumnsType } from "antd";
import { Alert, App, Button, Checkbox, Table } from "antd";
import { useEffect, useState } from "react";
import { notificationSettingsApi } from "../api/admin-workspace-api.ts";
import { useT } from "../i18n/i18n-provider.tsx";
import { announceNotificationSettings } from "../notifications/notification-center.tsx";
import { errorText, isAbort } from "../shared/error-text.ts";
import { isTold, sameSettings, withCell } from "./notification-matrix.ts";
import "./settings.css";

/** Roles from the front line up, as columns. */
const columnRoles: readonly Role[] = ["agent", "supervisor", "admin", "owner"];

/** 通知设置: which roles each event notifies; the assignee or mentioned user always hears of their own. */
export function NotificationRulesSettings() {
  const t = useT();
  const { message } = App.useApp();
  const [saved, setSaved] = useState<NotificationSettings | null>(null);
  const [draft, setDraft] = useState<NotificationSettings | null>(null);
  const [loading, setLoading] = useState(true);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt is a trigger
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    notificationSettingsApi.get(controller.signal).then(
      (settings) => {
        setSaved(settings);
        setDraft(settings);
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

  const save = () => {
    if (!draft) return;
    setSaving(true);
    notificationSettingsApi
      .save(draft)
      .then((settings) => {
        setSaved(settings);
        setDraft(settings);
        announceNotificationSettings(settings);
        message.success(t("notifySettings.saved"));
      })
      .catch((cause: unknown) => void message.error(errorText(cause, t)))
      .finally(() => setSaving(false));
  };

  const columns: TableColumnsType<NotificationEvent> = [
    {
      key: "event",
      title: t("notifySettings.event"),
      render: (_, event) => (
        <span className="notify-event-cell">
          <span>{t(`notifySettings.event.${event}`)}</span>
          <span className="settings-hint">{t(`notifySettings.eventHint.${event}`)}</span>
        </span>
      ),
    },
    ...columnRoles.map((role) => ({
      key: role,
      title: t(`role.${role}`),
      width: 90,
      align: "center" as const,
      render: (_: unknown, event: NotificationEvent) => (
        <Checkbox
          checked={draft ? isTold(draft, event, role) : false}
          disabled={!draft || saving}
          aria-label={`${t(`notifySettings.event.${event}`)} · ${t(`role.${role}`)}`}
          data-testid={`notify-rule-${event}-${role}`}
          onChange={(e) =>
            setDraft((current) => (current ? withCell(current, event, role, e.target.checked) : current))
          }
        />
      ),
    })),
  ];

  const dirty = draft !== null && saved !== null && !sameSettings(draft, saved);

  return (
    <div className="admin-section" data-testid="notification-settings">
      <p className="settings-hint">{t("notifySettings.hint")}</p>
      {error && <Alert type="error" showIcon title={t("notifySettings.loadFailed")} description={error} />}
      <Table<NotificationEvent>
        rowKey={(event) => event}
        size="middle"
        columns={columns}
        dataSource={[...notificationEvents]}
        loading={loading}
        pagination={false}
        scroll={{ x: 640 }}
      />
      <div className="settings-actions">
        <Button type="primary" onClick={save} disabled={!dirty} loading={saving} data-testid="notify-settings-save">
          {t("common.save")}
        </Button>
        <Button onClick={() => setDraft(saved)} disabled={!dirty || saving}>
          {t("routing.reset")}
        </Button>
        <Button icon={<ReloadOutlined />} onClick={() => setAttempt((n) => n + 1)} aria-label={t("common.reload")} />
      </div>
    </div>
  );
}
