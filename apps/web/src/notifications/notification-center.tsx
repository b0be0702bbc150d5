import type { Conversation, RealtimeEvent } from "@yunxi/contracts";
import { NotificationSettings } from "@yunxi/contracts";
import { notification as antdNotification } from "antd";
import type { ReactNode } from "react";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import { assignmentApi, notificationSettingsApi } from "../api/admin-workspace-api.ts";
import { useMe } from "../auth/auth-provider.tsx";
import { useT } from "../i18n/i18n-provider.tsx";
import { desktopPermission, showDesktopNotification } from "./desktop-notifications.ts";
import { noticeText, trackMine, trackQueue } from "./notice-text.ts";
import { getPrefs } from "./notification-prefs.ts";
import type { AssigneeMemory, Notice } from "./notification-rules.ts";
import {
  decideNotices,
  fallbackSettings,
  loudestLevel,
  maxPopupsPerBatch,
  shouldPlaySound,
  shouldShowDesktop,
} from "./notification-rules.ts";
import { requestOpenConversation } from "./open-conversation.ts";
import { isOwnAction } from "./own-actions.ts";
import { playNoticeSound, unlockAudio } from "./tones.ts";
import { useWorkspaceEvents } from "./workspace-events.tsx";

type CenterValue = {
  /** My open conversations (for the unread badge), loaded once and kept current from events. */
  mine: ReadonlyMap<string, Conversation>;
  settings: NotificationSettings;
};

const CenterContext = createContext<CenterValue | null>(null);

/** Fired by sw.js when a desktop notification it showed is clicked in an open tab. */
const swOpenMessage = "yunxi:open-conversation";
const settingsSavedEvent = "yunxi:notification-settings";

/** The settings screen saved new rules: the center of this tab uses them at once. */
export function announceNotificationSettings(settings: NotificationSettings): void {
  window.dispatchEvent(new CustomEvent<NotificationSettings>(settingsSavedEvent, { detail: settings }));
}

/**
 * Listens to the realtime events and tells the user what concerns them (see notification-rules.ts
 * for what): an in-app popup that opens the conversation, a sound per level unless muted, and a
 * desktop notification when the page is in the background (or always, by preference).
 */
