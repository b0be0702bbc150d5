import type { QualityLevel, QualityRule, QualityRuleId } from "@yunxi/contracts";
import { qualityLevels } from "@yunxi/contracts";
import { Alert, App, Button, InputNumber, Select, Skeleton, Space, Switch, Tag } from "antd";
import { useEffect, useState } from "react";
import { analyticsApi } from "../api/analytics-api.ts";
import { useMe } from "../auth/auth-provider.tsx";
import { useT } from "../i18n/i18n-provider.tsx";
import type { MessageKey } from "../i18n/zh-CN.ts";
import { errorText, isAbort } from "../shared/error-text.ts";
import { canSupervise } from "../supervisor/supervisor-state.ts";
import { cleanRules, levelLooks, ruleLabels, ruleProblem, timedRules } from "./quality-rules.ts";
import "./analytics.css";

const ruleHints: Record<QualityRuleId, MessageKey> = {
  no_greeting: "analytics.quality.ruleHint.no_greeting",
  closing_not_standard: "analytics.quality.ruleHint.closing_not_standard",
  buyer_repeated: "analytics.quality.ruleHint.buyer_repeated",
  wait_without_apology: "analytics.quality.ruleHint.wait_without_apology",
  hold_without_return: "analytics.quality.ruleHint.hold_without_return",
  no_evaluation_invite: "analytics.quality.ruleHint.no_evaluation_invite",
};

const secondsLabel = (id: QualityRuleId): MessageKey =>
  id === "wait_without_apology" ? "analytics.rules.waitSeconds" : "analytics.rules.returnSeconds";

/**
 * 质检规则 for the admin console: each check on or off, the points it takes off, its alert level,
 * the phrases it looks for and its time limit; and the inquiry conversion window (admins). Saving
 * re-checks the last 31 days on the server.
 */
