import { DownOutlined } from "@ant-design/icons";
import type { Intent } from "@yunxi/contracts";
import { intents } from "@yunxi/contracts";
import { App, Dropdown, Tag } from "antd";
import { useState } from "react";
import { useT } from "../i18n/i18n-provider.tsx";
import { errorText } from "../shared/error-text.ts";
import { intentApi } from "./autoreply-api.ts";
import { intentOfTag } from "./intent-tag.ts";

/**
 * The conversation's intent tag (`售后-退换货-鞋子类目`) as a one-click correction: choosing
 * another intent replaces the tag at once (every screen follows through the realtime event)
 * and the correction is kept for retraining the classifier.
 */
export function IntentCorrection({ conversationId, tags }: { conversationId: string; tags: readonly string[] }) {
  const t = useT();
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);
  const tag = tags.find((x) => intentOfTag(x) !== null) ?? null;
  const current = tag ? intentOfTag(tag) : null;

  const choose = (intent: Intent) => {
    if (intent === current) return;
    setSaving(true);
    intentApi
      .correct(conversationId, intent)
      .then(
        () => message.success(t("intentCorrection.saved", { intent })),
        (cause: unknown) => message.error(errorText(cause, t)),
      )
      .finally(() => setSaving(false));
  };

  return (
    <Dropdown
      trigger={["click"]}
      disabled={saving}
      menu={{
        selectable: true,
        selectedKeys: current ? [current] : [],
        items: intents.map((intent) => ({ key: intent, label: intent, "data-testid": `intent-option-${intent}` })),
        onClick: ({ key }) => choose(key as Intent),
      }}
    >
      <Tag
        color={tag ? "purple" : "default"}
        className="intent-correction"
        data-testid="intent-tag"
        data-intent={current ?? undefined}
        title={t("intentCorrection.hint")}
      >
        {tag ?? t("intentCorrection.none")} <DownOutlined />
      </Tag>
    </Dropdown>
  );
}
