import type { StoreContext } from "../adapter.ts";
import { PlatformError } from "../adapter.ts";
import { callForJson, formPost, gatewayBase, subCodeDetail } from "../http-call.ts";
import { nowOf } from "../toolkit/answers.ts";
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

/** A TOP `error_response`: the platform code, and the sub code that says which check failed. */
export class TopError extends PlatformError {
  readonly subCode: string | undefined;
  constructor(error: TopErrorBody, message: string) {
    super(String(error.code), message, isRetryableTopError(error));
    this.name = "TopError";
    this.subCode = error.sub_code;
  }
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
  const now = nowOf(store);
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

  const url = `${gatewayBase(store.gatewayUrl)}/router/rest`;
  const json = await callForJson(`TOP ${method}`, url, formPost(params), store.timeoutMs);
  const error = json.error_response as TopErrorBody | undefined;
  if (error && typeof error === "object") {
    throw new TopError(error, `${error.msg ?? "TOP error"}${subCodeDetail(error.sub_code, error.sub_msg)}`);
  }
  const body = json[topResponseKey(method)];
  if (!body || typeof body !== "object") {
    throw new PlatformError("bad_response", `TOP ${method} answered without ${topResponseKey(method)}`, true);
  }
  return body as Record<string, unknown>;
}
