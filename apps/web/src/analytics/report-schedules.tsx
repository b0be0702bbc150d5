import { DeleteOutlined, EditOutlined, KeyOutlined, PlusOutlined, SendOutlined } from "@ant-design/icons";
import type { AgentGroup, AnalyticsFilterScope, ReportSchedule, ScheduleRunStatus, Store } from "@yunxi/contracts";
import { exportFormats, platformLabels, scheduleCadences, scheduleReportKinds } from "@yunxi/contracts";
import {
  Alert,
  App,
  AutoComplete,
  Button,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Skeleton,
  Space,
  Switch,
  Table,
  Tag,
  Tooltip,
  Typography,
} from "antd";
import { useCallback, useEffect, useState } from "react";
import { analyticsApi } from "../api/analytics-api.ts";
import { inboxApi } from "../api/endpoints.ts";
import { workspaceApi } from "../api/workspace-api.ts";
import { useMe } from "../auth/auth-provider.tsx";
import { formatDateTime } from "../i18n/format.ts";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import { errorText, isAbort } from "../shared/error-text.ts";
import { canSupervise } from "../supervisor/supervisor-state.ts";
import { ReportMailSettingsForm } from "./report-mail-settings.tsx";
import {
  cadenceLabels,
  clockOptions,
  draftOf,
  emptyDraft,
  inputOf,
  kindLabels,
  looksLikeEmail,
  type ScheduleDraft,
  scheduleChoices,
  statusLooks,
  timingText,
  weekdayLabels,
} from "./schedule-form.ts";
import { useFilterScope } from "./use-filter-scope.ts";
import "./analytics.css";

type Editing = { id: string | null; draft: ScheduleDraft };

const POLL_MS = 2_000;
const pendingStatuses = new Set<ScheduleRunStatus>(["queued", "running", "retrying"]);

/**
 * 定时报表 for the admin console (supervisors and admins): the org's schedules with their
 * next run and last outcome, 立即发送, a modal to create or edit one, and for admins the
 * outgoing mail server the reports are sent through.
 */
