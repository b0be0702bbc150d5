import type { StoreContext } from "../adapter.ts";
import { PlatformError } from "../adapter.ts";
import { callForJson, formPost, gatewayBase, subCodeDetail } from "../http-call.ts";
import { nowOf } from "../toolkit/answers.ts";
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
  const now = nowOf(store);
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

  const url = `${gatewayBase(store.gatewayUrl)}/api/router`;
  const envelope = await callForJson(`POP ${type}`, url, formPost(params), store.timeoutMs);
  const error = envelope.error_response as PopErrorBody | undefined;
  if (error && typeof error === "object") {
    throw new PlatformError(
      String(error.error_code),
      `${error.error_msg ?? "POP error"}${subCodeDetail(error.sub_code, error.sub_msg)}`,
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
