import { DownOutlined } from "@ant-design/icons";
import type { AgentStatus } from "@yunxi/contracts";
import { agentStatuses } from "@yunxi/contracts";
import type { MenuProps } from "antd";
import { App, Button, Dropdown } from "antd";
import { useState } from "react";
import { useT } from "../i18n/i18n-provider.tsx";
import { errorText } from "../shared/error-text.ts";
import { usePresence } from "./presence-provider.tsx";
import { StatusDot, statusLooks } from "./status-look.tsx";

/** 在线 / 忙碌 / 离开 / 离线 in the header, with its colour dot; follows server-side changes (auto-away). */
export function AgentStatusControl() {
  const t = useT();
  const { message } = App.useApp();
  const { agent, setStatus } = usePresence();
  const [saving, setSaving] = useState(false);
  const status = agent?.status ?? null;

  const items: MenuProps["items"] = agentStatuses.map((option) => ({
    key: option,
    icon: <StatusDot status={option} />,
    label: (
      <span className="presence-option" data-testid={`agent-status-${option}`}>
        <span>{t(statusLooks[option].label)}</span>
        <span className="presence-option-hint">{t(statusLooks[option].hint)}</span>
      </span>
    ),
  }));

  const choose = (next: AgentStatus) => {
    if (next === status) return;
    setSaving(true);
    setStatus(next)
      .catch((error: unknown) => void message.error(t("presence.failed", { reason: errorText(error, t) })))
      .finally(() => setSaving(false));
  };

  return (
    <Dropdown
      trigger={["click"]}
      menu={{
        items,
        selectable: true,
        selectedKeys: status ? [status] : [],
        onClick: ({ key }) => {
          const next = agentStatuses.find((option) => option === key);
          if (next) choose(next);
        },
      }}
    >
      <Button
        type="text"
        className="presence-control"
        loading={saving}
        data-testid="agent-status"
        data-status={status ?? "unknown"}
        aria-label={t("presence.label")}
      >
        <StatusDot status={status} />
        <span className="presence-label">{status ? t(statusLooks[status].label) : t("presence.unknown")}</span>
        <DownOutlined className="presence-caret" />
      </Button>
    </Dropdown>
  );
}
