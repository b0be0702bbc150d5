import type { Conversation } from "@yunxi/contracts";
import { Tooltip } from "antd";
import { useT } from "../i18n/i18n-provider.tsx";
import { highPriority } from "./filters.ts";

type Props = {
  conversation: Pick<Conversation, "priority" | "priorityReasons">;
  /** In list rows a plain `title` shows the reasons (cheap while scrolling); elsewhere an antd tooltip. */
  plain?: boolean;
};

/** `高 12` / `优先 3` with the matched rules (售后, VIP, 等待 5 分钟 …) on hover; nothing at priority 0. */
export function PriorityBadge({ conversation, plain = false }: Props) {
  const t = useT();
  const { priority, priorityReasons } = conversation;
  if (priority <= 0 && priorityReasons.length === 0) return null;
  const high = priority >= highPriority;
  const reasons = priorityReasons.length > 0 ? priorityReasons.join("、") : t("priority.noReasons");
  const title = t("priority.reasons", { reasons });
  const badge = (
    <span
      className={`priority-badge${high ? " is-high" : ""}`}
      data-testid="priority-badge"
      data-priority={priority}
      title={plain ? title : undefined}
    >
      {t(high ? "priority.high" : "priority.normal", { priority })}
    </span>
  );
  return plain ? badge : <Tooltip title={title}>{badge}</Tooltip>;
}
