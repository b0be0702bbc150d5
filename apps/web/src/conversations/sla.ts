import type { Conversation, SlaKind } from "@yunxi/contracts";
import type { Translate } from "../i18n/locales.ts";

/**
 * The SLA countdown a conversation shows: the next target that is still due (first response,
 * next response, resolution), how much time is left and whether it is missed. Pure, so the list,
 * the header and the filters agree, and tests can move the clock.
 */

/** Within this of its due time a target counts as "due soon" (the server's alert uses the store's own setting). */
export const dueSoonMs = 60_000;

export type SlaState = "breached" | "due_soon" | "ok" | "none";

export type SlaCountdown = {
  state: SlaState;
  /** The target counted down to; null when nothing is due. */
  kind: SlaKind | null;
  dueAt: number | null;
  /** Milliseconds left; negative when overdue. */
  remainingMs: number;
};

const nothingDue: SlaCountdown = { state: "none", kind: null, dueAt: null, remainingMs: 0 };

/** The buyer spoke last: a reply is owed. */
export function isAwaitingReply(conversation: Pick<Conversation, "lastInboundAt" | "lastOutboundAt">): boolean {
  const { lastInboundAt, lastOutboundAt } = conversation;
  if (!lastInboundAt) return false;
  return lastOutboundAt === null || Date.parse(lastOutboundAt) < Date.parse(lastInboundAt);
}

/** The earliest target that still applies: response targets only while a reply is owed, none once resolved. */
export function nextSlaTarget(conversation: Conversation): { kind: SlaKind; dueAt: number } | null {
  if (conversation.status === "resolved" || conversation.mergedIntoId) return null;
  const { sla } = conversation;
  const candidates: { kind: SlaKind; at: string | null }[] = [
    { kind: "first_response", at: conversation.firstResponseAt ? null : sla.firstResponseDueAt },
    {
      kind: "next_response",
      at: conversation.firstResponseAt && isAwaitingReply(conversation) ? sla.nextResponseDueAt : null,
    },
    { kind: "resolution", at: sla.resolutionDueAt },
  ];
  let best: { kind: SlaKind; dueAt: number } | null = null;
  for (const { kind, at } of candidates) {
    if (!at) continue;
    const dueAt = Date.parse(at);
    if (Number.isNaN(dueAt)) continue;
    if (!best || dueAt < best.dueAt) best = { kind, dueAt };
  }
  return best;
}

export function slaCountdown(conversation: Conversation, now: number): SlaCountdown {
  const target = nextSlaTarget(conversation);
  if (!target) return nothingDue;
  const remainingMs = target.dueAt - now;
  const state: SlaState = remainingMs <= 0 ? "breached" : remainingMs <= dueSoonMs ? "due_soon" : "ok";
  return { state, kind: target.kind, dueAt: target.dueAt, remainingMs };
}

/**
 * A conversation's SLA state for filters and counts, as the server defines it (`sla=breached|due_soon`):
 * breached once a target was missed (recorded in `sla.breaches`, or overdue now and not yet swept),
 * due soon when the next target is within `dueSoonMs`.
 */
export function slaState(conversation: Conversation, now: number): SlaState {
  if (conversation.sla.breaches.length > 0) return "breached";
  return slaCountdown(conversation, now).state;
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * `4:05`, `1:02:03`, or `3天2小时` for long targets; overdue times are shown as the time past due
 * (the caller marks them red). Seconds are rounded toward the deadline, so 0:00 is shown only when due.
 */
export function formatCountdown(remainingMs: number, t: Translate): string {
  const totalSeconds = Math.ceil(Math.abs(remainingMs) / 1000);
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (days > 0) return t("sla.days", { days, hours });
  if (hours > 0) return `${hours}:${pad(minutes)}:${pad(seconds)}`;
  return `${minutes}:${pad(seconds)}`;
}
