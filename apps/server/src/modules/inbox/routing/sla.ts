import type { BusinessHours, SlaKind, SlaPolicy } from "@yunxi/contracts";
import { addBusinessSeconds } from "./business-hours.ts";

/**
 * SLA targets of one conversation. first_response runs from the buyer's first
 * message until the first reply is sent; next_response from the first unanswered
 * buyer message after that until the next reply; resolution from the conversation's
 * start until it is resolved. All count business time of the store.
 */
export interface SlaFacts {
  status: string;
  createdAt: Date;
  firstInboundAt: Date | null;
  firstResponseAt: Date | null;
  /** The first buyer message not answered yet, if the buyer waits. */
  waitingSince: Date | null;
  firstResponseDueAt: Date | null;
  nextResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
}

export interface SlaDue {
  firstResponseDueAt: Date | null;
  nextResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
}

export const defaultSlaPolicy: SlaPolicy = {
  // Most marketplaces judge a store by replies within 3 minutes.
  firstResponseSeconds: 180,
  nextResponseSeconds: 180,
  resolutionSeconds: 24 * 3600,
  warnBeforeSeconds: 60,
  escalation: { notifySupervisors: true, raisePriority: 20, reassign: false },
};

/** The due times a conversation should carry now; targets already set are kept, not moved. */
export function slaDueTimes(c: SlaFacts, policy: SlaPolicy, hours: BusinessHours, timeZone: string): SlaDue {
  const due = (from: Date, seconds: number | null) =>
    seconds === null ? null : addBusinessSeconds(from, seconds, hours, timeZone);
  const resolved = c.status === "resolved";
  return {
    firstResponseDueAt:
      c.firstResponseAt !== null || c.firstInboundAt === null
        ? c.firstResponseDueAt
        : (c.firstResponseDueAt ?? due(c.firstInboundAt, policy.firstResponseSeconds)),
    nextResponseDueAt:
      resolved || c.firstResponseAt === null || c.waitingSince === null
        ? null
        : (c.nextResponseDueAt ?? due(c.waitingSince, policy.nextResponseSeconds)),
    resolutionDueAt: resolved ? null : (c.resolutionDueAt ?? due(c.createdAt, policy.resolutionSeconds)),
  };
}

export interface SlaAlert {
  kind: SlaKind;
  level: "warning" | "breached";
  dueAt: Date;
}

/** Targets still running: a met first response or a resolved conversation has nothing left to miss. */
function activeTargets(c: SlaFacts): { kind: SlaKind; dueAt: Date }[] {
  const targets: { kind: SlaKind; dueAt: Date | null }[] = [
    { kind: "first_response", dueAt: c.firstResponseAt === null ? c.firstResponseDueAt : null },
    { kind: "next_response", dueAt: c.nextResponseDueAt },
    { kind: "resolution", dueAt: c.status === "resolved" ? null : c.resolutionDueAt },
  ];
  return targets.filter((t): t is { kind: SlaKind; dueAt: Date } => t.dueAt !== null);
}

/**
 * What to raise now: a breach for every running target past due and not yet
 * reported, a warning for those due within `warnBeforeSeconds`. Each is raised
 * once (the caller records `warned` / `breached`).
 */
export function slaAlerts(
  c: SlaFacts,
  now: Date,
  warnBeforeSeconds: number,
  warned: readonly string[],
  breached: readonly string[],
): SlaAlert[] {
  const alerts: SlaAlert[] = [];
  for (const { kind, dueAt } of activeTargets(c)) {
    if (now >= dueAt) {
      if (!breached.includes(kind)) alerts.push({ kind, level: "breached", dueAt });
    } else if (now.getTime() >= dueAt.getTime() - warnBeforeSeconds * 1000 && !warned.includes(kind)) {
      alerts.push({ kind, level: "warning", dueAt });
    }
  }
  return alerts;
}

/** For list filters: breached, due within the warning window, or fine. */
export function slaState(c: SlaFacts, now: Date, warnBeforeSeconds: number): "breached" | "due_soon" | "ok" {
  let state: "breached" | "due_soon" | "ok" = "ok";
  for (const { dueAt } of activeTargets(c)) {
    if (now >= dueAt) return "breached";
    if (now.getTime() >= dueAt.getTime() - warnBeforeSeconds * 1000) state = "due_soon";
  }
  return state;
}