export function ReportSchedulesSettings() {
  const t = useT();
  const { locale } = useLocale();
  const me = useMe();
  const { message, modal } = App.useApp();
  const [items, setItems] = useState<readonly ReportSchedule[] | null>(null);
  const [stores, setStores] = useState<readonly Store[]>([]);
  const [groups, setGroups] = useState<readonly AgentGroup[]>([]);
  const scope = useFilterScope();
  const [loadError, setLoadError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const allowed = canSupervise(me.user.role);
  const admin = me.user.role === "admin" || me.user.role === "owner";

  const reload = useCallback(
    (signal?: AbortSignal) =>
      analyticsApi.schedules(signal).then(
        (list) => setItems(list.items),
        (cause: unknown) => {
          if (!isAbort(cause)) setLoadError(errorText(cause, t));
        },
      ),
    [t],
  );

  useEffect(() => {
    if (!allowed) return;
    const controller = new AbortController();
    void reload(controller.signal);
    inboxApi.stores(controller.signal).then(
      (list) => setStores(list.items),
      () => undefined,
    );
    workspaceApi.groups(controller.signal).then(
      (list) => setGroups(list.items),
      () => undefined,
    );
    return () => controller.abort();
  }, [allowed, reload]);

  // While a run is on its way, its outcome is asked for every few seconds.
  const pending = items?.some((s) => s.lastStatus && pendingStatuses.has(s.lastStatus)) ?? false;
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => void reload(), POLL_MS);
    return () => clearInterval(timer);
  }, [pending, reload]);

  if (!allowed) return <Alert type="info" showIcon title={t("analytics.schedules.forbidden")} />;
  if (loadError)
    return <Alert type="error" showIcon title={t("analytics.schedules.loadFailed")} description={loadError} />;
  if (!items) return <Skeleton active />;

  const showSecret = (secret: string) => {
    modal.info({
      title: t("analytics.schedules.secretTitle"),
      width: 560,
      content: (
        <div data-testid="schedule-secret">
          <p>{t("analytics.schedules.secretHint")}</p>
          <Typography.Paragraph copyable code>
            {secret}
          </Typography.Paragraph>
        </div>
      ),
    });
  };

  const runNow = (s: ReportSchedule) =>
    analyticsApi.runSchedule(s.id).then(
      (run) => {
        message.success(t("analytics.schedules.runQueued", { from: run.periodFrom, to: run.periodTo }));
        void reload();
      },
      (cause: unknown) => message.error(errorText(cause, t)),
    );

  const remove = (s: ReportSchedule) =>
    analyticsApi.deleteSchedule(s.id).then(
      () => reload(),
      (cause: unknown) => message.error(errorText(cause, t)),
    );

  const revealSecret = (s: ReportSchedule) =>
    analyticsApi.webhookSecret(s.id).then(
      (answer) => showSecret(answer.webhookSecret),
      (cause: unknown) => message.error(errorText(cause, t)),
    );

  const storeName = (id: string) => {
    const store = stores.find((s) => s.id === id);
    return store ? `${platformLabels[store.platform][locale]}-${store.name}` : id;
  };
  const scopeText = (s: ReportSchedule) =>
    [
      s.filters.platform && platformLabels[s.filters.platform][locale],
      s.filters.storeId && storeName(s.filters.storeId),
      s.filters.groupId && (groups.find((g) => g.id === s.filters.groupId)?.name ?? s.filters.groupId),
    ]
      .filter(Boolean)
      .join(" · ") || t("analytics.schedules.wholeOrg");

  return (
    <div className="report-schedules" data-testid="report-schedules">
      <p className="analytics-hint">{t("analytics.schedules.hint")}</p>
      <Space className="report-schedules-toolbar">
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setEditing({ id: null, draft: emptyDraft() })}
          data-testid="schedule-add"
        >
          {t("analytics.schedules.add")}
        </Button>
      </Space>
      <Table<ReportSchedule>
        rowKey="id"
        size="small"
        dataSource={[...items]}
        pagination={false}
        scroll={{ x: 900 }}
        locale={{ emptyText: t("analytics.schedules.empty") }}
        columns={[
          {
            title: t("analytics.schedules.name"),
            key: "name",
            render: (_, s) => (
              <div>
                <strong>{s.name}</strong>
                <div className="analytics-hint">
                  {t(kindLabels[s.kind])} · {scopeText(s)} · {s.formats.join(" + ").toUpperCase()}
                </div>
              </div>
            ),
          },
          {
            title: t("analytics.schedules.cadence"),
            key: "timing",
            render: (_, s) => (
              <Tooltip title={t("analytics.schedules.timezone", { zone: s.timezone })}>{timingText(s, t)}</Tooltip>
            ),
          },
          {
            title: t("analytics.schedules.targets"),
            key: "targets",
            render: (_, s) => (
              <span className="analytics-hint">
                {[
                  s.recipients.length > 0 && t("analytics.schedules.recipientCount", { count: s.recipients.length }),
                  s.webhookUrl && "Webhook",
                ]
                  .filter(Boolean)
                  .join(" · ")}
              </span>
            ),
          },
          {
            title: t("analytics.schedules.next"),
            key: "next",
            render: (_, s) =>
              s.enabled && s.nextRunAt ? (
                formatDateTime(s.nextRunAt, locale)
              ) : (
                <Tag>{t("analytics.schedules.disabled")}</Tag>
              ),
          },
          {
            title: t("analytics.schedules.last"),
            key: "last",
            render: (_, s) =>
              s.lastStatus ? (
                <span data-testid="schedule-status" data-status={s.lastStatus}>
                  <Tooltip title={s.lastError}>
                    <Tag color={statusLooks[s.lastStatus].color}>{t(statusLooks[s.lastStatus].label)}</Tag>
                  </Tooltip>
                  {s.lastRunAt && <span className="analytics-hint">{formatDateTime(s.lastRunAt, locale)}</span>}
                  {s.lastError && <div className="schedule-error">{s.lastError}</div>}
                </span>
              ) : (
                <span className="analytics-hint">{t("analytics.schedules.never")}</span>
              ),
          },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, s) => (
              <Space size={4} wrap>
                <Button size="small" icon={<SendOutlined />} onClick={() => runNow(s)} data-testid="schedule-run">
                  {t("analytics.schedules.runNow")}
                </Button>
                <Button
                  size="small"
                  icon={<EditOutlined />}
                  onClick={() => setEditing({ id: s.id, draft: draftOf(s) })}
                  aria-label={t("analytics.schedules.edit")}
                />
                {admin && s.webhookUrl && (
                  <Tooltip title={t("analytics.schedules.showSecret")}>
                    <Button
                      size="small"
                      icon={<KeyOutlined />}
                      onClick={() => revealSecret(s)}
                      aria-label={t("analytics.schedules.showSecret")}
                    />
                  </Tooltip>
                )}
                <Popconfirm title={t("analytics.schedules.deleteConfirm")} onConfirm={() => remove(s)}>
                  <Button size="small" danger icon={<DeleteOutlined />} aria-label={t("analytics.schedules.delete")} />
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      {editing && (
        <ScheduleModal
          editing={editing}
          scope={scope}
          stores={stores}
          groups={groups}
          onClose={() => setEditing(null)}
          onSaved={(secret) => {
            setEditing(null);
            message.success(t("analytics.schedules.saved"));
            void reload();
            if (secret) showSecret(secret);
          }}
        />
      )}
      <ReportMailSettingsForm canChange={admin} />
    </div>
  );
}

