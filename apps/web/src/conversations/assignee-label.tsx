import type { AgentState } from "@yunxi/contracts";
import { useT } from "../i18n/i18n-provider.tsx";
import { avatarText } from "./labels.ts";

type Props = {
  assigneeId: string | null;
  agentsById: ReadonlyMap<string, AgentState>;
  meId: string;
};

/** A small avatar with the assignee's name (`我` for me), or `待分配`. */
export function AssigneeLabel({ assigneeId, agentsById, meId }: Props) {
  const t = useT();
  if (!assigneeId) {
    return (
      <span className="assignee is-unassigned" data-testid="assignee" data-assignee="">
        {t("assignee.unassigned")}
      </span>
    );
  }
  const name = agentsById.get(assigneeId)?.name ?? t("assignee.unknown");
  const mine = assigneeId === meId;
  return (
    <span
      className={`assignee${mine ? " is-mine" : ""}`}
      data-testid="assignee"
      data-assignee={assigneeId}
      title={name}
    >
      <span className="assignee-avatar" aria-hidden="true">
        {avatarText(name)}
      </span>
      <span className="assignee-name">{mine ? t("assignee.me") : name}</span>
    </span>
  );
}
