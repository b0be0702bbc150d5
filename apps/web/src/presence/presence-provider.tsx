import type { AgentState, AgentStatus, RealtimeEvent } from "@yunxi/contracts";
import type { ReactNode } from "react";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import { agentsApi } from "../api/admin-workspace-api.ts";
import { ApiRequestError } from "../api/client.ts";
import { useMe } from "../auth/auth-provider.tsx";
import { useWorkspaceEvents } from "../notifications/workspace-events.tsx";
import { activityEvents, createActivityThrottle } from "./activity-throttle.ts";

type PresenceValue = {
  /** My availability as the server knows it; null until it answered. */
  agent: AgentState | null;
  setStatus: (status: AgentStatus) => Promise<void>;
};

const PresenceContext = createContext<PresenceValue | null>(null);

const reloadAfterFailureMs = 30_000;
/**
 * Also re-read now and then: the gateway sends `agent.updated` to supervisors' sockets, and an
 * agent's own may not reach them (their socket joins their stores' rooms), so auto-away shows up
 * at the latest this late, or when the tab comes back to the front.
 */
const refreshEveryMs = 120_000;

/**
 * The signed-in user's availability: loaded from the server, changed by the header control, and
 * kept current from `agent.updated` events (the server sets away after inactivity, and back to
 * online on activity). While the user types or moves the mouse, a heartbeat at most once a minute.
 */
export function PresenceProvider({ children }: { children: ReactNode }) {
  const me = useMe();
  const userId = me.user.id;
  const [agent, setAgent] = useState<AgentState | null>(null);
  const [attempt, setAttempt] = useState(0);
  const statusRef = useRef<AgentStatus | null>(null);
  statusRef.current = agent?.status ?? null;
  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt is a trigger
  useEffect(() => {
    const controller = new AbortController();
    let retry: ReturnType<typeof setTimeout> | undefined;
    agentsApi.me(controller.signal).then(
      (state) => {
        setAgent(state);
        retry = setTimeout(reload, refreshEveryMs);
      },
      () => {
        if (!controller.signal.aborted) retry = setTimeout(reload, reloadAfterFailureMs);
      },
    );
    return () => {
      controller.abort();
      clearTimeout(retry);
    };
  }, [attempt, userId, reload]);

  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === "visible") reload();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => document.removeEventListener("visibilitychange", onVisible);
  }, [reload]);

  useWorkspaceEvents((events: readonly RealtimeEvent[]) => {
    for (const event of events) {
      if (event.type === "agent.updated" && event.agent.userId === userId) setAgent(event.agent);
    }
  }, reload);

  useEffect(() => {
    const throttle = createActivityThrottle();
    const onActivity = () => {
      const now = Date.now();
      if (!throttle.shouldSend(now)) return;
      agentsApi.activity().then(
        // Back from auto-away: the server put me online again.
        () => {
          if (statusRef.current === "away") reload();
        },
        (error: unknown) => {
          // Network trouble or a server error: try again soon. A refusal waits the whole interval.
          const transient = !(error instanceof ApiRequestError) || error.status === 0 || error.status >= 500;
          if (transient) throttle.failed(now);
        },
      );
    };
    const options = { capture: true, passive: true } as const;
    for (const name of activityEvents) window.addEventListener(name, onActivity, options);
    return () => {
      for (const name of activityEvents) window.removeEventListener(name, onActivity, options);
    };
  }, [reload]);

  const setStatus = useCallback(async (status: AgentStatus) => {
    setAgent(await agentsApi.setMyStatus(status));
  }, []);

  const value = useMemo(() => ({ agent, setStatus }), [agent, setStatus]);
  return <PresenceContext value={value}>{children}</PresenceContext>;
}

export function usePresence(): PresenceValue {
  const value = useContext(PresenceContext);
  if (!value) throw new Error("usePresence must be used inside <PresenceProvider>");
  return value;
}
