import type { NotificationSettings, RealtimeEvent, Role } from "@yunxi/contracts";
import { describe, expect, it } from "vitest";
import type { AssigneeMemory, NotifyContext } from "./notification-rules.ts";
import {
  decideNotices,
  fallbackSettings,
  loudestLevel,
  queueTag,
  shouldPlaySound,
  shouldShowDesktop,
} from "./notification-rules.ts";
import { conversation, message } from "./test-fixtures.ts";

const now = Date.parse("2026-03-01T10:00:30.000Z");
const recent = "2026-03-01T10:00:20.000Z";
const longAgo = "2026-03-01T08:00:00.000Z";

const noRoles: NotificationSettings = {
  rules: { assigned: [], new_message: [], sla_warning: [], sla_breach: [], mention: [], unassigned_waiting: [] },
};

function ctx(
  role: Role = "agent",
  settings: NotificationSettings = fallbackSettings,
  own: string[] = [],
): NotifyContext {
  return { me: { id: "me", role }, settings, isOwnAction: (id) => own.includes(id), now };
}

let seq = 0;
const updated = (patch: Parameters<typeof conversation>[0]): RealtimeEvent => ({
  seq: ++seq,
  type: "conversation.updated",
  storeId: "s1",
  conversation: conversation(patch),
});
const created = (patch: Parameters<typeof conversation>[0]): RealtimeEvent => ({
  seq: ++seq,
  type: "conversation.created",
  storeId: "s1",
  conversation: conversation(patch),
});
const messageCreated = (
  m: Parameters<typeof message>[0],
  c: Parameters<typeof conversation>[0] = { assigneeId: "me" },
): RealtimeEvent => ({
  seq: ++seq,
  type: "message.created",
  storeId: "s1",
  message: message({ createdAt: recent, ...m }),
  conversation: conversation(c),
});
const slaAlert = (level: "warning" | "breached", c: Parameters<typeof conversation>[0]): RealtimeEvent => ({
  seq: ++seq,
  type: "sla.alert",
  storeId: "s1",
  level,
  kind: "first_response",
  conversation: conversation(c),
});

