import { createHmac } from "node:crypto";
import { md5Hex } from "../signing.ts";

/**
 * Douyin 抖店 open platform request signing, as documented:
 * - the business parameters travel as `param_json`: JSON with object keys
 *   sorted (we sort at every depth, as the official SDKs' sorted maps do), no
 *   spaces, no HTML escaping (JSON.stringify escapes none of < > &);
 * - the string to sign is secret + "app_key"+ak + "method"+m + "param_json"+pj
 *   + "timestamp"+ts + "v"+"2" + secret, where ts is Unix seconds;
 * - `sign_method=hmac-sha256`: HMAC-SHA256 keyed by the app secret, lowercase
 *   hex; `md5`: MD5 of the same string, lowercase hex.
 * Pushes are signed differently: header `event-sign` = md5(app_key + raw body + app_secret).
 */

export const douyinSignMethods = ["hmac-sha256", "md5"] as const;
export type DouyinSignMethod = (typeof douyinSignMethods)[number];

export function isDouyinSignMethod(value: string | undefined): value is DouyinSignMethod {
  return (douyinSignMethods as readonly string[]).includes(value ?? "");
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .filter((key) => record[key] !== undefined)
        .map((key) => [key, sortKeys(record[key])]),
    );
  }
  return value;
}

/** `param_json` exactly as it is signed and sent. `{}` when there are no business parameters. */
export function douyinParamJson(params: Record<string, unknown>): string {
  return JSON.stringify(sortKeys(params));
}

export interface DouyinSignInput {
  appKey: string;
  method: string;
  paramJson: string;
  timestamp: string;
}

export function douyinSignString(input: DouyinSignInput, appSecret: string): string {
  const { appKey, method, paramJson, timestamp } = input;
  return `${appSecret}app_key${appKey}method${method}param_json${paramJson}timestamp${timestamp}v2${appSecret}`;
}

export function douyinSign(input: DouyinSignInput, appSecret: string, signMethod: DouyinSignMethod): string {
  const s = douyinSignString(input, appSecret);
  return signMethod === "md5" ? md5Hex(s) : createHmac("sha256", appSecret).update(s, "utf8").digest("hex");
}

/** The `event-sign` header of a push: md5(app_key + raw body + app_secret), lowercase hex. */
export function douyinPushSign(appKey: string, rawBody: string, appSecret: string): string {
  return md5Hex(`${appKey}${rawBody}${appSecret}`);
}

/** `order.orderDetail` is served at `/order/orderDetail`. */
export function douyinMethodPath(method: string): string {
  return `/${method.replaceAll(".", "/")}`;
}
