import { useSyncExternalStore } from "react";

/**
 * This browser's notification preferences, kept in localStorage: sound on or muted, and whether
 * desktop notifications show only when the page is in the background (default) or always.
 */
export type DesktopMode = "background" | "always";
export type NotificationPrefs = { muted: boolean; desktop: DesktopMode };

export const prefsStorageKey = "yunxi.notifications";
const defaults: NotificationPrefs = { muted: false, desktop: "background" };

export function parsePrefs(raw: string | null): NotificationPrefs {
  if (!raw) return defaults;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== "object" || value === null) return defaults;
    const record = value as Record<string, unknown>;
    return {
      muted: typeof record.muted === "boolean" ? record.muted : defaults.muted,
      desktop: record.desktop === "always" ? "always" : "background",
    };
  } catch {
    return defaults;
  }
}

function read(): NotificationPrefs {
  try {
    return parsePrefs(localStorage.getItem(prefsStorageKey));
  } catch {
    return defaults;
  }
}

let current: NotificationPrefs | null = null;
const listeners = new Set<() => void>();

export function getPrefs(): NotificationPrefs {
  current ??= read();
  return current;
}

export function setPrefs(patch: Partial<NotificationPrefs>): void {
  current = { ...getPrefs(), ...patch };
  try {
    localStorage.setItem(prefsStorageKey, JSON.stringify(current));
  } catch {
    // Storage disabled: the choice lasts for this page.
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // Another tab changed them.
  const onStorage = (event: StorageEvent) => {
    if (event.key !== prefsStorageKey) return;
    current = parsePrefs(event.newValue);
    listener();
  };
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}

export function useNotificationPrefs(): NotificationPrefs {
  return useSyncExternalStore(subscribe, getPrefs);
}