export function QualityRulesSettings() {
  const t = useT();
  const me = useMe();
  const { message } = App.useApp();
  const [rules, setRules] = useState<QualityRule[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [dirty, setDirty] = useState(false);
  const allowed = canSupervise(me.user.role);

  useEffect(() => {
    if (!allowed) return;
    const controller = new AbortController();
    analyticsApi.qualityRules(controller.signal).then(
      (set) => setRules(set.rules),
      (cause: unknown) => {
        if (!isAbort(cause)) setLoadError(errorText(cause, t));
      },
    );
    return () => controller.abort();
  }, [allowed, t]);

  if (!allowed) return <Alert type="info" showIcon title={t("analytics.rules.forbidden")} />;
  if (loadError) return <Alert type="error" showIcon title={t("analytics.rules.loadFailed")} description={loadError} />;
  if (!rules) return <Skeleton active />;

  const patch = (id: QualityRuleId, change: Partial<QualityRule>) => {
    setRules((current) => current?.map((rule) => (rule.id === id ? { ...rule, ...change } : rule)) ?? null);
    setDirty(true);
    setSaveError(null);
  };

  const save = () => {
    const cleaned = cleanRules(rules);
    const problem = ruleProblem(cleaned);
    if (problem) {
      setSaveError(`${t(ruleLabels[problem.rule])}：${t(problem.key)}`);
      return;
    }
    setSaving(true);
    analyticsApi
      .saveQualityRules({ rules: cleaned })
      .then((saved) => {
        setRules(saved.rules);
        setDirty(false);
        message.success(t("analytics.rules.saved"));
      })
      .catch((cause: unknown) => setSaveError(errorText(cause, t)))
      .finally(() => setSaving(false));
  };

  return (
    <div className="quality-rules-settings" data-testid="quality-rules-settings">
      <ConversionWindow />
      <p className="analytics-hint">{t("analytics.rules.hint")}</p>
      {saveError && <Alert type="error" showIcon title={saveError} data-testid="quality-rules-error" />}
      <div className="quality-rule-list">
        {rules.map((rule) => (
          <div
            key={rule.id}
            className={rule.enabled ? "quality-rule-card" : "quality-rule-card is-off"}
            data-testid="quality-rule"
            data-rule={rule.id}
          >
            <div className="quality-rule-head">
              <Switch
                checked={rule.enabled}
                onChange={(enabled) => patch(rule.id, { enabled })}
                aria-label={t(ruleLabels[rule.id])}
                data-testid="quality-rule-enabled"
              />
              <strong>{t(ruleLabels[rule.id])}</strong>
              <Tag color={levelLooks[rule.level].color}>{t(levelLooks[rule.level].label)}</Tag>
            </div>
            <p className="analytics-hint">{t(ruleHints[rule.id])}</p>
            <div className="quality-rule-fields">
              <div className="quality-rule-field">
                <span>{t("analytics.rules.score")}</span>
                <InputNumber
                  min={0}
                  max={100}
                  precision={0}
                  value={rule.score}
                  onChange={(score) => patch(rule.id, { score: score ?? 0 })}
                  aria-label={t("analytics.rules.score")}
                  suffix={t("analytics.rules.points")}
                  data-testid="quality-rule-score"
                />
              </div>
              <div className="quality-rule-field">
                <span>{t("analytics.rules.level")}</span>
                <Select<QualityLevel>
                  value={rule.level}
                  onChange={(level) => patch(rule.id, { level })}
                  aria-label={t("analytics.rules.level")}
                  options={qualityLevels.map((level) => ({ value: level, label: t(levelLooks[level].label) }))}
                  popupMatchSelectWidth={false}
                />
              </div>
              {timedRules.has(rule.id) && (
                <div className="quality-rule-field">
                  <span>{t(secondsLabel(rule.id))}</span>
                  <InputNumber
                    min={10}
                    max={86_400}
                    precision={0}
                    value={rule.seconds}
                    onChange={(seconds) => patch(rule.id, { seconds: seconds ?? null })}
                    aria-label={t(secondsLabel(rule.id))}
                    suffix={t("analytics.rules.secondsUnit")}
                  />
                </div>
              )}
            </div>
            <div className="quality-rule-field is-wide">
              <span>{t("analytics.rules.phrases")}</span>
              <Select<string[]>
                mode="tags"
                value={rule.phrases}
                onChange={(phrases) => patch(rule.id, { phrases })}
                aria-label={t("analytics.rules.phrases")}
                tokenSeparators={[",", "，", "、"]}
                open={false}
                suffixIcon={null}
                placeholder={t("analytics.rules.phrasesPlaceholder")}
                data-testid="quality-rule-phrases"
              />
            </div>
          </div>
        ))}
      </div>
      <Space>
        <Button type="primary" onClick={save} loading={saving} disabled={!dirty} data-testid="quality-rules-save">
          {t("common.save")}
        </Button>
        {dirty && <span className="analytics-hint">{t("analytics.rules.unsaved")}</span>}
      </Space>
    </div>
  );
}

/** 询单转化窗口: hours within which a consulting buyer's payment counts as converted (admins change it). */
function ConversionWindow() {
  const t = useT();
  const me = useMe();
  const { message } = App.useApp();
  const [hours, setHours] = useState<number | null>(null);
  const [saved, setSaved] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const admin = me.user.role === "admin" || me.user.role === "owner";

  useEffect(() => {
    const controller = new AbortController();
    analyticsApi.settings(controller.signal).then(
      (settings) => {
        setHours(settings.conversionWindowHours);
        setSaved(settings.conversionWindowHours);
      },
      (cause: unknown) => {
        if (!isAbort(cause)) setError(errorText(cause, t));
      },
    );
    return () => controller.abort();
  }, [t]);

  const save = () => {
    if (hours === null) return;
    setSaving(true);
    setError(null);
    analyticsApi
      .saveSettings({ conversionWindowHours: hours })
      .then((next) => {
        setSaved(next.conversionWindowHours);
        message.success(t("analytics.rules.windowSaved"));
      })
      .catch((cause: unknown) => setError(errorText(cause, t)))
      .finally(() => setSaving(false));
  };

  return (
    <div className="conversion-window">
      <span>{t("analytics.rules.window")}</span>
      <InputNumber
        min={1}
        max={720}
        precision={0}
        value={hours}
        onChange={(value) => setHours(value ?? null)}
        suffix={t("analytics.rules.hours")}
        disabled={!admin}
        data-testid="conversion-window"
      />
      {admin && (
        <Button onClick={save} loading={saving} disabled={hours === null || hours === saved}>
          {t("common.save")}
        </Button>
      )}
      <span className="analytics-hint">
        {t(admin ? "analytics.rules.windowHint" : "analytics.rules.windowAdminOnly")}
      </span>
      {error && <Alert type="error" showIcon title={error} />}
    </div>
  );
}
