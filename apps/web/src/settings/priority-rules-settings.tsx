import { DeleteOutlined, PlusOutlined, ReloadOutlined } from "@ant-design/icons";
import type { PlatformId, PriorityRule, Store } from "@yunxi/contracts";
import { platformIds, platformLabels, priorityRuleKinds } from "@yunxi/contracts";
import type { TableColumnsType } from "antd";
import { Alert, App, Button, Card, Form, Input, InputNumber, Popconfirm, Select, Table, Tag } from "antd";
import { useCallback, useEffect, useMemo, useState } from "react";
import { routingApi } from "../api/admin-workspace-api.ts";
import { inboxApi } from "../api/endpoints.ts";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import { errorText, isAbort } from "../shared/error-text.ts";
import type { PriorityRuleValues } from "./priority-rule-form.ts";
import { checkPriorityRule, matchField } from "./priority-rule-form.ts";
import "./settings.css";

const isPlatform = (value: string): value is PlatformId => platformIds.some((id) => id === value);

/** 优先级规则: what puts a conversation ahead in the queue (售后, VIP, a platform, a long wait) and by how much. */
export function PriorityRulesSettings() {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const [rules, setRules] = useState<PriorityRule[]>([]);
  const [stores, setStores] = useState<Store[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [deletingId, setDeletingId] = useState<string | null>(null);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt is a trigger
  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    setLoading(true);
    Promise.all([routingApi.priorityRules(signal), inboxApi.stores(signal)]).then(
      ([ruleList, storeList]) => {
        setRules(ruleList.items);
        setStores(storeList.items);
        setError(null);
        setLoading(false);
      },
      (cause: unknown) => {
        if (signal.aborted || isAbort(cause)) return;
        setError(errorText(cause, t));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [attempt, t]);

  const labels = useMemo(() => new Map(stores.map((store) => [store.id, store.label])), [stores]);

  const remove = (rule: PriorityRule) => {
    setDeletingId(rule.id);
    routingApi
      .deletePriorityRule(rule.id)
      .then(() => {
        setRules((list) => list.filter((r) => r.id !== rule.id));
        message.success(t("priorityRules.deleted"));
      })
      .catch((cause: unknown) => void message.error(errorText(cause, t)))
      .finally(() => setDeletingId(null));
  };

  const matchText = (rule: PriorityRule) => {
    if (rule.kind === "platform" && isPlatform(rule.match)) return platformLabels[rule.match][locale];
    if (rule.kind === "wait") return t("priorityRules.everySeconds", { seconds: rule.match });
    return rule.match;
  };

  const columns: TableColumnsType<PriorityRule> = [
    { key: "label", title: t("priorityRules.label"), dataIndex: "label", width: 140 },
    {
      key: "kind",
      title: t("priorityRules.kind"),
      width: 120,
      render: (_, rule) => <Tag>{t(`priorityRules.kind.${rule.kind}`)}</Tag>,
    },
    { key: "match", title: t("priorityRules.match"), render: (_, rule) => matchText(rule) },
    {
      key: "weight",
      title: t("priorityRules.weight"),
      width: 90,
      render: (_, rule) => (
        <Tag color={rule.weight > 0 ? "red" : rule.weight < 0 ? "blue" : undefined}>{signed(rule.weight)}</Tag>
      ),
    },
    {
      key: "store",
      title: t("priorityRules.store"),
      width: 160,
      render: (_, rule) =>
        rule.storeId === null ? t("priorityRules.allStores") : (labels.get(rule.storeId) ?? rule.storeId),
    },
    {
      key: "actions",
      title: t("common.actions"),
      width: 100,
      render: (_, rule) => (
        <Popconfirm title={t("priorityRules.deleteConfirm", { label: rule.label })} onConfirm={() => remove(rule)}>
          <Button
            size="small"
            type="text"
            danger
            icon={<DeleteOutlined />}
            loading={deletingId === rule.id}
            data-testid="priority-rule-delete"
          >
            {t("priorityRules.delete")}
          </Button>
        </Popconfirm>
      ),
    },
  ];

  return (
    <div className="admin-section" data-testid="priority-settings">
      <p className="settings-hint">{t("priorityRules.hint")}</p>
      <AddRuleForm stores={stores} onAdded={(rule) => setRules((list) => [...list, rule])} />
      <div className="admin-toolbar">
        <Button icon={<ReloadOutlined />} onClick={reload} aria-label={t("common.reload")} />
      </div>
      {error && <Alert type="error" showIcon title={t("priorityRules.loadFailed")} description={error} />}
      <div data-testid="priority-rules-table">
        <Table<PriorityRule>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={rules}
          loading={loading}
          pagination={false}
          scroll={{ x: 720 }}
          locale={{ emptyText: t("priorityRules.empty") }}
        />
      </div>
    </div>
  );
}

function signed(weight: number): string {
  return weight > 0 ? `+${weight}` : String(weight);
}

function AddRuleForm({ stores, onAdded }: { stores: readonly Store[]; onAdded: (rule: PriorityRule) => void }) {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const [form] = Form.useForm<PriorityRuleValues>();
  const kind = Form.useWatch("kind", form) ?? "keyword";
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const field = matchField(kind);
  const required = [{ required: true, whitespace: true, message: t("form.required") }];

  const submit = async (values: PriorityRuleValues) => {
    const checked = checkPriorityRule(values);
    if (!checked.ok) {
      form.setFields(checked.fields.map((name) => ({ name, errors: [t("form.invalid")] })));
      return;
    }
    setSaving(true);
    setFailure(null);
    try {
      onAdded(await routingApi.createPriorityRule(checked.request));
      form.resetFields(["match", "platform", "waitSeconds", "label"]);
      message.success(t("priorityRules.added"));
    } catch (cause) {
      setFailure(errorText(cause, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card size="small" title={t("priorityRules.add")} className="settings-card">
      {failure && <Alert className="form-failure" type="error" showIcon title={failure} />}
      <Form<PriorityRuleValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        data-testid="priority-rule-form"
        initialValues={{ storeId: "", kind: "keyword", weight: 10, label: "" }}
        onFinish={(values) => void submit(values)}
      >
        <div className="settings-grid">
          <Form.Item name="kind" label={t("priorityRules.kind")} extra={t(`priorityRules.kindHint.${kind}`)}>
            <Select
              data-testid="priority-rule-kind"
              options={priorityRuleKinds.map((value) => ({ value, label: t(`priorityRules.kind.${value}`) }))}
            />
          </Form.Item>
          {field === "platform" ? (
            <Form.Item name="platform" label={t("priorityRules.match")} rules={required}>
              <Select options={platformIds.map((id) => ({ value: id, label: platformLabels[id][locale] }))} />
            </Form.Item>
          ) : field === "waitSeconds" ? (
            <Form.Item
              name="waitSeconds"
              label={t("priorityRules.waitStep")}
              rules={[{ required: true, message: t("form.required") }]}
            >
              <InputNumber
                min={1}
                max={86400}
                precision={0}
                suffix={t("routing.seconds")}
                className="settings-number"
              />
            </Form.Item>
          ) : (
            <Form.Item name="match" label={t("priorityRules.match")} rules={required}>
              <Input
                maxLength={100}
                placeholder={t(`priorityRules.matchPlaceholder.${kind}`)}
                data-testid="priority-rule-match"
              />
            </Form.Item>
          )}
          <Form.Item
            name="weight"
            label={t("priorityRules.weight")}
            extra={t("priorityRules.weightHint")}
            rules={[{ required: true, message: t("form.required") }]}
          >
            <InputNumber
              min={-100}
              max={100}
              precision={0}
              className="settings-number"
              data-testid="priority-rule-weight"
            />
          </Form.Item>
          <Form.Item
            name="label"
            label={t("priorityRules.label")}
            rules={required}
            extra={t("priorityRules.labelHint")}
          >
            <Input maxLength={60} placeholder={t("priorityRules.labelPlaceholder")} data-testid="priority-rule-label" />
          </Form.Item>
          <Form.Item name="storeId" label={t("priorityRules.store")}>
            <Select
              options={[
                { value: "", label: t("priorityRules.allStores") },
                ...stores.map((store) => ({ value: store.id, label: store.label })),
              ]}
            />
          </Form.Item>
        </div>
        <Button
          type="primary"
          htmlType="submit"
          icon={<PlusOutlined />}
          loading={saving}
          data-testid="priority-rule-add"
        >
          {t("priorityRules.addButton")}
        </Button>
      </Form>
    </Card>
  );
}
