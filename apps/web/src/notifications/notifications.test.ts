import { readFileSync } from "node:fs";
import type { RealtimeEvent } from "@yunxi/contracts";
import { describe, expect, it } from "vitest";
import { translator } from "../i18n/locales.ts";
import { badgeText, titleWithBadge, unreadTotal } from "./badge.ts";
import { noticeText, trackMine, trackQueue } from "./notice-text.ts";
import { parsePrefs } from "./notification-prefs.ts";
import type { Notice } from "./notification-rules.ts";
import { readConversationParam } from "./open-conversation.ts";
import { isOwnAction, noteOwnAction, ownActionWindowMs } from "./own-actions.ts";
import { conversation } from "./test-fixtures.ts";
import { toneSequence } from "./tones.ts";

const updated = (seq: number, patch: Parameters<typeof conversation>[0]): RealtimeEvent => ({
  seq,
  type: "conversation.updated",
  storeId: "s1",
  conversation: conversation(patch),
});

describe("unread badge", () => {
  it("counts unread messages of my open conversations, the later source winning", () => {
    const loaded = new Map([
      ["a", conversation({ id: "a", assigneeId: "me", unreadCount: 2 })],
      ["b", conversation({ id: "b", assigneeId: "me", unreadCount: 5, status: "resolved" })],
      ["c", conversation({ id: "c", assigneeId: "other", unreadCount: 7 })],
    ]);
    // The inbox store has read "a" meanwhile, and knows "d".
    const inbox = new Map([
      ["a", conversation({ id: "a", assigneeId: "me", unreadCount: 0 })],
      ["d", conversation({ id: "d", assigneeId: "me", unreadCount: 1 })],
    ]);
    expect(unreadTotal([loaded], "me")).toBe(2);
    expect(unreadTotal([loaded, inbox], "me")).toBe(1);
  });

  it("puts the count before the title, replacing an earlier one", () => {
    expect(titleWithBadge("云席 Yunxi", 3)).toBe("(3) 云席 Yunxi");
    expect(titleWithBadge("(3) 云席 Yunxi", 12)).toBe("(12) 云席 Yunxi");
    expect(titleWithBadge("(99+) 云席 Yunxi", 0)).toBe("云席 Yunxi");
    expect(titleWithBadge("云席", 250)).toBe("(99+) 云席");
    expect(badgeText(7)).toBe("7");
  });
});

describe("tracking from events", () => {
  it("keeps my open conversations current", () => {
    const start = new Map([["a", conversation({ id: "a", assigneeId: "me" })]]);
    expect(trackMine(start, [updated(1, { id: "z", assigneeId: "other" })], "me")).toBe(start);
    const next = trackMine(start, [updated(2, { id: "b", assigneeId: "me", unreadCount: 1 })], "me");
    expect([...next.keys()]).toEqual(["a", "b"]);
    const after = trackMine(
      next,
      [updated(3, { id: "a", assigneeId: "other" }), updated(4, { id: "b", assigneeId: "me", status: "resolved" })],
      "me",
    );
    expect(after.size).toBe(0);
  });

  it("keeps the queue current", () => {
    const empty: ReadonlySet<string> = new Set();
    const queued = trackQueue(empty, [updated(1, { id: "q", assigneeId: null, status: "open" })]);
    expect([...queued]).toEqual(["q"]);
    expect(trackQueue(queued, [updated(2, { id: "q", assigneeId: null, status: "open" })])).toBe(queued);
    expect(trackQueue(queued, [updated(3, { id: "q", assigneeId: "me" })]).size).toBe(0);
  });
});

describe("notice texts", () => {
  const t = translator("zh-CN");
  const base: Notice = {
    event: "new_message",
    level: "normal",
    personal: true,
    conversation: conversation(),
    tag: "yunxi:c1",
    text: "  在吗？\n 我的快递  还没到 ",
    slaKind: null,
  };

  it("name the buyer, the store and quote the message", () => {
    expect(noticeText(base, { queueSize: 0, t })).toEqual({ title: "小王 发来新消息", body: "在吗？ 我的快递 还没到" });
    expect(noticeText({ ...base, event: "assigned", text: null }, { queueSize: 0, t })).toEqual({
      title: "新会话分配给你",
      body: "小王 · 淘宝-旗舰店",
    });
    expect(
      noticeText({ ...base, event: "sla_breach", slaKind: "first_response", text: null }, { queueSize: 0, t }).title,
    ).toBe("首次响应已超时");
    expect(noticeText({ ...base, event: "unassigned_waiting", personal: false }, { queueSize: 4, t }).title).toBe(
      "4 个会话等待分配",
    );
    const long = noticeText({ ...base, event: "mention", text: "很".repeat(300) }, { queueSize: 0, t });
    expect(long.body.split("\n")[1]?.length).toBe(120);
  });
});

