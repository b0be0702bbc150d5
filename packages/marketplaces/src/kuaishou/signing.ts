import { createHmac } from "node:crypto";
import { md5Hex } from "../signing.ts";

/**
 * Kuaishou (快手电商开放平台) request signing, as documented:
 * every parameter but `sign` (appkey, method, version, param, access_token,
 * timestamp in ms, signMethod), sorted by name, joined as `k=v&k=v…`, then
 * `&signSecret=<signSecret>` appended. `MD5`: MD5 of that, lowercase hex;
 * `HMAC_SHA256`: HMAC-SHA256 keyed by the signSecret, Base64. The signSecret is
 * a credential of its own: the appSecret serves OAuth only.
 */

export const kuaishouSignMethods = ["MD5", "HMAC_SHA256"] as const;
export type KuaishouSignMethod = (typeof kuaishouSignMethods)[number];

export function isKuaishouSignMethod(value: string | undefined): value is KuaishouSignMethod {
  return (kuaishouSignMethods as readonly string[]).includes(value ?? "");
}

export function kuaishouSignString(params: Record<string, string | undefined>, signSecret: string): string {
  const pairs = Object.keys(params)
    .filter((name) => name !== "sign" && params[name] !== undefined)
    .sort()
    .map((name) => `${name}=${params[name]}`);
  return `${pairs.join("&")}&signSecret=${signSecret}`;
}

export function kuaishouSign(
  params: Record<string, string | undefined>,
  signSecret: string,
  signMethod: KuaishouSignMethod,
): string {
  const s = kuaishouSignString(params, signSecret);
  return signMethod === "MD5" ? md5Hex(s) : createHmac("sha256", signSecret).update(s, "utf8").digest("base64");
}

/** `open.order.detail` is served at `/open/order/detail`. */
export function kuaishouMethodPath(method: string): string {
  return `/${method.replaceAll(".", "/")}`;
}