export function NotificationCenter({ children }: { children: ReactNode }) {
  const me = useMe();
  const t = useT();
  // Its own popup stack, below the header (the app-wide one would cover the header's controls).
  const [notification, popupHolder] = antdNotification.useNotification({ top: 64, maxCount: maxPopupsPerBatch + 1 });
  const [settings, setSettings] = useState<NotificationSettings>(fallbackSettings);
  const [mine, setMine] = useState<ReadonlyMap<string, Conversation>>(new Map());
  const [settingsAttempt, setSettingsAttempt] = useState(0);
  const [loadAttempt, setLoadAttempt] = useState(0);
  const memory = useRef<AssigneeMemory>(new Map());
  const queue = useRef<ReadonlySet<string>>(new Set());
  const lastSound = useRef<{ level: Notice["level"]; at: number } | null>(null);
  const userId = me.user.id;
  const role = me.user.role;
  const watchesQueue = settings.rules.unassigned_waiting?.includes(role) ?? false;

  // biome-ignore lint/correctness/useExhaustiveDependencies: settingsAttempt is a trigger
  useEffect(() => {
    const controller = new AbortController();
    notificationSettingsApi.get(controller.signal).then(setSettings, () => {
      // Not available (yet): the fallback rules hold; the next resync asks again.
    });
    return () => controller.abort();
  }, [settingsAttempt]);

  // What is already mine or queued is not news: it seeds the memory the rules compare against.
  // biome-ignore lint/correctness/useExhaustiveDependencies: loadAttempt is a trigger
  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    assignmentApi.conversations({ assignee: "me", status: "open", limit: 500 }, signal).then(
      (list) => {
        for (const c of list.items) memory.current.set(c.id, c.assigneeId);
        setMine(new Map(list.items.map((c) => [c.id, c])));
      },
      () => undefined,
    );
    if (watchesQueue) {
      assignmentApi.conversations({ assignee: "unassigned", status: "open", limit: 500 }, signal).then(
        (list) => {
          for (const c of list.items) if (!memory.current.has(c.id)) memory.current.set(c.id, null);
          queue.current = new Set(list.items.map((c) => c.id));
        },
        () => undefined,
      );
    }
    return () => controller.abort();
  }, [loadAttempt, watchesQueue, userId]);

  const present = useCallback(
    (notices: readonly Notice[]) => {
      if (notices.length === 0) return;
      const prefs = getPrefs();
      const pageInFront = document.visibilityState === "visible" && document.hasFocus();
      const permission = desktopPermission();
      const shown = notices.slice(0, maxPopupsPerBatch);
      for (const notice of shown) {
        const { title, body } = noticeText(notice, { queueSize: queue.current.size, t });
        const open = () => {
          requestOpenConversation(notice.conversation.id);
          notification.destroy(notice.tag);
        };
        notification.open({
          key: notice.tag,
          title,
          description: <span className="notice-body">{body}</span>,
          placement: "topRight",
          duration: notice.level === "high" ? 10 : 5,
          className: `notice-popup notice-${notice.level} notice-${notice.event}`,
          onClick: open,
          props: { "data-testid": "notification-popup" },
        });
        if (shouldShowDesktop({ permission, mode: prefs.desktop, pageInFront })) {
          const conversationId = notice.event === "unassigned_waiting" ? null : notice.conversation.id;
          showDesktopNotification({ title, body, tag: notice.tag, conversationId }, open);
        }
      }
      if (notices.length > shown.length) {
        notification.open({
          key: "yunxi:more",
          title: t("notify.more", { count: notices.length - shown.length }),
          placement: "topRight",
          duration: 5,
        });
      }
      const level = loudestLevel(notices);
      const now = Date.now();
      if (level && !prefs.muted && shouldPlaySound(level, lastSound.current, now)) {
        lastSound.current = { level, at: now };
        playNoticeSound(level);
      }
    },
    [notification, t],
  );

  useWorkspaceEvents(
    (events: readonly RealtimeEvent[]) => {
      setMine((current) => trackMine(current, events, userId));
      const notices = decideNotices(events, memory.current, {
        me: { id: userId, role },
        settings,
        isOwnAction: (id) => isOwnAction(id),
        now: Date.now(),
      });
      queue.current = trackQueue(queue.current, events);
      present(notices);
    },
    () => {
      setLoadAttempt((n) => n + 1);
      setSettingsAttempt((n) => n + 1);
    },
  );

  // Audio may only start after a user gesture: the first click or key press unlocks it.
  useEffect(() => {
    const unlock = () => unlockAudio();
    window.addEventListener("pointerdown", unlock, { capture: true, passive: true });
    window.addEventListener("keydown", unlock, { capture: true, passive: true });
    return () => {
      window.removeEventListener("pointerdown", unlock, { capture: true });
      window.removeEventListener("keydown", unlock, { capture: true });
    };
  }, []);

  // A desktop notification shown by the service worker was clicked.
  useEffect(() => {
    const container = navigator.serviceWorker;
    if (!container) return;
    const onMessage = (event: MessageEvent<unknown>) => {
      const data = event.data;
      if (typeof data !== "object" || data === null) return;
      const record = data as Record<string, unknown>;
      if (record.type === swOpenMessage && typeof record.conversationId === "string") {
        requestOpenConversation(record.conversationId);
      }
    };
    container.addEventListener("message", onMessage);
    return () => container.removeEventListener("message", onMessage);
  }, []);

  useEffect(() => {
    const onSaved = (event: Event) => {
      const parsed = NotificationSettings.safeParse(event instanceof CustomEvent ? event.detail : null);
      if (parsed.success) setSettings(parsed.data);
    };
    window.addEventListener(settingsSavedEvent, onSaved);
    return () => window.removeEventListener(settingsSavedEvent, onSaved);
  }, []);

  const value = useMemo<CenterValue>(() => ({ mine, settings }), [mine, settings]);
  return (
    <CenterContext value={value}>
      {popupHolder}
      {children}
    </CenterContext>
  );
}

export function useNotificationCenter(): CenterValue {
  const value = useContext(CenterContext);
  if (!value) throw new Error("useNotificationCenter must be used inside <NotificationCenter>");
  return value;
}
