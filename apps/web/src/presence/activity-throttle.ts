/**
 * Turns keyboard and mouse activity into heartbeats (POST /api/agents/me/activity): the first
 * activity sends one at once (an agent back from auto-away is online again right away), then at
 * most one per `intervalMs` however busy the mouse. A failed heartbeat is retried on the next
 * activity after `retryMs`, not a whole interval later. Time comes from the caller (testable).
 */
export type ActivityThrottle = {
  /** Called on each activity: true when a heartbeat is due now (it is then counted as sent). */
  shouldSend: (now: number) => boolean;
  /** The heartbeat sent at `now` failed. */
  failed: (now: number) => void;
};

export const activityIntervalMs = 60_000;
export const activityRetryMs = 10_000;

export function createActivityThrottle(intervalMs = activityIntervalMs, retryMs = activityRetryMs): ActivityThrottle {
  let nextAllowedAt = Number.NEGATIVE_INFINITY;
  let lastSentAt: number | null = null;
  return {
    shouldSend(now) {
      // A clock set back: start over rather than stay silent until it catches up.
      if (lastSentAt !== null && now < lastSentAt) nextAllowedAt = Number.NEGATIVE_INFINITY;
      if (now < nextAllowedAt) return false;
      lastSentAt = now;
      nextAllowedAt = now + intervalMs;
      return true;
    },
    failed(now) {
      nextAllowedAt = Math.min(nextAllowedAt, now + retryMs);
    },
  };
}

/** The DOM events that count as the agent being at the keyboard. */
export const activityEvents = ["keydown", "pointerdown", "pointermove", "wheel", "touchstart"] as const;
