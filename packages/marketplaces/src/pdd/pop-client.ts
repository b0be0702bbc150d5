import type { StoreContext } from "../adapter.ts";
import { PlatformError } from "../adapter.ts";
import { callPlatform, isRetryableHttpStatus, jsonBody } from "../http-call.ts";
import { popSign, popTimestamp } from "./signing.ts";

/**
 * One call to the POP gateway `${gatewayUrl}/api/router`: common parameters
 * (`type, client_id, timestamp, data_type=JSON`, `access_token` unless the call
 * is the token exchange itself), business parameters at the same level (objects
 * as JSON strings, as POP asks), the signature, a form-encoded POST, and the
 * `{"<name>_response": …}` / `{"error_response": …}` envelope.
 */

export interface PopErrorBody {
  error_code: number;
  error_msg?: string;
  sub_code?: string;
  sub_msg?: string;
}

/**
 * POP codes: 10000-range parameter and token errors and 20000-range
 * signature/permission errors are the caller's (20004 bad signature, 10019
 * expired access_token); 70031 "调用过于频繁" is the rate limit and 5xxxx
 * platform faults, which pass with time.
 */
export const popRateLimitCode = 70031;
export function isRetryablePopError(error: PopErrorBody): boolean {
  if (error.sub_code?.startsWith("isp")) return true;
  return error.error_code === popRateLimitCode || error.error_code >= 50000;
}

export async function callPop(
  store: StoreContext,
  type: string,
  businessParams: Record<string, string>,
  options: { withToken?: boolean } = {},
): Promise<Record<string, unknown>> {
  const now = store.now?.() ?? new Date();
  const params: Record<string, string> = {
    ...businessParams,
    type,
    client_id: store.credentials.appKey,
    timestamp: popTimestamp(now),
    data_type: "JSON",
  };
  if (options.withToken !== false) {
    if (!store.credentials.accessToken) throw new PlatformError("no_access_token", "store is not authorized", false);
    params.access_token = store.credentials.accessToken;
  }
  params.sign = popSign(params, store.credentials.appSecret);

  const url = `${store.gatewayUrl.replace(/\/+$/, "")}/api/router`;
  const label = `POP ${type}`;
  const answer = await callPlatform(
    label,
    url,
    {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded;charset=utf-8" },
      body: new URLSearchParams(params).toString(),
    },
    store.timeoutMs,
  );
  if (answer.status < 200 || answer.status >= 300) {
    throw new PlatformError(
      `http_${answer.status}`,
      `${label} answered HTTP ${answer.status}`,
      isRetryableHttpStatus(answer.status),
    );
  }
  const envelope = jsonBody(label, answer);
  const error = envelope.error_response as PopErrorBody | undefined;
  if (error && typeof error === "object") {
    const detail = error.sub_code ? ` (${error.sub_code}${error.sub_msg ? `: ${error.sub_msg}` : ""})` : "";
    throw new PlatformError(
      String(error.error_code),
      `${error.error_msg ?? "POP error"}${detail}`,
      isRetryablePopError(error),
    );
  }
  // POP names the answer after the method, but not mechanically
  // (pdd.order.information.get → order_info_get_response): take the one there is.
  const key = Object.keys(envelope).find((k) => k.endsWith("_response"));
  const body = key ? envelope[key] : undefined;
  if (!body || typeof body !== "object") {
    throw new PlatformError("bad_response", `POP ${type} answered without a *_response`, true);
  }
  return body as Record<string, unknown>;
}
