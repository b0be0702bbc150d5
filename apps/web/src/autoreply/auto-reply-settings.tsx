import type {
  AutoReplyDecision,
  AutoReplyMode,
  AutoReplyRules,
  AutoReplyStoreMetrics,
  Intent,
  OrderStatus,
} from "@yunxi/contracts";
import {
  askWhichOrderVariables,
  autoReplyModes,
  autoReplyVariablesIn,
  intents,
  orderStatuses,
  variablesForStatus,
} from "@yunxi/contracts";
import type { TableColumnsType } from "antd";
import {
  Alert,
  App,
  Button,
  Card,
  Divider,
  Empty,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Spin,
  Statistic,
  Switch,
  Table,
  Tag,
} from "antd";
import { useEffect, useState } from "react";
import { formatTime } from "../i18n/format.ts";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import { StoreSettingsToolbar, usePerStoreSettings } from "../settings/per-store-settings.tsx";
import { errorText, isAbort } from "../shared/error-text.ts";
import { autoReplyApi } from "./autoreply-api.ts";
import { BotBadge } from "./bot-badge.tsx";
import "./autoreply.css";

type FormValues = {
  enabled: boolean;
  mode: AutoReplyMode;
  dryRun: boolean;
  intents: Intent[];
  confidenceThreshold: number;
  maxConsecutive: number;
  templates: Record<OrderStatus, string>;
  askWhichOrder: string;
};

const toValues = (rules: AutoReplyRules): FormValues => ({
  enabled: rules.enabled,
  mode: rules.mode,
  dryRun: rules.dryRun,
  intents: rules.intents,
  confidenceThreshold: rules.confidenceThreshold,
  maxConsecutive: rules.maxConsecutive,
  templates: { ...rules.templates },
  askWhichOrder: rules.askWhichOrder,
});

/** The auto-reply tab needs nothing beside its rules and the stores. */
const noExtra = async () => null;

const braces = (names: readonly string[]) => names.map((n) => `{${n}}`).join(" ");

/** 自动回复: per store, which questions the bot answers from the buyer's order, in which words, and how it did. */
export function AutoReplySettings() {
  const t = useT();
  const settings = usePerStoreSettings(autoReplyApi.rules, noExtra);
  const { current, saved, loading, error, attempt } = settings;

  return (
    <div className="admin-section" data-testid="autoreply-settings">
      <StoreSettingsToolbar
        settings={settings}
        placeholder={t("autoreply.chooseStore")}
        testId="autoreply-store-select"
      />
      {error && <Alert type="error" showIcon title={t("autoreply.loadFailed")} description={error} />}
      {loading && settings.rows.length === 0 ? (
        <Spin />
      ) : current ? (
        <>
          <RulesForm key={current.storeId} rules={current} onSaved={saved} />
          <Performance key={`figures-${current.storeId}-${attempt}`} storeId={current.storeId} />
        </>
      ) : (
        !error && <Empty description={t("autoreply.noStores")} />
      )}
    </div>
  );
}

