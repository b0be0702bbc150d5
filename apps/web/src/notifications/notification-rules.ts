import type {
  Conversation,
  NotificationEvent,
  NotificationSettings,
  RealtimeEvent,
  Role,
  SlaKind,
} from "@yunxi/contracts";

/**
 * What the signed-in user is notified of, decided from the realtime events alone (pure, so the
 * rules are tested without a browser):
 *
 * - assigned: a conversation becomes mine (created assigned to me, or its assignee changes to me);
 * - new_message: a buyer writes in a conversation assigned to me;
 * - sla_warning / sla_breach: an `sla.alert` for a conversation assigned to me;
 * - mention: an internal note that @mentions me;
 * - unassigned_waiting: a conversation enters the queue with nobody assigned, or an SLA alert
 *   fires for a queued conversation.
 *
 * The org's settings list per event the roles that are notified:
 * - of their own (a conversation assigned to them, a note mentioning them): a role not listed for
 *   an event is not told of it, so a checkbox really turns a notification off;
 * - the supervision events (sla_warning, sla_breach, unassigned_waiting) also go to the listed
 *   roles of supervisor and above for every conversation they can see: the escalation of a breach,
 *   the missed-reply guard. Agents never watch colleagues' conversations.
 * Never notified: my own messages and notes, assignments I made myself, resolved or merged
 * conversations, and events older than `staleAfterMs` (a reconnect replays what was missed; that
 * is history, not news).
 */

export type NoticeLevel = "low" | "normal" | "high";

export type Notice = {
  event: NotificationEvent;
  level: NoticeLevel;
  conversation: Conversation;
  /** Desktop notifications and popups with the same tag replace each other. */
  tag: string;
  /** About me (my conversation, a note mentioning me), not one I am told of by my role. */
  personal: boolean;
  /** The buyer's message or the note, when there is one to quote. */
  text: string | null;
  slaKind: SlaKind | null;
};

export type NotifyContext = {
  me: { id: string; role: Role };
  settings: NotificationSettings;
  /** An assignment (or unassignment) the user made themself. */
  isOwnAction: (conversationId: string) => boolean;
  now: number;
};

/** Conversations at or above this priority make high-level notices (two-tone sound). */
export const highPriorityThreshold = 30;
export const staleAfterMs = 10 * 60_000;
/** For a conversation this client has not seen before: how recent a change must be to be news. */
export const justNowMs = 60_000;
/** The tag of the one notice that stands for the whole queue. */
export const queueTag = "yunxi:queue";

/** Until the server's settings arrive: the server's defaults. */
export const fallbackSettings: NotificationSettings = {
  rules: {
    assigned: ["agent", "supervisor", "admin", "owner"],
    new_message: ["agent", "supervisor", "admin", "owner"],
    sla_warning: ["agent"],
    sla_breach: ["agent", "supervisor"],
    mention: ["agent", "supervisor", "admin", "owner"],
    unassigned_waiting: ["supervisor"],
  },
};

/** Events that the listed supervisors (and above) hear of for every conversation, not only their own. */
export const supervisionEvents: ReadonlySet<NotificationEvent> = new Set([
  "sla_warning",
  "sla_breach",
  "unassigned_waiting",
]);

const watcherRoles: ReadonlySet<Role> = new Set(["supervisor", "admin", "owner"]);

/**
 * The assignee this client last saw per conversation (null: unassigned). Updated by
 * `decideNotices` from every event; a conversation not in it has not been seen yet.
 */
export type AssigneeMemory = Map<string, string | null>;

/** The notices of one batch of events, in order; `memory` is updated as the events are read. */
export function decideNotices(events: readonly RealtimeEvent[], memory: AssigneeMemory, ctx: NotifyContext): Notice[] {
  const notices: Notice[] = [];
  for (const event of events) {
    const notice = decideOne(event, memory, ctx);
    if ("conversation" in event) memory.set(event.conversation.id, event.conversation.assigneeId);
    if (notice) notices.push(notice);
  }
  // Queued and assigned within the same batch (auto-assignment): nobody had to wait.
  return notices.filter(
    (notice) => notice.event !== "unassigned_waiting" || memory.get(notice.conversation.id) === null,
  );
}

