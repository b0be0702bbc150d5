import { adminApi } from "../api/endpoints.ts";

export const adminChannelName = "yunxi.admin";
export type AdminBroadcast = { type: "store.authorized"; storeId: string };

/**
 * Sends the seller to the platform's consent page in a new window. The window is opened before
 * the request, while the click still counts as the user's (popup blockers), then pointed at the
 * platform; if the browser refused the window, this tab goes there instead.
 */
export async function startAuthorization(storeId: string): Promise<"opened" | "redirected"> {
  const popup = window.open("", "_blank");
  try {
    const { authorizeUrl } = await adminApi.authorize(storeId);
    if (popup && !popup.closed) {
      popup.opener = null;
      popup.location.href = authorizeUrl;
      return "opened";
    }
    window.location.assign(authorizeUrl);
    return "redirected";
  } catch (error) {
    popup?.close();
    throw error;
  }
}

/** Tells the admin console in other tabs (the one that opened the consent window) to refresh. */
export function announceAuthorized(storeId: string): void {
  if (typeof BroadcastChannel === "undefined") return;
  const channel = new BroadcastChannel(adminChannelName);
  channel.postMessage({ type: "store.authorized", storeId } satisfies AdminBroadcast);
  channel.close();
}
