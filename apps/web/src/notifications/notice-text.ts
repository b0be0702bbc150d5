import type { Conversation, RealtimeEvent } from "@yunxi/contracts";
import type { Translate } from "../i18n/locales.ts";
import type { Notice } from "./notification-rules.ts";

/** The title and body of a notice, for the popup and the desktop notification alike. */
export function noticeText(
  notice: Notice,
  ctx: { queueSize: number; t: Translate },
): {
  title: string;
  body: string;
} {
  const { t } = ctx;
  const c = notice.conversation;
  const kind = notice.slaKind ? t(`notify.slaKind.${notice.slaKind}`) : "";
  const source = t("notify.source", { buyer: c.customer.displayName, store: c.storeLabel });
  const quote = notice.text ? clip(notice.text, 120) : "";
  const body = quote ? `${source}\n${quote}` : source;
  switch (notice.event) {
    case "assigned":
      return { title: t("notify.assignedToMe"), body };
    case "new_message":
      return { title: t("notify.newMessage", { buyer: c.customer.displayName }), body: quote || source };
    case "sla_warning":
      return { title: t("notify.slaWarning", { kind }), body };
    case "sla_breach":
      return { title: t("notify.slaBreach", { kind }), body };
    case "mention":
      return { title: t("notify.mentionMe"), body };
    case "unassigned_waiting":
      return {
        title: ctx.queueSize > 1 ? t("notify.queueCount", { count: ctx.queueSize }) : t("notify.queue"),
        body: notice.slaKind ? `${t("notify.slaBreach", { kind })} · ${source}` : source,
      };
  }
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * My open conversations, kept current from realtime events (for the unread badge): a conversation
 * assigned to me is added or replaced; one no longer mine, resolved or merged is dropped. The same
 * map comes back when nothing changed.
 */
export function trackMine(
  mine: ReadonlyMap<string, Conversation>,
  events: readonly RealtimeEvent[],
  myId: string,
): ReadonlyMap<string, Conversation> {
  let next: Map<string, Conversation> | null = null;
  for (const event of events) {
    if (!("conversation" in event)) continue;
    const c = event.conversation;
    const keep = c.assigneeId === myId && c.status !== "resolved" && c.mergedIntoId === null;
    const current: ReadonlyMap<string, Conversation> = next ?? mine;
    if (!keep && !current.has(c.id)) continue;
    next ??= new Map(mine);
    if (keep) next.set(c.id, c);
    else next.delete(c.id);
  }
  return next ?? mine;
}

/** The conversations waiting in the queue (open, nobody assigned), kept current from events. */
export function trackQueue(queue: ReadonlySet<string>, events: readonly RealtimeEvent[]): ReadonlySet<string> {
  let next: Set<string> | null = null;
  for (const event of events) {
    if (!("conversation" in event)) continue;
    const c = event.conversation;
    const queued = c.assigneeId === null && c.status === "open" && c.mergedIntoId === null;
    const current: ReadonlySet<string> = next ?? queue;
    if (queued === current.has(c.id)) continue;
    next ??= new Set(queue);
    if (queued) next.add(c.id);
    else next.delete(c.id);
  }
  return next ?? queue;
}