function decideOne(event: RealtimeEvent, memory: AssigneeMemory, ctx: NotifyContext): Notice | null {
  const meId = ctx.me.id;
  const listed = (name: NotificationEvent) => ctx.settings.rules[name]?.includes(ctx.me.role) ?? false;
  const watches = (name: NotificationEvent) =>
    supervisionEvents.has(name) && watcherRoles.has(ctx.me.role) && listed(name);
  const fresh = (iso: string | null, withinMs = staleAfterMs) => iso !== null && ctx.now - Date.parse(iso) <= withinMs;

  switch (event.type) {
    case "conversation.created":
    case "conversation.updated": {
      const c = event.conversation;
      if (!isLive(c) || ctx.isOwnAction(c.id)) return null;
      const known = memory.has(c.id);
      const before = memory.get(c.id);
      const changed = event.type === "conversation.created" || !known || before !== c.assigneeId;
      if (!changed) return null;
      // A conversation not seen before may have been assigned long ago: only a change made just now is news.
      const within = known ? staleAfterMs : justNowMs;
      if (c.assigneeId !== null) {
        if (!fresh(c.assignedAt ?? c.createdAt, within)) return null;
        if (c.assigneeId !== meId || !listed("assigned")) return null;
        return notice("assigned", c, true, c.lastMessagePreview || undefined);
      }
      if (c.status !== "open" || c.queuedAt === null || !fresh(c.queuedAt, within)) return null;
      return watches("unassigned_waiting") ? notice("unassigned_waiting", c, false) : null;
    }
    case "message.created": {
      const { message: m, conversation: c } = event;
      if (m.senderId === meId || !isLive(c) || !fresh(m.createdAt)) return null;
      if (m.kind === "note") {
        return m.mentions.includes(meId) && listed("mention") ? notice("mention", c, true, m.body) : null;
      }
      if (m.direction !== "inbound" || c.assigneeId !== meId) return null;
      return listed("new_message") ? notice("new_message", c, true, m.body) : null;
    }
    case "sla.alert": {
      const c = event.conversation;
      if (!isLive(c)) return null;
      const name: NotificationEvent = event.level === "breached" ? "sla_breach" : "sla_warning";
      const mine = c.assigneeId === meId && listed(name);
      if (mine || watches(name)) {
        const alert = notice(name, c, mine);
        return { ...alert, level: event.level === "breached" ? "high" : alert.level, slaKind: event.kind };
      }
      if (c.assigneeId === null && watches("unassigned_waiting")) {
        return { ...notice("unassigned_waiting", c, false), level: "high", slaKind: event.kind };
      }
      return null;
    }
    default:
      return null;
  }
}

function isLive(c: Conversation): boolean {
  return c.status !== "resolved" && c.mergedIntoId === null;
}

/** High for urgent conversations; normal for my own; low for what I only watch. */
function levelOf(c: Conversation, mine: boolean): NoticeLevel {
  if (c.priority >= highPriorityThreshold) return "high";
  return mine ? "normal" : "low";
}

function notice(event: NotificationEvent, conversation: Conversation, personal: boolean, text?: string): Notice {
  const tag = event === "unassigned_waiting" ? queueTag : `yunxi:${conversation.id}`;
  const level = levelOf(conversation, personal);
  return { event, level, personal, conversation, tag, text: text ?? null, slaKind: null };
}

const levelRank: Record<NoticeLevel, number> = { low: 0, normal: 1, high: 2 };

/** The most urgent level of a batch, or null for none. */
export function loudestLevel(notices: readonly Notice[]): NoticeLevel | null {
  let loudest: NoticeLevel | null = null;
  for (const n of notices) if (loudest === null || levelRank[n.level] > levelRank[loudest]) loudest = n.level;
  return loudest;
}

/**
 * Whether to play a sound now: not more than one per `gapMs`, except that a louder level than the
 * last one played always sounds.
 */
export function shouldPlaySound(
  level: NoticeLevel,
  last: { level: NoticeLevel; at: number } | null,
  now: number,
  gapMs = 1500,
): boolean {
  if (last === null || now - last.at >= gapMs || now < last.at) return true;
  return levelRank[level] > levelRank[last.level];
}

/**
 * Desktop notifications: shown when the page is not in front (hidden tab or another window
 * focused), where the popup would go unseen; with the "always" preference, also in front.
 */
export function shouldShowDesktop(options: {
  permission: NotificationPermission | "unsupported";
  mode: "background" | "always";
  pageInFront: boolean;
}): boolean {
  if (options.permission !== "granted") return false;
  return options.mode === "always" || !options.pageInFront;
}

/** At most this many popups per batch (a reconnect catch-up); the rest are summed up in one. */
export const maxPopupsPerBatch = 4;
