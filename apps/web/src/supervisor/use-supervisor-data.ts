import type { Conversation } from "@yunxi/contracts";
import { useCallback, useEffect, useState } from "react";
import { agentsApi, assignmentApi } from "../api/admin-workspace-api.ts";
import { useT } from "../i18n/i18n-provider.tsx";
import { useWorkspaceEvents } from "../notifications/workspace-events.tsx";
import { errorText, isAbort } from "../shared/error-text.ts";
import type { SupervisorData } from "./supervisor-state.ts";
import {
  applySupervisorEvents,
  emptySupervisorData,
  mergeConversations,
  refreshedConversations,
  withAgent,
  withAgents,
} from "./supervisor-state.ts";

/** Re-read everything now and then: SLA states change with time, not only with events. */
const refreshEveryMs = 120_000;

/**
 * The agents and the live conversations of the org, loaded once (open ones, the queue and the
 * breached ones, as the server lists them) and then kept current from realtime events.
 */
export function useSupervisorData() {
  const t = useT();
  const [data, setData] = useState<SupervisorData>(emptySupervisorData);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt is a trigger
  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    setLoading(true);
    const lists: Promise<{ items: Conversation[] }>[] = [
      assignmentApi.conversations({ status: "open", sort: "priority", limit: 2000 }, signal),
      assignmentApi.conversations({ status: "pending", sort: "priority", limit: 500 }, signal),
      assignmentApi.conversations({ assignee: "unassigned", status: "open", sort: "priority", limit: 500 }, signal),
      assignmentApi.conversations({ sla: "breached", sort: "priority", limit: 500 }, signal),
    ];
    Promise.all([agentsApi.list(signal), Promise.all(lists)]).then(
      ([agents, pages]) => {
        const loaded = pages.reduce((acc, page) => mergeConversations(acc, page.items), emptySupervisorData);
        setData((current) => withAgents(refreshedConversations(current, loaded), agents.items));
        setError(null);
        setLoading(false);
      },
      (cause: unknown) => {
        if (signal.aborted || isAbort(cause)) return;
        setError(errorText(cause, t));
        setLoading(false);
      },
    );
    const timer = setTimeout(reload, refreshEveryMs);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [attempt, t, reload]);

  useWorkspaceEvents((events) => setData((current) => applySupervisorEvents(current, events)), reload);

  /** An action's answer (claim, transfer, capacity) shown at once, before its event arrives. */
  const applyConversation = useCallback(
    (conversation: Conversation) =>
      setData((current) => ({
        ...current,
        conversations: new Map(current.conversations).set(conversation.id, conversation),
      })),
    [],
  );
  const applyAgent = useCallback(
    (agent: Parameters<typeof withAgent>[1]) => setData((current) => withAgent(current, agent)),
    [],
  );

  return { data, loading, error, reload, applyConversation, applyAgent };
}