type ModalProps = {
  editing: Editing;
  /** What the user may schedule (their scope); stores and groups name the schedule's own picks. */
  scope: AnalyticsFilterScope | null;
  stores: readonly Store[];
  groups: readonly AgentGroup[];
  onClose: () => void;
  onSaved: (webhookSecret: string | null) => void;
};

function ScheduleModal({ editing, scope, stores, groups, onClose, onSaved }: ModalProps) {
  const t = useT();
  const { locale } = useLocale();
  const [form] = Form.useForm<ScheduleDraft>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cadence = Form.useWatch("cadence", form) ?? editing.draft.cadence;
  const platform = Form.useWatch("platform", form);
  const { storeId, groupId } = editing.draft;
  const choices = scheduleChoices(scope, { stores, groups }, { platform, storeId, groupId });

  const save = (draft: ScheduleDraft) => {
    const input = inputOf({ ...editing.draft, ...draft });
    if (input.recipients.length === 0 && input.webhookUrl === null) {
      setError(t("analytics.schedules.needTarget"));
      return;
    }
    setSaving(true);
    setError(null);
    const request = editing.id ? analyticsApi.saveSchedule(editing.id, input) : analyticsApi.createSchedule(input);
    request
      .then((saved) => onSaved(saved.webhookSecret))
      .catch((cause: unknown) => setError(errorText(cause, t)))
      .finally(() => setSaving(false));
  };

  return (
    <Modal
      open
      title={t(editing.id ? "analytics.schedules.editTitle" : "analytics.schedules.add")}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      confirmLoading={saving}
      width={640}
      destroyOnHidden
    >
      <Form<ScheduleDraft>
        form={form}
        layout="vertical"
        initialValues={editing.draft}
        onFinish={save}
        data-testid="schedule-form"
        requiredMark={false}
      >
        {error && <Alert type="error" showIcon title={error} className="schedule-form-error" />}
        <Form.Item
          name="name"
          label={t("analytics.schedules.name")}
          rules={[{ required: true, whitespace: true, message: t("form.required") }, { max: 80 }]}
        >
          <Input placeholder={t("analytics.schedules.namePlaceholder")} data-testid="schedule-name" />
        </Form.Item>
        <Space wrap size={12} align="start">
          <Form.Item name="kind" label={t("analytics.schedules.kind")}>
            <Select
              style={{ minWidth: 140 }}
              options={scheduleReportKinds.map((k) => ({ value: k, label: t(kindLabels[k]) }))}
            />
          </Form.Item>
          <Form.Item name="platform" label={t("analytics.filter.platform")}>
            <Select
              allowClear
              style={{ minWidth: 120 }}
              placeholder={t("analytics.filter.allPlatforms")}
              onChange={() => form.setFieldValue("storeId", undefined)}
              options={choices.platforms.map((p) => ({ value: p, label: platformLabels[p][locale] }))}
            />
          </Form.Item>
          <Form.Item name="storeId" label={t("analytics.filter.store")}>
            <Select
              allowClear
              style={{ minWidth: 160 }}
              placeholder={t("analytics.filter.allStores")}
              options={choices.stores.map((s) => ({
                value: s.id,
                label: `${platformLabels[s.platform][locale]}-${s.name}`,
              }))}
            />
          </Form.Item>
          <Form.Item name="groupId" label={t("analytics.filter.group")}>
            <Select
              allowClear
              style={{ minWidth: 120 }}
              placeholder={t("analytics.filter.allGroups")}
              options={choices.groups.map((g) => ({ value: g.id, label: g.name }))}
            />
          </Form.Item>
        </Space>
        <Space wrap size={12} align="start">
          <Form.Item name="cadence" label={t("analytics.schedules.cadence")}>
            <Select
              style={{ minWidth: 200 }}
              options={scheduleCadences.map((c) => ({ value: c, label: t(cadenceLabels[c]) }))}
              data-testid="schedule-cadence"
            />
          </Form.Item>
          {cadence === "weekly" && (
            <Form.Item name="weekday" label={t("analytics.schedules.weekday")}>
              <Select
                style={{ minWidth: 90 }}
                options={weekdayLabels.map((label, i) => ({ value: i + 1, label: t(label) }))}
              />
            </Form.Item>
          )}
          {cadence === "monthly" && (
            <Form.Item
              name="dayOfMonth"
              label={t("analytics.schedules.dayOfMonth")}
              tooltip={t("analytics.schedules.dayOfMonthHint")}
            >
              <InputNumber min={1} max={31} precision={0} />
            </Form.Item>
          )}
          <Form.Item
            name="time"
            label={t("analytics.schedules.time")}
            rules={[{ pattern: /^([01]\d|2[0-3]):[0-5]\d$/, message: t("analytics.schedules.badTime") }]}
          >
            <AutoComplete
              style={{ width: 110 }}
              options={clockOptions.map((value) => ({ value }))}
              data-testid="schedule-time"
            />
          </Form.Item>
        </Space>
        <Form.Item
          name="formats"
          label={t("analytics.schedules.formats")}
          rules={[{ required: true, message: t("form.required") }]}
        >
          <Checkbox.Group options={exportFormats.map((f) => ({ value: f, label: f === "xlsx" ? "Excel" : "PDF" }))} />
        </Form.Item>
        <Form.Item
          name="recipients"
          label={t("analytics.schedules.recipients")}
          rules={[
            {
              validator: (_, value: string[] | undefined) => {
                const bad = (value ?? []).find((v) => !looksLikeEmail(v));
                return bad
                  ? Promise.reject(new Error(t("analytics.schedules.invalidEmail", { email: bad })))
                  : Promise.resolve();
              },
            },
          ]}
        >
          <Select
            mode="tags"
            open={false}
            suffixIcon={null}
            tokenSeparators={[",", "，", ";", " "]}
            placeholder={t("analytics.schedules.recipientsPlaceholder")}
            data-testid="schedule-recipients"
          />
        </Form.Item>
        <Form.Item
          name="webhookUrl"
          label={t("analytics.schedules.webhook")}
          extra={t("analytics.schedules.webhookHint")}
          rules={[{ type: "url", message: t("form.invalid") }]}
        >
          <Input placeholder="https://" />
        </Form.Item>
        <Form.Item name="enabled" label={t("analytics.schedules.enabled")} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
