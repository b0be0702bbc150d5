import type { AuthorizationState, StoreAuthorization } from "@yunxi/contracts";
import type { MessageKey } from "../i18n/zh-CN.ts";

type BadgeStatus = "success" | "warning" | "error" | "default";

/** How each authorization state looks in the stores table: 已授权 / 即将过期 / 授权失效 / 未授权. */
export const authorizationLooks: Record<AuthorizationState, { status: BadgeStatus; text: MessageKey }> = {
  authorized: { status: "success", text: "authorization.authorized" },
  expiring: { status: "warning", text: "authorization.expiring" },
  lapsed: { status: "error", text: "authorization.lapsed" },
  not_authorized: { status: "default", text: "authorization.not_authorized" },
  not_required: { status: "default", text: "authorization.not_required" },
};

/** A store never authorized is "授权"ed; any other is "重新授权"ed (the same flow, a fresh grant). */
export function authorizeActionKey(authorization: Pick<StoreAuthorization, "state">): MessageKey {
  return authorization.state === "not_authorized" ? "stores.authorize" : "stores.reauthorize";
}

/** The store whose consent just completed: the server sends the browser to `/admin/stores?authorized=<id>`. */
export function authorizedStoreId(search: string): string | null {
  const value = new URLSearchParams(search).get("authorized");
  return value ? value : null;
}

/** The search string without `authorized`, so a reload does not announce the success again. */
export function withoutAuthorizedParam(search: string): string {
  const params = new URLSearchParams(search);
  params.delete("authorized");
  const rest = params.toString();
  return rest ? `?${rest}` : "";
}

/** Whether an expiry should be worded as past ("已于 … 失效") rather than ahead ("有效期至 …"). */
export function hasExpired(authorization: Pick<StoreAuthorization, "expiresAt">, now: number): boolean {
  return authorization.expiresAt !== null && Date.parse(authorization.expiresAt) <= now;
}