describe("what the user is notified of", () => {
  it("a conversation newly assigned to me, once", () => {
    const memory: AssigneeMemory = new Map([["c1", null]]);
    const first = decideNotices([updated({ assigneeId: "me", assignedAt: recent })], memory, ctx());
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ event: "assigned", personal: true, level: "normal", tag: "yunxi:c1" });
    // The next update of the same conversation (priority, SLA …) is not a new assignment.
    expect(decideNotices([updated({ assigneeId: "me", assignedAt: recent, priority: 5 })], memory, ctx())).toEqual([]);
  });

  it("a conversation created assigned to me; one transferred to me from someone else", () => {
    expect(decideNotices([created({ assigneeId: "me", assignedAt: recent })], new Map(), ctx())).toHaveLength(1);
    const memory: AssigneeMemory = new Map([["c1", "colleague"]]);
    expect(decideNotices([updated({ assigneeId: "me", assignedAt: recent })], memory, ctx())[0]?.event).toBe(
      "assigned",
    );
  });

  it("not a conversation first seen that was assigned long ago, nor my own claim", () => {
    expect(decideNotices([updated({ assigneeId: "me", assignedAt: longAgo })], new Map(), ctx())).toEqual([]);
    const memory: AssigneeMemory = new Map([["c1", null]]);
    expect(
      decideNotices(
        [updated({ assigneeId: "me", assignedAt: recent })],
        memory,
        ctx("agent", fallbackSettings, ["c1"]),
      ),
    ).toEqual([]);
    // The memory still learnt the assignee: the next event is no news either.
    expect(memory.get("c1")).toBe("me");
  });

  it("a buyer's message in my conversation, not in someone else's, not my own reply", () => {
    const mine = decideNotices([messageCreated({})], new Map(), ctx());
    expect(mine[0]).toMatchObject({ event: "new_message", text: "在吗？我的快递还没到" });
    expect(decideNotices([messageCreated({}, { assigneeId: "other" })], new Map(), ctx())).toEqual([]);
    const reply = messageCreated({ direction: "outbound", senderType: "agent", senderId: "me" });
    expect(decideNotices([reply], new Map(), ctx())).toEqual([]);
    // A reconnect replaying an hour-old message: history, not news.
    expect(decideNotices([messageCreated({ createdAt: longAgo })], new Map(), ctx())).toEqual([]);
  });

  it("an urgent conversation makes a high-level notice", () => {
    const notices = decideNotices([messageCreated({}, { assigneeId: "me", priority: 40 })], new Map(), ctx());
    expect(notices[0]?.level).toBe("high");
  });

  it("a note that @mentions me, but not my own note", () => {
    const note = { kind: "note" as const, direction: "internal" as const, senderType: "agent" as const };
    const mention = messageCreated(
      { ...note, senderId: "colleague", mentions: ["me"], body: "@我 帮看下" },
      {
        assigneeId: "colleague",
      },
    );
    expect(decideNotices([mention], new Map(), ctx())[0]).toMatchObject({ event: "mention", personal: true });
    const own = messageCreated({ ...note, senderId: "me", mentions: ["me"] }, { assigneeId: "colleague" });
    expect(decideNotices([own], new Map(), ctx())).toEqual([]);
    const other = messageCreated({ ...note, senderId: "colleague", mentions: ["x"] }, { assigneeId: "colleague" });
    expect(decideNotices([other], new Map(), ctx())).toEqual([]);
  });

  it("SLA alerts of my conversations; of others' only for the roles the settings name", () => {
    const warning = decideNotices([slaAlert("warning", { assigneeId: "me" })], new Map(), ctx());
    expect(warning[0]).toMatchObject({ event: "sla_warning", slaKind: "first_response", level: "normal" });
    const breach = decideNotices([slaAlert("breached", { assigneeId: "me" })], new Map(), ctx());
    expect(breach[0]).toMatchObject({ event: "sla_breach", level: "high" });

    const othersBreach = slaAlert("breached", { assigneeId: "colleague" });
    expect(decideNotices([othersBreach], new Map(), ctx("agent", fallbackSettings))).toEqual([]);
    expect(decideNotices([othersBreach], new Map(), ctx("supervisor", fallbackSettings))[0]).toMatchObject({
      event: "sla_breach",
      personal: false,
    });
    expect(decideNotices([othersBreach], new Map(), ctx("supervisor", noRoles))).toEqual([]);
  });

  it("the queue, for the roles that watch it: a conversation entering it, unless assigned in the same batch", () => {
    const supervisor = ctx("supervisor", fallbackSettings);
    const queued = created({ assigneeId: null, queuedAt: recent });
    const notices = decideNotices([queued], new Map(), supervisor);
    expect(notices[0]).toMatchObject({ event: "unassigned_waiting", tag: queueTag, level: "low" });
    expect(
      decideNotices([created({ assigneeId: null, queuedAt: recent })], new Map(), ctx("agent", fallbackSettings)),
    ).toEqual([]);
    const memory: AssigneeMemory = new Map();
    const autoAssigned = decideNotices(
      [
        created({ id: "c9", assigneeId: null, queuedAt: recent }),
        updated({ id: "c9", assigneeId: "x", assignedAt: recent }),
      ],
      memory,
      supervisor,
    );
    expect(autoAssigned).toEqual([]);
    // An SLA alert on a queued conversation is urgent for whoever watches the queue.
    const breached = decideNotices([slaAlert("breached", { assigneeId: null, queuedAt: recent })], new Map(), {
      ...supervisor,
      settings: { rules: { ...noRoles.rules, unassigned_waiting: ["supervisor"] } },
    });
    expect(breached[0]).toMatchObject({ event: "unassigned_waiting", level: "high", slaKind: "first_response" });
  });

  it("nothing for resolved or merged conversations", () => {
    expect(decideNotices([messageCreated({}, { assigneeId: "me", status: "resolved" })], new Map(), ctx())).toEqual([]);
    expect(decideNotices([slaAlert("breached", { assigneeId: "me", mergedIntoId: "c2" })], new Map(), ctx())).toEqual(
      [],
    );
  });

  it("a role not listed for an event is not told of its own", () => {
    expect(decideNotices([messageCreated({})], new Map(), ctx("agent", noRoles))).toEqual([]);
    expect(
      decideNotices([created({ assigneeId: "me", assignedAt: recent })], new Map(), ctx("agent", noRoles)),
    ).toEqual([]);
    expect(decideNotices([slaAlert("warning", { assigneeId: "me" })], new Map(), ctx("supervisor"))).toEqual([]);
    expect(decideNotices([slaAlert("warning", { assigneeId: "me" })], new Map(), ctx("agent"))).toHaveLength(1);
  });

  it("only supervisors and above watch others' conversations, and only for supervision events", () => {
    const both = ["agent", "supervisor"] as Role[];
    const everyone: NotificationSettings = {
      rules: {
        assigned: both,
        new_message: both,
        sla_warning: both,
        sla_breach: both,
        mention: both,
        unassigned_waiting: both,
      },
    };
    const others: RealtimeEvent[] = [
      messageCreated({ id: "m2" }, { id: "c2", assigneeId: "colleague" }),
      updated({ id: "c3", assigneeId: "colleague", assignedAt: recent }),
      messageCreated(
        { id: "m4", kind: "note", direction: "internal", senderType: "agent", senderId: "x", mentions: ["y"] },
        { id: "c4", assigneeId: "colleague" },
      ),
      slaAlert("warning", { id: "c5", assigneeId: "colleague" }),
      created({ id: "c6", assigneeId: null, queuedAt: recent }),
    ];
    expect(decideNotices(others, new Map(), ctx("agent", everyone))).toEqual([]);
    const watched = decideNotices(others, new Map(), ctx("supervisor", everyone));
    expect(watched.map((n) => [n.event, n.personal, n.level])).toEqual([
      ["sla_warning", false, "low"],
      ["unassigned_waiting", false, "low"],
    ]);
  });
});

describe("sound and desktop", () => {
  it("plays the loudest level of a batch, not more than once per gap unless louder", () => {
    const notices = decideNotices(
      [messageCreated({}), slaAlert("breached", { id: "c2", assigneeId: "me" })],
      new Map(),
      ctx(),
    );
    expect(loudestLevel(notices)).toBe("high");
    expect(loudestLevel([])).toBeNull();
    expect(shouldPlaySound("normal", null, 0)).toBe(true);
    expect(shouldPlaySound("normal", { level: "normal", at: 0 }, 500)).toBe(false);
    expect(shouldPlaySound("high", { level: "normal", at: 0 }, 500)).toBe(true);
    expect(shouldPlaySound("low", { level: "high", at: 0 }, 1500)).toBe(true);
  });

  it("shows desktop notifications when permitted and the page is in the background, or always by preference", () => {
    expect(shouldShowDesktop({ permission: "granted", mode: "background", pageInFront: false })).toBe(true);
    expect(shouldShowDesktop({ permission: "granted", mode: "background", pageInFront: true })).toBe(false);
    expect(shouldShowDesktop({ permission: "granted", mode: "always", pageInFront: true })).toBe(true);
    expect(shouldShowDesktop({ permission: "default", mode: "always", pageInFront: false })).toBe(false);
    expect(shouldShowDesktop({ permission: "unsupported", mode: "always", pageInFront: false })).toBe(false);
  });
});
