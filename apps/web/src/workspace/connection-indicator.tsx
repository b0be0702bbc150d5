import type { BadgeProps } from "antd";
import { Badge } from "antd";
import { useT } from "../i18n/i18n-provider.tsx";
import type { MessageKey } from "../i18n/zh-CN.ts";
import { useInbox } from "../inbox/inbox-provider.tsx";
import type { ConnectionState } from "../realtime/realtime-connection.ts";

const looks: Record<ConnectionState, { status: BadgeProps["status"]; text: MessageKey }> = {
  connecting: { status: "processing", text: "connection.connecting" },
  connected: { status: "success", text: "connection.connected" },
  reconnecting: { status: "warning", text: "connection.reconnecting" },
  offline: { status: "error", text: "connection.offline" },
};

/** Whether realtime updates are flowing: fed by the socket's state. */
export function ConnectionIndicator() {
  const t = useT();
  const { connection } = useInbox();
  const look = looks[connection];
  return (
    <span className="connection-state" data-testid="connection-state" data-state={connection} role="status">
      <Badge status={look.status} text={t(look.text)} />
    </span>
  );
}
