import type { StoreContext } from "../adapter.ts";
import { PlatformError } from "../adapter.ts";
import { callForJson, formPost, gatewayBase } from "../http-call.ts";
import { nowOf } from "../toolkit/answers.ts";
import { formatJdTimestamp, jdSign } from "./signing.ts";

/**
 * One call to the JOS gateway `${gatewayUrl}/routerjson`: common parameters
 * `method, app_key, access_token, timestamp, v=2.0`, the business parameters as
 * one JSON string `360buy_param_json`, the signature, form-encoded POST. JOS
 * answers `{"<method with . → _>_responce": …}` (JD's own spelling) or
 * `{"error_response": {code, zh_desc, en_desc}}`.
 *
 * Gateway error codes (published in JD's error table): 2 call limit, 4/5
 * version, 7/8 timestamp (±6 min), 11/12 signature, 14/15 method, 19 invalid
 * access_token. ASSUMED: 1 = service unavailable and 9/10 = missing/invalid
 * app_key (the published table's numbering for these was not at hand). Only 1
 * and 2 pass with time; the rest are the request's fault.
 */

export interface JosErrorBody {
  code: string | number;
  zh_desc?: string;
  en_desc?: string;
}

const retryableCodes = new Set(["1", "2"]);

export function isRetryableJosError(error: JosErrorBody): boolean {
  return retryableCodes.has(String(error.code));
}

/** `jingdong.pop.order.get` answers under `jingdong_pop_order_get_responce`. */
export function josResponseKey(method: string): string {
  return `${method.replaceAll(".", "_")}_responce`;
}

export class JosError extends PlatformError {
  constructor(error: JosErrorBody) {
    super(String(error.code), `${error.zh_desc ?? error.en_desc ?? "JOS error"}`, isRetryableJosError(error));
    this.name = "JosError";
  }
}

export async function callJos(
  store: StoreContext,
  method: string,
  business: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const now = nowOf(store);
  const params: Record<string, string> = {
    method,
    app_key: store.credentials.appKey,
    timestamp: formatJdTimestamp(now),
    v: "2.0",
    "360buy_param_json": JSON.stringify(business),
  };
  if (store.credentials.accessToken) params.access_token = store.credentials.accessToken;
  params.sign = jdSign(params, store.credentials.appSecret);

  const label = `JOS ${method}`;
  const json = await callForJson(
    label,
    `${gatewayBase(store.gatewayUrl)}/routerjson`,
    formPost(params),
    store.timeoutMs,
  );
  const error = json.error_response as JosErrorBody | undefined;
  if (error && typeof error === "object") throw new JosError(error);
  const body = json[josResponseKey(method)];
  if (!body || typeof body !== "object") {
    throw new PlatformError("bad_response", `${label} answered without ${josResponseKey(method)}`, true);
  }
  return body as Record<string, unknown>;
}
