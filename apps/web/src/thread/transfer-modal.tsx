import type { AgentGroup, Conversation } from "@yunxi/contracts";
import { Alert, Badge, Button, Input, Modal, Segmented, Select } from "antd";
import { useEffect, useMemo, useState } from "react";
import { workspaceApi } from "../api/workspace-api.ts";
import { useT } from "../i18n/i18n-provider.tsx";
import { useInboxActions } from "../inbox/inbox-provider.tsx";
import { useAgentsById } from "../inbox/selectors.ts";
import { errorText, isAbort } from "../shared/error-text.ts";
import type { ActionFailure } from "./action-errors.ts";
import { actionFailure } from "./action-errors.ts";
import { transferCandidates } from "./transfer.ts";

type Props = {
  conversation: Conversation;
  open: boolean;
  onClose: () => void;
  onDone: () => void;
};

type Target = "agent" | "group";

const statusBadge = { online: "success", busy: "warning", away: "default", offline: "error" } as const;

/**
 * 转接: to an agent who serves the conversation's store, or to a group, with a note for the
 * colleague (stored as an internal note). A refusal (the agent does not serve the store, no longer
 * exists …) is shown here with the server's reason, and the dialog stays open.
 */
export function TransferModal({ conversation, open, onClose, onDone }: Props) {
  const t = useT();
  const { transfer } = useInboxActions();
  const agentsById = useAgentsById();
  const [target, setTarget] = useState<Target>("agent");
  const [userId, setUserId] = useState<string | undefined>(undefined);
  const [groupId, setGroupId] = useState<string | undefined>(undefined);
  const [note, setNote] = useState("");
  const [groups, setGroups] = useState<readonly AgentGroup[] | null>(null);
  const [groupsError, setGroupsError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<ActionFailure | null>(null);

  const candidates = useMemo(() => transferCandidates(agentsById.values(), conversation), [agentsById, conversation]);

  useEffect(() => {
    if (!open) return;
    setFailure(null);
    const controller = new AbortController();
    workspaceApi.groups(controller.signal).then(
      (list) => setGroups(list.items),
      (cause: unknown) => {
        if (!controller.signal.aborted && !isAbort(cause)) setGroupsError(errorText(cause, t));
      },
    );
    return () => controller.abort();
  }, [open, t]);

  const chosen = target === "agent" ? userId : groupId;

  const submit = () => {
    if (!chosen) return;
    setSaving(true);
    setFailure(null);
    const request =
      target === "agent" ? { toUserId: chosen, note: note.trim() } : { toGroupId: chosen, note: note.trim() };
    transfer(conversation.id, request).then(
      () => {
        setSaving(false);
        setNote("");
        setUserId(undefined);
        setGroupId(undefined);
        onDone();
      },
      (error: unknown) => {
        setSaving(false);
        setFailure(actionFailure(error, "transfer", t));
      },
    );
  };

  return (
    <Modal
      open={open}
      title={t("transfer.title", { buyer: conversation.customer.displayName })}
      onCancel={onClose}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t("common.cancel")}
        </Button>,
        <Button
          key="submit"
          type="primary"
          data-testid="transfer-submit"
          disabled={!chosen}
          loading={saving}
          onClick={submit}
        >
          {t("transfer.submit")}
        </Button>,
      ]}
    >
      <div className="transfer-form" data-testid="transfer-modal">
        <Segmented<Target>
          block
          value={target}
          onChange={setTarget}
          options={[
            { value: "agent", label: t("transfer.toAgent") },
            { value: "group", label: t("transfer.toGroup") },
          ]}
        />
        {target === "agent" ? (
          <Select<string>
            data-testid="transfer-agent-select"
            className="transfer-select"
            placeholder={t("transfer.agentPlaceholder")}
            value={userId}
            onChange={setUserId}
            showSearch={{ optionFilterProp: "title" }}
            notFoundContent={t("transfer.noAgents")}
            options={candidates.map((agent) => ({
              value: agent.userId,
              title: agent.name,
              label: (
                <span className="transfer-agent" data-user-id={agent.userId}>
                  <Badge status={statusBadge[agent.status]} />
                  <span className="transfer-agent-name">{agent.name}</span>
                  <span className="transfer-agent-load">
                    {t(`transfer.status.${agent.status}`)} ·{" "}
                    {t("transfer.load", { load: agent.load, capacity: agent.capacity })}
                  </span>
                </span>
              ),
            }))}
          />
        ) : (
          <Select<string>
            data-testid="transfer-group-select"
            className="transfer-select"
            placeholder={t("transfer.groupPlaceholder")}
            value={groupId}
            onChange={setGroupId}
            loading={groups === null && !groupsError}
            notFoundContent={groupsError ?? t("transfer.noGroups")}
            options={(groups ?? []).map((group) => ({
              value: group.id,
              label: t("transfer.groupOption", { name: group.name, count: group.memberIds.length }),
            }))}
          />
        )}
        <Input.TextArea
          data-testid="transfer-note"
          value={note}
          onChange={(event) => setNote(event.target.value)}
          placeholder={t("transfer.notePlaceholder")}
          maxLength={1000}
          autoSize={{ minRows: 2, maxRows: 6 }}
        />
        {failure && (
          <div data-testid="transfer-error" role="alert">
            <Alert type="error" showIcon title={failure.title} description={failure.detail} />
          </div>
        )}
      </div>
    </Modal>
  );
}
