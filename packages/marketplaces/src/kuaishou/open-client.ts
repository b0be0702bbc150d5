import type { StoreContext } from "../adapter.ts";
import { PlatformError } from "../adapter.ts";
import { callPlatform, type HttpAnswer, isRetryableHttpStatus, jsonBody } from "../http-call.ts";
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

function checkHttp(label: string, answer: HttpAnswer): void {
  if (answer.status < 200 || answer.status >= 300) {
    throw new PlatformError(
      `http_${answer.status}`,
      `${label} answered HTTP ${answer.status}`,
      isRetryableHttpStatus(answer.status),
    );
  }
}

function envelopeOf(label: string, answer: HttpAnswer): KuaishouEnvelope & Record<string, unknown> {
  checkHttp(label, answer);
  const envelope = jsonBody(label, answer) as KuaishouEnvelope & Record<string, unknown>;
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

const form = { "content-type": "application/x-www-form-urlencoded;charset=utf-8" };

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
  const now = store.now?.() ?? new Date();
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
  const label = `快手 ${method}`;
  const url = `${store.gatewayUrl.replace(/\/+$/, "")}${kuaishouMethodPath(method)}`;
  const answer = await callPlatform(
    label,
    url,
    { method: "POST", headers: form, body: new URLSearchParams(params).toString() },
    store.timeoutMs,
  );
  return envelopeOf(label, answer).data;
}

export async function callKuaishouOAuth(
  store: StoreContext,
  path: "/oauth2/access_token" | "/oauth2/refresh_token",
  params: Record<string, string>,
): Promise<Record<string, unknown>> {
  const label = `快手 ${path}`;
  const body = new URLSearchParams({
    app_id: store.credentials.appKey,
    app_secret: store.credentials.appSecret,
    ...params,
  }).toString();
  const url = `${store.gatewayUrl.replace(/\/+$/, "")}${path}`;
  const answer = await callPlatform(label, url, { method: "POST", headers: form, body }, store.timeoutMs);
  return envelopeOf(label, answer);
}