function RulesForm({ rules, onSaved }: { rules: AutoReplyRules; onSaved: (rules: AutoReplyRules) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const mode = Form.useWatch("mode", form) ?? rules.mode;

  /** A variable the status can never fill would make every answer a hand-over: refused here as on the server. */
  const allowedIn = (allowed: readonly string[]) => ({
    validator: async (_: unknown, value: string | undefined) => {
      const unknown = autoReplyVariablesIn(value ?? "").filter((v) => !allowed.includes(v));
      if (unknown.length > 0) throw new Error(t("autoreply.variableNotAllowed", { variables: braces(unknown) }));
    },
  });

  const submit = async () => {
    const values = await form.validateFields();
    setSaving(true);
    setFailure(null);
    try {
      const next = await autoReplyApi.update(rules.storeId, values);
      onSaved(next);
      form.setFieldsValue(toValues(next));
      message.success(t("autoreply.saved"));
    } catch (cause) {
      setFailure(errorText(cause, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Form<FormValues>
      form={form}
      layout="vertical"
      requiredMark={false}
      initialValues={toValues(rules)}
      className="autoreply-form"
      data-testid="autoreply-form"
      onFinish={() => void submit().catch(() => undefined)}
    >
      {failure && <Alert className="form-failure" type="error" showIcon title={failure} />}
      <Divider titlePlacement="start">{t("autoreply.section.when")}</Divider>
      <div className="autoreply-grid">
        <Form.Item name="enabled" label={t("autoreply.enabled")} valuePropName="checked">
          <Switch data-testid="autoreply-enabled" />
        </Form.Item>
        <Form.Item
          name="dryRun"
          label={t("autoreply.dryRun")}
          valuePropName="checked"
          extra={t("autoreply.dryRunHint")}
        >
          <Switch data-testid="autoreply-dry-run" />
        </Form.Item>
      </div>
      <Form.Item name="mode" label={t("autoreply.mode")} extra={t(`autoreply.modeHint.${mode}`)}>
        <Radio.Group
          optionType="button"
          data-testid="autoreply-mode"
          options={autoReplyModes.map((value) => ({ value, label: t(`autoreply.mode.${value}`) }))}
        />
      </Form.Item>
      <Form.Item name="intents" label={t("autoreply.intents")} extra={t("autoreply.intentsHint")}>
        <Select
          mode="multiple"
          data-testid="autoreply-intents"
          options={intents.map((i) => ({ value: i, label: i }))}
        />
      </Form.Item>
      <div className="autoreply-grid">
        <Form.Item
          name="confidenceThreshold"
          label={t("autoreply.threshold")}
          extra={t("autoreply.thresholdHint")}
          rules={[{ required: true, type: "number", min: 0, max: 1 }]}
        >
          <InputNumber className="autoreply-number" min={0} max={1} step={0.05} />
        </Form.Item>
        <Form.Item
          name="maxConsecutive"
          label={t("autoreply.maxConsecutive")}
          extra={t("autoreply.maxConsecutiveHint")}
          rules={[{ required: true, type: "integer", min: 1, max: 10 }]}
        >
          <InputNumber className="autoreply-number" min={1} max={10} precision={0} />
        </Form.Item>
      </div>

      <Divider titlePlacement="start">{t("autoreply.section.templates")}</Divider>
      <p className="autoreply-hint">{t("autoreply.templatesHint")}</p>
      {orderStatuses.map((status) => (
        <Form.Item
          key={status}
          name={["templates", status]}
          label={t(`autoreply.status.${status}`)}
          extra={t("autoreply.variables", { variables: braces(variablesForStatus[status]) })}
          rules={[{ required: true, whitespace: true, max: 1000 }, allowedIn(variablesForStatus[status])]}
        >
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} data-testid={`autoreply-template-${status}`} />
        </Form.Item>
      ))}
      <Form.Item
        name="askWhichOrder"
        label={t("autoreply.askWhichOrder")}
        extra={t("autoreply.variables", { variables: braces(askWhichOrderVariables) })}
        rules={[{ required: true, whitespace: true, max: 1000 }, allowedIn(askWhichOrderVariables)]}
      >
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} data-testid="autoreply-ask-which" />
      </Form.Item>
      <Space className="autoreply-actions">
        <Button type="primary" htmlType="submit" loading={saving} data-testid="autoreply-save">
          {t("common.save")}
        </Button>
        <Button onClick={() => form.setFieldsValue(toValues(rules))}>{t("autoreply.reset")}</Button>
      </Space>
    </Form>
  );
}

const WEEK_MS = 7 * 86_400_000;
const percent = (value: number | null) => (value === null ? "—" : `${Math.round(value * 1000) / 10}%`);
const outcomeColours: Record<AutoReplyDecision["outcome"], string> = {
  answered: "green",
  dry_run: "blue",
  asked: "cyan",
  handed_over: "orange",
  skipped: "default",
};

/** The last seven days: answered share, hand-over rate, re-asks; and the bot's latest decisions. */
function Performance({ storeId }: { storeId: string }) {
  const t = useT();
  const { locale } = useLocale();
  const [figures, setFigures] = useState<AutoReplyStoreMetrics | null>(null);
  const [decisions, setDecisions] = useState<AutoReplyDecision[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    const to = new Date();
    const from = new Date(to.getTime() - WEEK_MS);
    Promise.all([
      autoReplyApi.metrics({ from: from.toISOString(), to: to.toISOString(), storeId }, signal),
      autoReplyApi.decisions({ storeId, limit: 50 }, signal),
    ]).then(
      ([metrics, list]) => {
        setFigures(metrics.stores[0] ?? metrics.total);
        setDecisions(list.items);
        setError(null);
      },
      (cause: unknown) => {
        if (signal.aborted || isAbort(cause)) return;
        setError(errorText(cause, t));
      },
    );
    return () => controller.abort();
  }, [storeId, t]);

  const columns: TableColumnsType<AutoReplyDecision> = [
    {
      title: t("autoreply.decision.time"),
      dataIndex: "createdAt",
      width: 150,
      render: (at: string) => formatTime(at, locale),
    },
    {
      title: t("autoreply.decision.outcome"),
      dataIndex: "outcome",
      width: 120,
      render: (outcome: AutoReplyDecision["outcome"]) => (
        <Tag color={outcomeColours[outcome]}>{t(`autoreply.outcome.${outcome}`)}</Tag>
      ),
    },
    {
      title: t("autoreply.decision.reason"),
      dataIndex: "reason",
      width: 160,
      render: (reason: AutoReplyDecision["reason"]) => t(`autoreply.reason.${reason}`),
    },
    {
      title: t("autoreply.decision.intent"),
      dataIndex: "intent",
      width: 170,
      render: (intent: string, row) => `${intent} · ${row.confidence.toFixed(2)}`,
    },
    {
      title: t("autoreply.decision.order"),
      dataIndex: "orderId",
      width: 190,
      render: (id: string | null) => id ?? "—",
    },
    {
      title: t("autoreply.decision.text"),
      dataIndex: "text",
      ellipsis: true,
      render: (text: string, row) =>
        row.outcome === "answered" || row.outcome === "asked" ? (
          <span>
            <BotBadge /> {text}
          </span>
        ) : (
          text
        ),
    },
  ];

  return (
    <Card className="autoreply-card" title={t("autoreply.performance")} data-testid="autoreply-performance">
      {error && <Alert type="error" showIcon title={error} />}
      {figures && (
        <div className="autoreply-figures">
          <Statistic title={t("autoreply.metric.inquiries")} value={figures.inquiries} />
          <Statistic title={t("autoreply.metric.answeredShare")} value={percent(figures.answeredShare)} />
          <Statistic title={t("autoreply.metric.handOverRate")} value={percent(figures.handOverRate)} />
          <Statistic title={t("autoreply.metric.reAsks")} value={`${figures.reAsks} · ${percent(figures.reAskRate)}`} />
          <Statistic title={t("autoreply.metric.dryRun")} value={figures.dryRun} />
        </div>
      )}
      <Table<AutoReplyDecision>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={decisions}
        pagination={{ pageSize: 10 }}
        locale={{ emptyText: t("autoreply.noDecisions") }}
        data-testid="autoreply-decisions"
      />
    </Card>
  );
}
