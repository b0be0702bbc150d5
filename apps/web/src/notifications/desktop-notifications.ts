import { useCallback, useEffect, useState } from "react";

/** The browser's Notification API, with its permission prompt; "unsupported" where it is missing. */
export type DesktopPermission = NotificationPermission | "unsupported";

export function desktopPermission(): DesktopPermission {
  return typeof Notification === "undefined" ? "unsupported" : Notification.permission;
}

/** The permission, kept current (the user may change it in the browser's site settings), and a way to ask. */
export function useDesktopPermission(): { permission: DesktopPermission; request: () => Promise<DesktopPermission> } {
  const [permission, setPermission] = useState<DesktopPermission>(desktopPermission);

  useEffect(() => {
    if (typeof navigator === "undefined" || !navigator.permissions?.query) return;
    let status: PermissionStatus | null = null;
    const update = () => setPermission(desktopPermission());
    navigator.permissions.query({ name: "notifications" }).then(
      (result) => {
        status = result;
        result.addEventListener("change", update);
      },
      () => undefined,
    );
    return () => status?.removeEventListener("change", update);
  }, []);

  const request = useCallback(async () => {
    if (typeof Notification === "undefined") return "unsupported" as const;
    const answer = await Notification.requestPermission();
    setPermission(answer);
    return answer;
  }, []);

  return { permission, request };
}

export type DesktopNotice = { title: string; body: string; tag: string; conversationId: string | null };

/**
 * Shows a desktop notification; clicking it brings the tab to the front and calls `onClick`.
 * Where the page cannot construct one (Chrome on Android, with a service worker), the service
 * worker shows it; its click comes back as a message (see sw.js and the notification center).
 */
export function showDesktopNotification(notice: DesktopNotice, onClick: () => void): void {
  if (desktopPermission() !== "granted") return;
  const options: NotificationOptions = {
    body: notice.body,
    tag: notice.tag,
    icon: "/icons/icon-192.png",
    badge: "/icons/icon-192.png",
    data: { conversationId: notice.conversationId },
  };
  try {
    const shown = new Notification(notice.title, options);
    shown.onclick = () => {
      window.focus();
      onClick();
      shown.close();
    };
  } catch {
    navigator.serviceWorker?.ready
      .then((registration) => registration.showNotification(notice.title, options))
      .catch(() => undefined);
  }
}
