import {
  CheckCircleOutlined,
  MergeOutlined,
  SwapOutlined,
  UndoOutlined,
  UserAddOutlined,
  UserDeleteOutlined,
} from "@ant-design/icons";
import type { Conversation } from "@yunxi/contracts";
import { Alert, App, Button, Tooltip } from "antd";
import type { ReactNode } from "react";
import { useMemo, useState } from "react";
import { useMe } from "../auth/auth-provider.tsx";
import { isSupervisor } from "../conversations/filters.ts";
import { useT } from "../i18n/i18n-provider.tsx";
import type { MessageKey } from "../i18n/zh-CN.ts";
import { useInbox, useInboxActions } from "../inbox/inbox-provider.tsx";
import { useShortcut } from "../shortcuts/shortcuts-provider.tsx";
import type { ActionFailure, ConversationAction } from "./action-errors.ts";
import { actionFailure } from "./action-errors.ts";
import { MergeModal } from "./merge-modal.tsx";
import { SnoozeButton } from "./snooze-button.tsx";
import { mergeCandidates } from "./transfer.ts";
import { TransferModal } from "./transfer-modal.tsx";

type Props = { conversation: Conversation };

/**
 * The manual actions on the open conversation: 认领 (while nobody holds it), 转接 and 退回队列
 * (the holder or a supervisor), 解决 / 重新打开, 暂缓, 合并.
 * C, T and E do the same from the keyboard. A refusal (someone else claimed it first, the agent
 * does not serve the store) is shown under the header with the server's reason.
 */
export function ConversationActions({ conversation }: Props) {
  const t = useT();
  const { message } = App.useApp();
  const me = useMe();
  const { state } = useInbox();
  const { claim, unassign, setStatus, snooze, merge } = useInboxActions();
  const [busy, setBusy] = useState<ConversationAction | null>(null);
  const [failure, setFailure] = useState<ActionFailure | null>(null);
  const [transferOpen, setTransferOpen] = useState(false);
  const [mergeOpen, setMergeOpen] = useState(false);
  const [mergeFailure, setMergeFailure] = useState<ActionFailure | null>(null);

  const { id, assigneeId, status } = conversation;
  const mine = assigneeId === me.user.id;
  const resolved = status === "resolved";
  // As the server decides: the holder, a supervisor, or anyone while nobody holds it may hand it on.
  const mayReassign = assigneeId === null || mine || isSupervisor(me.user.role);
  const candidates = useMemo(
    () => mergeCandidates(state.conversations.values(), conversation),
    [state.conversations, conversation],
  );

  const run = (action: ConversationAction, work: () => Promise<unknown>, done?: MessageKey) => {
    if (busy) return;
    setBusy(action);
    setFailure(null);
    work().then(
      () => {
        setBusy(null);
        if (done) void message.success(t(done));
      },
      (error: unknown) => {
        setBusy(null);
        setFailure(actionFailure(error, action, t));
      },
    );
  };

  const doClaim = () => run("claim", () => claim(id), "actions.claimed");
  const doResolve = () => run("resolve", () => setStatus(id, "resolved"), "actions.resolved");
  const openTransfer = () => {
    setFailure(null);
    setTransferOpen(true);
  };

  // C on someone else's conversation still asks: the answer says who holds it.
  useShortcut("claim", () => {
    if (!mine && !resolved) doClaim();
  });
  useShortcut("transfer", () => {
    if (!resolved && mayReassign) openTransfer();
  });
  useShortcut("resolve", () => {
    if (!resolved) doResolve();
  });

  return (
    <>
      <div className="thread-actions" role="toolbar" aria-label={t("actions.toolbar")}>
        {assigneeId === null && !resolved && (
          <ActionButton
            testId="action-claim"
            icon={<UserAddOutlined />}
            label={t("actions.claim")}
            shortcut="C"
            type="primary"
            loading={busy === "claim"}
            onClick={doClaim}
          />
        )}
        {!resolved && mayReassign && (
          <ActionButton
            testId="action-transfer"
            icon={<SwapOutlined />}
            label={t("actions.transfer")}
            shortcut="T"
            onClick={openTransfer}
          />
        )}
        {assigneeId !== null && !resolved && mayReassign && (
          <ActionButton
            testId="action-unassign"
            icon={<UserDeleteOutlined />}
            label={t("actions.unassign")}
            loading={busy === "unassign"}
            onClick={() => run("unassign", () => unassign(id), "actions.unassigned")}
          />
        )}
        {!resolved && (
          <SnoozeButton
            disabled={busy !== null}
            loading={busy === "snooze"}
            onSnooze={(until) => run("snooze", () => snooze(id, until), "actions.snoozed")}
          />
        )}
        {!resolved && (
          <ActionButton
            testId="action-merge"
            icon={<MergeOutlined />}
            label={t("actions.merge")}
            disabled={candidates.length === 0}
            tooltip={candidates.length === 0 ? t("merge.none") : undefined}
            onClick={() => {
              setMergeFailure(null);
              setMergeOpen(true);
            }}
          />
        )}
        {resolved ? (
          <ActionButton
            testId="action-reopen"
            icon={<UndoOutlined />}
            label={t("actions.reopen")}
            loading={busy === "reopen"}
            onClick={() => run("reopen", () => setStatus(id, "open"), "actions.reopened")}
          />
        ) : (
          <ActionButton
            testId="action-resolve"
            icon={<CheckCircleOutlined />}
            label={t("actions.resolve")}
            shortcut="E"
            loading={busy === "resolve"}
            onClick={doResolve}
          />
        )}
      </div>
      {failure && (
        <div className="thread-action-error" data-testid="action-error" data-conflict={failure.conflict} role="alert">
          <Alert
            type={failure.conflict ? "warning" : "error"}
            showIcon
            closable={{ onClose: () => setFailure(null) }}
            title={failure.title}
            description={failure.detail}
          />
        </div>
      )}
      <TransferModal
        conversation={conversation}
        open={transferOpen}
        onClose={() => setTransferOpen(false)}
        onDone={() => {
          setTransferOpen(false);
          void message.success(t("actions.transferred"));
        }}
      />
      <MergeModal
        conversation={conversation}
        candidates={candidates}
        open={mergeOpen}
        saving={busy === "merge"}
        failure={mergeFailure}
        onClose={() => setMergeOpen(false)}
        onMerge={(otherId) => {
          setBusy("merge");
          setMergeFailure(null);
          merge(id, otherId).then(
            () => {
              setBusy(null);
              setMergeOpen(false);
              void message.success(t("actions.merged"));
            },
            (error: unknown) => {
              setBusy(null);
              setMergeFailure(actionFailure(error, "merge", t));
            },
          );
        }}
      />
    </>
  );
}

type ActionButtonProps = {
  testId: string;
  icon: ReactNode;
  label: string;
  shortcut?: string;
  tooltip?: string;
  type?: "primary" | "default";
  loading?: boolean;
  disabled?: boolean;
  onClick: () => void;
};

/** An action with its label (hidden on narrow screens, then in the tooltip) and its shortcut. */
function ActionButton({ testId, icon, label, shortcut, tooltip, type, loading, disabled, onClick }: ActionButtonProps) {
  const title = tooltip ?? (shortcut ? `${label} (${shortcut})` : label);
  return (
    <Tooltip title={title}>
      <Button
        size="small"
        type={type}
        icon={icon}
        loading={loading}
        disabled={disabled}
        onClick={onClick}
        data-testid={testId}
        aria-label={label}
      >
        <span className="action-text">{label}</span>
      </Button>
    </Tooltip>
  );
}
