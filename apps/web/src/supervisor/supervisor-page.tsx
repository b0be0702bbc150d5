import { ReloadOutlined } from "@ant-design/icons";
import type { AgentGroup, Conversation } from "@yunxi/contracts";
import { Alert, App, Badge, Button, Result, Statistic } from "antd";
import { useCallback, useEffect, useMemo, useState } from "react";
import { assignmentApi, groupsApi } from "../api/admin-workspace-api.ts";
import { useMe } from "../auth/auth-provider.tsx";
import { useT } from "../i18n/i18n-provider.tsx";
import { noteOwnAction } from "../notifications/own-actions.ts";
import type { Route } from "../routing/routes.ts";
import { errorText } from "../shared/error-text.ts";
import { useNow } from "../shared/use-now.ts";
import { AgentTable } from "./agent-table.tsx";
import { ReassignModal } from "./reassign-modal.tsx";
import type { ConversationActions } from "./supervised-conversations.tsx";
import { SupervisedConversations } from "./supervised-conversations.tsx";
import { agentRows, breachedList, canSupervise, supervisorTotals, unassignedQueue } from "./supervisor-state.ts";
import { useSupervisorData } from "./use-supervisor-data.ts";
import "./supervisor.css";

type Props = { onNavigate: (route: Route) => void };

/** 主管视图: every agent's status, load and conversations; the queue and the breached conversations; take over or reassign. */
export function SupervisorPage({ onNavigate }: Props) {
  const t = useT();
  const me = useMe();
  if (!canSupervise(me.user.role)) {
    return (
      <main className="supervisor-page" data-testid="supervisor-forbidden">
        <Result
          status="403"
          title={t("supervisor.forbidden")}
          extra={
            <Button type="primary" onClick={() => onNavigate({ page: "inbox" })}>
              {t("admin.backToInbox")}
            </Button>
          }
        />
      </main>
    );
  }
  return <SupervisorBoard />;
}

function SupervisorBoard() {
  const t = useT();
  const me = useMe();
  const { message } = App.useApp();
  const now = useNow(30_000);
  const { data, loading, error, reload, applyConversation, applyAgent } = useSupervisorData();
  const [groups, setGroups] = useState<readonly AgentGroup[]>([]);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [reassigning, setReassigning] = useState<Conversation | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    groupsApi.list(controller.signal).then(
      (list) => setGroups(list.items),
      () => undefined,
    );
    return () => controller.abort();
  }, []);

  const takeOver = useCallback(
    (c: Conversation) => {
      setBusyId(c.id);
      noteOwnAction(c.id);
      // Someone holds it: claiming would be refused (409), so it is transferred to me.
      const taking =
        c.assigneeId === null
          ? assignmentApi.claim(c.id)
          : assignmentApi.transfer(c.id, { toUserId: me.user.id, note: "" });
      taking
        .then((updated) => {
          applyConversation(updated);
          message.success(t("supervisor.takenOver", { buyer: c.customer.displayName }));
        })
        .catch((cause: unknown) => void message.error(errorText(cause, t)))
        .finally(() => setBusyId(null));
    },
    [me.user.id, applyConversation, message, t],
  );

  const actions = useMemo<ConversationActions>(
    () => ({ takeOver, reassign: setReassigning, busyId }),
    [takeOver, busyId],
  );
  const rows = useMemo(() => agentRows(data), [data]);
  const queue = useMemo(() => unassignedQueue(data), [data]);
  const breached = useMemo(() => breachedList(data), [data]);
  const totals = useMemo(() => supervisorTotals(data), [data]);

  return (
    <main className="supervisor-page" data-testid="supervisor-page">
      <div className="supervisor-head">
        <h1 className="supervisor-title">{t("supervisor.title")}</h1>
        <Button icon={<ReloadOutlined />} onClick={reload} aria-label={t("common.reload")} loading={loading} />
      </div>
      <div className="supervisor-stats" data-testid="supervisor-stats">
        <Statistic title={t("supervisor.statOnline")} value={totals.online} suffix={`/ ${totals.agents}`} />
        <Statistic title={t("supervisor.statWaiting")} value={totals.waiting} />
        <Statistic
          title={t("supervisor.statQueued")}
          value={totals.queued}
          styles={{ content: { color: totals.queued > 0 ? "#fa8c16" : undefined } }}
        />
        <Statistic
          title={t("supervisor.statBreached")}
          value={totals.breached}
          styles={{ content: { color: totals.breached > 0 ? "#ff4d4f" : undefined } }}
        />
      </div>
      {error && <Alert type="error" showIcon title={t("supervisor.loadFailed")} description={error} />}

      <section className="supervisor-section">
        <h2 className="supervisor-section-title">{t("supervisor.agents")}</h2>
        <div data-testid="supervisor-agents">
          <AgentTable
            rows={rows}
            agents={data.agents}
            actions={actions}
            onAgentChanged={applyAgent}
            now={now}
            meId={me.user.id}
            loading={loading && data.agents.size === 0}
          />
        </div>
      </section>

      <div className="supervisor-lists">
        <section className="supervisor-section">
          <h2 className="supervisor-section-title">
            {t("supervisor.queue")}{" "}
            <Badge count={queue.length} showZero color={queue.length > 0 ? "orange" : "#d9d9d9"} />
          </h2>
          <p className="supervisor-hint">{t("supervisor.queueHint")}</p>
          <SupervisedConversations
            conversations={queue}
            agents={data.agents}
            actions={actions}
            now={now}
            showAssignee={false}
            emptyText={t("supervisor.queueEmpty")}
            testId="supervisor-queue"
            meId={me.user.id}
          />
        </section>
        <section className="supervisor-section">
          <h2 className="supervisor-section-title">
            {t("supervisor.breached")}{" "}
            <Badge count={breached.length} showZero color={breached.length > 0 ? "red" : "#d9d9d9"} />
          </h2>
          <p className="supervisor-hint">{t("supervisor.breachedHint")}</p>
          <SupervisedConversations
            conversations={breached}
            agents={data.agents}
            actions={actions}
            now={now}
            showAssignee
            emptyText={t("supervisor.breachedEmpty")}
            testId="supervisor-breached"
            meId={me.user.id}
          />
        </section>
      </div>

      {reassigning && (
        <ReassignModal
          conversation={reassigning}
          agents={data.agents.values()}
          groups={groups}
          onClose={() => setReassigning(null)}
          onDone={(updated) => {
            setReassigning(null);
            applyConversation(updated);
            message.success(t("supervisor.reassigned", { buyer: updated.customer.displayName }));
          }}
        />
      )}
    </main>
  );
}
