import type { StoreContext } from "../adapter.ts";
import { PlatformError } from "../adapter.ts";
import { formatTopTimestamp, type TopSignMethod, topSign } from "./signing.ts";

/**
 * One call to the TOP gateway `${gatewayUrl}/router/rest`: common parameters,
 * signature, form-encoded POST, and the `{"<name>_response": …}` /
 * `{"error_response": …}` envelope. Everything a caller gets back is either the
 * response object or a PlatformError that says whether trying again can help.
 */

const signMethod: TopSignMethod = "hmac-sha256";

export interface TopErrorBody {
  code: number;
  msg?: string;
  sub_code?: string;
  sub_msg?: string;
}

/** `taobao.trades.sold.get` answers under `trades_sold_get_response`. */
export function topResponseKey(method: string): string {
  return `${method.replace(/^taobao\./, "").replaceAll(".", "_")}_response`;
}

/**
 * TOP's platform codes below 100 are request checks (fail now), except the call
 * limits (4–8) and "service unavailable" (10), which pass with time. Sub codes
 * `isp.*` are the platform's own faults (retry); `isv.*` are the caller's (do not).
 */
export function isRetryableTopError(error: TopErrorBody): boolean {
  if (error.sub_code?.startsWith("isp.")) return true;
  if (error.sub_code?.startsWith("isv.")) return false;
  return [4, 5, 6, 7, 8, 10].includes(error.code);
}

export async function callTop(
  store: StoreContext,
  method: string,
  businessParams: Record<string, string>,
): Promise<Record<string, unknown>> {
  const now = store.now?.() ?? new Date();
  const params: Record<string, string> = {
    ...businessParams,
    method,
    app_key: store.credentials.appKey,
    timestamp: formatTopTimestamp(now),
    format: "json",
    v: "2.0",
    sign_method: signMethod,
  };
  if (store.credentials.accessToken) params.session = store.credentials.accessToken;
  params.sign = topSign(params, store.credentials.appSecret, signMethod);

  const url = `${store.gatewayUrl.replace(/\/+$/, "")}/router/rest`;
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded;charset=utf-8" },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(store.timeoutMs ?? 10_000),
    });
    text = await response.text();
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    if (name === "TimeoutError" || name === "AbortError") {
      throw new PlatformError("timeout", `TOP ${method} timed out`, true);
    }
    throw new PlatformError("network", `TOP ${method} failed: ${(error as Error).message}`, true);
  }

  if (!response.ok) {
    const retryable = response.status >= 500 || response.status === 429 || response.status === 408;
    throw new PlatformError(`http_${response.status}`, `TOP ${method} answered HTTP ${response.status}`, retryable);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // A 200 that is not JSON is a proxy or gateway hiccup, not our request's fault.
    throw new PlatformError("bad_response", `TOP ${method} answered non-JSON`, true);
  }
  const envelope = (json ?? {}) as Record<string, unknown>;
  const error = envelope.error_response as TopErrorBody | undefined;
  if (error && typeof error === "object") {
    const detail = error.sub_code ? ` (${error.sub_code}${error.sub_msg ? `: ${error.sub_msg}` : ""})` : "";
    throw new PlatformError(String(error.code), `${error.msg ?? "TOP error"}${detail}`, isRetryableTopError(error));
  }
  const body = envelope[topResponseKey(method)];
  if (!body || typeof body !== "object") {
    throw new PlatformError("bad_response", `TOP ${method} answered without ${topResponseKey(method)}`, true);
  }
  return body as Record<string, unknown>;
}
