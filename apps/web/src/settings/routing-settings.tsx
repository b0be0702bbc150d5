import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import type { AgentGroup, StoreRouting } from "@yunxi/contracts";
import { routingStrategies } from "@yunxi/contracts";
import { Alert, App, Button, Divider, Empty, Form, Input, InputNumber, Radio, Select, Space, Spin, Switch } from "antd";
import { useState } from "react";
import { groupsApi, routingApi } from "../api/admin-workspace-api.ts";
import { useT } from "../i18n/i18n-provider.tsx";
import { errorText } from "../shared/error-text.ts";
import { StoreSettingsToolbar, usePerStoreSettings } from "./per-store-settings.tsx";
import type { RoutingFormValues } from "./routing-form.ts";
import { checkRouting, clockPattern, routingToValues, windowPresets } from "./routing-form.ts";
import "./settings.css";

const weekdays = [1, 2, 3, 4, 5, 6, 7] as const;

/** 分配规则: per store, how conversations reach agents, the SLA targets and the business hours. */
export function RoutingSettings() {
  const t = useT();
  const settings = usePerStoreSettings(routingApi.stores, groupsApi.list);
  const { current: routing, saved, loading, error } = settings;
  const groups = settings.extra?.items ?? [];

  return (
    <div className="admin-section" data-testid="routing-settings">
      <StoreSettingsToolbar settings={settings} placeholder={t("routing.chooseStore")} testId="routing-store-select" />
      {error && <Alert type="error" showIcon title={t("routing.loadFailed")} description={error} />}
      {loading && settings.rows.length === 0 ? (
        <Spin />
      ) : routing ? (
        <StoreRoutingForm key={routing.storeId} routing={routing} groups={groups} onSaved={saved} />
      ) : (
        !error && <Empty description={t("routing.noStores")} />
      )}
    </div>
  );
}

type FormProps = { routing: StoreRouting; groups: readonly AgentGroup[]; onSaved: (routing: StoreRouting) => void };

