import type { StoreContext } from "../adapter.ts";
import { PlatformError } from "../adapter.ts";
import { callForJson, gatewayBase, subCodeDetail } from "../http-call.ts";
import { nowOf } from "../toolkit/answers.ts";
import { type DouyinSignMethod, douyinMethodPath, douyinParamJson, douyinSign } from "./signing.ts";

/**
 * One call to the 抖店 open platform: `POST ${gatewayUrl}/{method with '.'→'/'}`
 * with query `app_key, method, v=2, timestamp, sign_method, access_token, sign`
 * and the business parameters as the JSON body (`param_json`); the answer is
 * `{code, msg, sub_code, sub_msg, log_id, data}` with code 10000 for success.
 */

const signMethod: DouyinSignMethod = "hmac-sha256";
export const douyinSuccessCode = 10000;

export interface DouyinEnvelope {
  code: number;
  msg?: string;
  sub_code?: string;
  sub_msg?: string;
  data?: unknown;
}

/**
 * Documented codes: 10000 success; 20000 服务不可用 (dop.service-error, isp.*:
 * try again); 30001 权限不足 (incl. dop.authorization-no-existed, a revoked
 * grant), 30002 IP not whitelisted, 40001 missing parameter, 40003 invalid
 * parameter (isv.signature-invalid, isv.access-token-expired …), 5xxxx
 * business refusals — the caller's, final. Flow control is retryable.
 */
export function isRetryableDouyinError(envelope: DouyinEnvelope): boolean {
  const sub = envelope.sub_code ?? "";
  if (envelope.code === 20000 || sub.startsWith("isp.") || sub.startsWith("dop.service-error")) return true;
  return /flow-limit|rate-limit|too-many/.test(sub);
}

export async function callDouyin(
  store: StoreContext,
  method: string,
  params: Record<string, unknown>,
  options: { withToken?: boolean } = {},
): Promise<unknown> {
  const now = nowOf(store);
  const paramJson = douyinParamJson(params);
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const { appKey, appSecret, accessToken } = store.credentials;
  const query: Record<string, string> = { app_key: appKey, method, v: "2", timestamp, sign_method: signMethod };
  if (options.withToken !== false) {
    if (!accessToken) throw new PlatformError("no_access_token", "store is not authorized", false);
    query.access_token = accessToken;
  }
  query.sign = douyinSign({ appKey, method, paramJson, timestamp }, appSecret, signMethod);

  const label = `抖店 ${method}`;
  const url = `${gatewayBase(store.gatewayUrl)}${douyinMethodPath(method)}?${new URLSearchParams(query)}`;
  const envelope = (await callForJson(
    label,
    url,
    { method: "POST", headers: { "content-type": "application/json;charset=utf-8" }, body: paramJson },
    store.timeoutMs,
  )) as unknown as DouyinEnvelope;
  if (typeof envelope.code !== "number") throw new PlatformError("bad_response", `${label} answered no code`, true);
  if (envelope.code !== douyinSuccessCode) {
    throw new PlatformError(
      String(envelope.code),
      `${envelope.msg ?? "抖店 error"}${subCodeDetail(envelope.sub_code, envelope.sub_msg)}`,
      isRetryableDouyinError(envelope),
    );
  }
  return envelope.data;
}
