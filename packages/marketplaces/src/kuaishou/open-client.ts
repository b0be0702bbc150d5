import type { StoreContext } from "../adapter.ts";
import { PlatformError } from "../adapter.ts";
import { callForJson, formPost, gatewayBase } from "../http-call.ts";
import { nowOf } from "../toolkit/answers.ts";
import { type KuaishouSignMethod, kuaishouMethodPath, kuaishouSign } from "./signing.ts";

/**
 * Calls to the Kuaishou open platform.
 * - API: `POST ${gatewayUrl}/open/...` (the method with '.'→'/'), form-encoded
 *   `appkey, method, version=1, param` (JSON), `access_token, timestamp` (ms),
 *   `signMethod, sign`; the answer is `{result, error_msg, data}` with
 *   result 1 for success.
 * - OAuth: `POST ${gatewayUrl}/oauth2/access_token` and `/oauth2/refresh_token`
 *   with `app_id, app_secret, grant_type, code | refresh_token`, answering
 *   `{result, access_token, expires_in, refresh_token,
 *   refresh_token_expires_in, open_id, scopes}`.
 */

const signMethod: KuaishouSignMethod = "HMAC_SHA256";

export interface KuaishouEnvelope {
  result: number;
  error_msg?: string;
  msg?: string;
  data?: unknown;
}

/**
 * Result codes other than 1 are refusals. 802006 (API quota exhausted, seen in
 * Kuaishou's answers) and the 5xxxx range (platform faults, as the simulator
 * models them) pass with time; the rest are the caller's.
 */
export const kuaishouQuotaCode = 802006;
export function isRetryableKuaishouResult(result: number): boolean {
  return result === kuaishouQuotaCode || (result >= 50000 && result < 60000);
}

/** POST the form to `path` and read the `{result}` envelope. */
async function callEnvelope(
  store: StoreContext,
  label: string,
  path: string,
  params: Record<string, string>,
): Promise<KuaishouEnvelope & Record<string, unknown>> {
  const url = `${gatewayBase(store.gatewayUrl)}${path}`;
  const envelope = (await callForJson(label, url, formPost(params), store.timeoutMs)) as KuaishouEnvelope &
    Record<string, unknown>;
  if (typeof envelope.result !== "number") throw new PlatformError("bad_response", `${label} answered no result`, true);
  if (envelope.result !== 1) {
    throw new PlatformError(
      String(envelope.result),
      `${envelope.error_msg ?? envelope.msg ?? "快手 error"}`,
      isRetryableKuaishouResult(envelope.result),
    );
  }
  return envelope;
}

export async function callKuaishou(
  store: StoreContext,
  method: string,
  param: Record<string, unknown>,
): Promise<unknown> {
  const { appKey, accessToken, signSecret } = store.credentials;
  if (!signSecret) {
    throw new PlatformError("missing_sign_secret", "快手需要单独的 signSecret 才能签名请求", false);
  }
  if (!accessToken) throw new PlatformError("no_access_token", "store is not authorized", false);
  const now = nowOf(store);
  const params: Record<string, string> = {
    appkey: appKey,
    method,
    version: "1",
    param: JSON.stringify(param),
    access_token: accessToken,
    timestamp: String(now.getTime()),
    signMethod,
  };
  params.sign = kuaishouSign(params, signSecret, signMethod);
  return (await callEnvelope(store, `快手 ${method}`, kuaishouMethodPath(method), params)).data;
}

export async function callKuaishouOAuth(
  store: StoreContext,
  path: "/oauth2/access_token" | "/oauth2/refresh_token",
  params: Record<string, string>,
): Promise<Record<string, unknown>> {
  const form = { app_id: store.credentials.appKey, app_secret: store.credentials.appSecret, ...params };
  return callEnvelope(store, `快手 ${path}`, path, form);
}