function StoreRoutingForm({ routing, groups, onSaved }: FormProps) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<RoutingFormValues>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const alwaysOpen = Form.useWatch("alwaysOpen", form) ?? routing.businessHours.alwaysOpen;
  const overflowGroupId = Form.useWatch("overflowGroupId", form) ?? null;
  const strategy = Form.useWatch("strategy", form) ?? routing.strategy;
  const groupOptions = groups.map((group) => ({ value: group.id, label: group.name }));
  const minutes = t("routing.minutes");

  const submit = async () => {
    const values = await form.validateFields();
    const checked = checkRouting(values);
    if (!checked.ok) {
      form.setFields(checked.fields.map((name) => ({ name, errors: [t("form.invalid")] })));
      setFailure(checked.messages.length > 0 ? checked.messages.join("; ") : null);
      return;
    }
    setSaving(true);
    setFailure(null);
    try {
      const next = await routingApi.updateStore(routing.storeId, checked.request);
      onSaved(next);
      form.setFieldsValue(routingToValues(next));
      message.success(t("routing.saved"));
    } catch (cause) {
      setFailure(errorText(cause, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Form<RoutingFormValues>
      form={form}
      layout="vertical"
      requiredMark={false}
      initialValues={routingToValues(routing)}
      className="settings-form"
      data-testid="routing-form"
      onFinish={() => void submit().catch(() => undefined)}
    >
      {failure && <Alert className="form-failure" type="error" showIcon title={failure} />}

      <Divider titlePlacement="start">{t("routing.assignment")}</Divider>
      <Form.Item
        name="autoAssign"
        label={t("routing.autoAssign")}
        valuePropName="checked"
        extra={t("routing.autoAssignHint")}
      >
        <Switch data-testid="routing-auto-assign" />
      </Form.Item>
      <Form.Item name="strategy" label={t("routing.strategy")} extra={t(`routing.strategyHint.${strategy}`)}>
        <Radio.Group
          optionType="button"
          data-testid="routing-strategy"
          options={routingStrategies.map((value) => ({ value, label: t(`routing.strategy.${value}`) }))}
        />
      </Form.Item>
      <Form.Item name="groupId" label={t("routing.group")} extra={t("routing.groupHint")}>
        <Select allowClear placeholder={t("routing.anyAgent")} options={groupOptions} />
      </Form.Item>

      <Divider titlePlacement="start">{t("routing.overflow")}</Divider>
      <div className="settings-grid">
        <Form.Item name="overflowGroupId" label={t("routing.overflowGroup")} extra={t("routing.overflowHint")}>
          <Select allowClear placeholder={t("routing.noOverflow")} options={groupOptions} />
        </Form.Item>
        <Form.Item
          name="overflowAfterSeconds"
          label={t("routing.overflowAfter")}
          rules={[{ required: overflowGroupId !== null, message: t("form.required") }]}
        >
          <InputNumber
            min={0}
            max={86400}
            precision={0}
            disabled={overflowGroupId === null}
            suffix={t("routing.seconds")}
            className="settings-number"
          />
        </Form.Item>
      </div>

      <Divider titlePlacement="start">{t("routing.sla")}</Divider>
      <p className="settings-hint">{t("routing.slaHint")}</p>
      <div className="settings-grid">
        <Form.Item name="firstResponseMinutes" label={t("routing.firstResponse")}>
          <InputNumber
            min={0.17}
            max={7 * 24 * 60}
            step={1}
            placeholder={t("routing.noTarget")}
            suffix={minutes}
            className="settings-number"
            data-testid="routing-first-response"
          />
        </Form.Item>
        <Form.Item name="nextResponseMinutes" label={t("routing.nextResponse")}>
          <InputNumber
            min={0.17}
            max={7 * 24 * 60}
            step={1}
            placeholder={t("routing.noTarget")}
            suffix={minutes}
            className="settings-number"
          />
        </Form.Item>
        <Form.Item name="resolutionMinutes" label={t("routing.resolution")}>
          <InputNumber
            min={1}
            max={30 * 24 * 60}
            step={10}
            placeholder={t("routing.noTarget")}
            suffix={minutes}
            className="settings-number"
          />
        </Form.Item>
        <Form.Item
          name="warnBeforeMinutes"
          label={t("routing.warnBefore")}
          rules={[{ required: true, message: t("form.required") }]}
        >
          <InputNumber min={0} max={60} step={1} suffix={minutes} className="settings-number" />
        </Form.Item>
      </div>

      <Divider titlePlacement="start">{t("routing.escalation")}</Divider>
      <div className="settings-grid">
        <Form.Item name="notifySupervisors" label={t("routing.notifySupervisors")} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item
          name="reassign"
          label={t("routing.reassignOnBreach")}
          valuePropName="checked"
          extra={t("routing.reassignHint")}
        >
          <Switch />
        </Form.Item>
        <Form.Item
          name="raisePriority"
          label={t("routing.raisePriority")}
          extra={t("routing.raisePriorityHint")}
          rules={[{ required: true, message: t("form.required") }]}
        >
          <InputNumber min={0} max={100} precision={0} className="settings-number" />
        </Form.Item>
      </div>

      <Divider titlePlacement="start">{t("routing.businessHours")}</Divider>
      <Form.Item
        name="alwaysOpen"
        label={t("routing.alwaysOpen")}
        valuePropName="checked"
        extra={t("routing.hoursHint")}
      >
        <Switch data-testid="routing-always-open" />
      </Form.Item>
      {!alwaysOpen && <BusinessHoursEditor />}

      <div className="settings-actions">
        <Button type="primary" htmlType="submit" loading={saving} data-testid="routing-save">
          {t("common.save")}
        </Button>
        <Button onClick={() => form.resetFields()} disabled={saving}>
          {t("routing.reset")}
        </Button>
      </div>
    </Form>
  );
}

/** Weekday windows: 周一 09:00–18:00 …; a day without a window is closed. */
function BusinessHoursEditor() {
  const t = useT();
  const form = Form.useFormInstance<RoutingFormValues>();
  const clockRules = [
    { required: true, message: t("form.required") },
    { pattern: clockPattern, message: t("routing.clockInvalid") },
  ];
  return (
    <Form.List name="windows">
      {(fields, { add, remove }) => (
        <div className="hours-editor" data-testid="business-hours">
          {fields.length === 0 && <p className="settings-hint">{t("routing.noWindows")}</p>}
          {fields.map((field) => (
            <Space key={field.key} align="start" wrap className="hours-row">
              <Form.Item name={[field.name, "weekday"]} rules={[{ required: true, message: t("form.required") }]}>
                <Select
                  className="hours-weekday"
                  options={weekdays.map((day) => ({ value: day, label: t(`weekday.${day}`) }))}
                />
              </Form.Item>
              <Form.Item name={[field.name, "start"]} rules={clockRules}>
                <Input className="hours-clock" placeholder="09:00" maxLength={5} inputMode="numeric" />
              </Form.Item>
              <span className="hours-dash">–</span>
              <Form.Item
                name={[field.name, "end"]}
                dependencies={[["windows", field.name, "start"]]}
                rules={[
                  ...clockRules,
                  {
                    validator: async (_, value: string | undefined) => {
                      const start = form.getFieldValue(["windows", field.name, "start"]) as string | undefined;
                      if (start && value && clockPattern.test(start) && clockPattern.test(value) && value <= start) {
                        throw new Error(t("routing.endAfterStart"));
                      }
                    },
                  },
                ]}
              >
                <Input className="hours-clock" placeholder="18:00" maxLength={5} inputMode="numeric" />
              </Form.Item>
              <Button
                type="text"
                icon={<DeleteOutlined />}
                aria-label={t("routing.removeWindow")}
                onClick={() => remove(field.name)}
              />
            </Space>
          ))}
          <Space wrap>
            <Button icon={<PlusOutlined />} onClick={() => add({ weekday: 1, start: "09:00", end: "18:00" })}>
              {t("routing.addWindow")}
            </Button>
            <Button onClick={() => form.setFieldValue("windows", windowPresets.weekdays)}>
              {t("routing.presetWeekdays")}
            </Button>
            <Button onClick={() => form.setFieldValue("windows", windowPresets.everyDay)}>
              {t("routing.presetEveryDay")}
            </Button>
          </Space>
        </div>
      )}
    </Form.List>
  );
}
