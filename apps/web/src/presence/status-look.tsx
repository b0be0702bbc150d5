import type { AgentStatus } from "@yunxi/contracts";
import type { MessageKey } from "../i18n/zh-CN.ts";

/** How each agent status looks wherever it is shown: the header control, the supervisor view. */
export const statusLooks: Record<AgentStatus, { color: string; label: MessageKey; hint: MessageKey }> = {
  online: { color: "#52c41a", label: "presence.online", hint: "presence.onlineHint" },
  busy: { color: "#ff4d4f", label: "presence.busy", hint: "presence.busyHint" },
  away: { color: "#faad14", label: "presence.away", hint: "presence.awayHint" },
  offline: { color: "#bfbfbf", label: "presence.offline", hint: "presence.offlineHint" },
};

export function StatusDot({ status }: { status: AgentStatus | null }) {
  const color = status ? statusLooks[status].color : "#d9d9d9";
  return <span className="presence-dot" style={{ background: color }} aria-hidden />;
}