describe("sounds", () => {
  it("one tone per level, two rising tones for high priority", () => {
    expect(toneSequence("low")).toHaveLength(1);
    expect(toneSequence("normal")).toHaveLength(1);
    const high = toneSequence("high");
    expect(high).toHaveLength(2);
    expect(high[1]!.frequency).toBeGreaterThan(high[0]!.frequency);
    expect(high[1]!.startAt).toBeGreaterThanOrEqual(high[0]!.startAt + high[0]!.duration);
    expect(toneSequence("low")[0]!.frequency).not.toBe(toneSequence("normal")[0]!.frequency);
  });
});

describe("preferences, own actions, addresses", () => {
  it("reads stored preferences defensively", () => {
    expect(parsePrefs(null)).toEqual({ muted: false, desktop: "background" });
    expect(parsePrefs('{"muted":true,"desktop":"always"}')).toEqual({ muted: true, desktop: "always" });
    expect(parsePrefs('{"muted":"yes","desktop":"loud"}')).toEqual({ muted: false, desktop: "background" });
    expect(parsePrefs("not json")).toEqual({ muted: false, desktop: "background" });
  });

  it("remembers my own assignment actions for a while", () => {
    noteOwnAction("c42", 1_000);
    expect(isOwnAction("c42", 1_000 + ownActionWindowMs)).toBe(true);
    expect(isOwnAction("c42", 1_001 + ownActionWindowMs)).toBe(false);
    expect(isOwnAction("c43", 1_000)).toBe(false);
  });

  it("reads ?conversation= from a desktop notification's address", () => {
    expect(readConversationParam("?conversation=c7&x=1")).toEqual({ id: "c7", rest: "?x=1" });
    expect(readConversationParam("?conversation=")).toEqual({ id: null, rest: "" });
    expect(readConversationParam("")).toEqual({ id: null, rest: "" });
  });
});

describe("service worker (public/sw.js)", () => {
  type Handler = (event: unknown) => void;
  const source = readFileSync(new URL("../../public/sw.js", import.meta.url), "utf8");
  const handlers = new Map<string, Handler>();
  const fakeSelf = {
    location: { origin: "https://yunxi.example" },
    addEventListener: (name: string, handler: Handler) => handlers.set(name, handler),
  };
  const strategyFor = new Function("self", `${source}\nreturn strategyFor;`)(fakeSelf) as (request: {
    method: string;
    url: string;
    mode: string;
  }) => string;
  const get = (path: string, mode = "cors") => ({ method: "GET", url: `https://yunxi.example${path}`, mode });

  it("never touches the API, the realtime socket, webhooks or the widget", () => {
    expect(strategyFor(get("/api/conversations"))).toBe("bypass");
    expect(strategyFor(get("/socket.io/?EIO=4&transport=polling"))).toBe("bypass");
    expect(strategyFor(get("/connect/taobao/push"))).toBe("bypass");
    expect(strategyFor(get("/widget.js"))).toBe("bypass");
    expect(strategyFor(get("/widget/k1/session"))).toBe("bypass");
    expect(strategyFor({ ...get("/assets/index-abc.js"), method: "POST" })).toBe("bypass");
    expect(strategyFor(get("/api/auth/me", "navigate"))).toBe("bypass");
    expect(strategyFor({ method: "GET", url: "https://cdn.example/assets/x.js", mode: "cors" })).toBe("bypass");
  });

  it("caches the app shell and the static files", () => {
    expect(strategyFor(get("/", "navigate"))).toBe("shell");
    expect(strategyFor(get("/supervisor", "navigate"))).toBe("shell");
    expect(strategyFor(get("/assets/index-abc123.js"))).toBe("immutable");
    expect(strategyFor(get("/icons/icon-192.png"))).toBe("revalidate");
    expect(strategyFor(get("/manifest.webmanifest"))).toBe("revalidate");
    expect(strategyFor(get("/unknown.txt"))).toBe("bypass");
    expect([...handlers.keys()].sort()).toEqual(["activate", "fetch", "install", "notificationclick"]);
  });
});
