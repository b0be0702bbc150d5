import { z } from "zod";
import type { AuthorizationFlow, AuthorizationTokens, StoreContext } from "../adapter.ts";
import { PlatformError } from "../adapter.ts";
import { callPlatform, isRetryableHttpStatus, jsonBody } from "../http-call.ts";

/**
 * JD OAuth 2.0 for 自研/ISV apps, as documented for open-oauth.jd.com:
 * - the seller's browser goes to `/oauth2/to_login?app_key=…&response_type=code
 *   &redirect_uri=…&state=…&scope=snsapi_base` and comes back with `code`, `state`;
 * - `GET /oauth2/access_token?app_key&app_secret&grant_type=authorization_code&code`
 *   answers `{access_token, expires_in, refresh_token, scope, open_id, uid, time,
 *   token_type, code: 0}`; `GET /oauth2/refresh_token?app_key&app_secret
 *   &grant_type=refresh_token&refresh_token` renews;
 * - ASSUMED: a refusal is `{code: <non-zero>, msg}` (HTTP 200 or 4xx), e.g. 402
 *   invalid code / refresh token; and `uid` names the seller account.
 * DEVIATION: served on the gateway URL (not open-oauth.jd.com) so one URL per
 * store points at either the real platform's proxy or the simulator.
 */

const TokenAnswer = z.object({
  access_token: z.string().min(1),
  expires_in: z.union([z.number(), z.string()]).transform(Number),
  refresh_token: z.string().optional(),
  uid: z.string().optional(),
  open_id: z.string().optional(),
});
const Refusal = z.object({ code: z.union([z.number(), z.string()]).transform(String), msg: z.string().optional() });

/** JD issues refresh tokens for a year (documented); the answer does not say so itself. */
const refreshLifetimeMs = 365 * 24 * 3600 * 1000;

function base(gatewayUrl: string): string {
  return gatewayUrl.replace(/\/+$/, "");
}

async function token(store: StoreContext, path: string, params: Record<string, string>): Promise<AuthorizationTokens> {
  const label = `JD oauth ${params.grant_type}`;
  const query = new URLSearchParams({
    app_key: store.credentials.appKey,
    app_secret: store.credentials.appSecret,
    ...params,
  });
  const answer = await callPlatform(
    label,
    `${base(store.gatewayUrl)}${path}?${query}`,
    { method: "GET" },
    store.timeoutMs,
  );
  if (isRetryableHttpStatus(answer.status)) {
    throw new PlatformError(`http_${answer.status}`, `${label} answered HTTP ${answer.status}`, true);
  }
  const json = jsonBody(label, answer);
  const refusal = Refusal.safeParse(json);
  if ((refusal.success && refusal.data.code !== "0") || answer.status >= 400) {
    const code = refusal.success ? refusal.data.code : `http_${answer.status}`;
    // A bad code or a revoked / expired refresh token: the seller has to authorize again.
    throw new PlatformError(code, `${label}: ${refusal.success ? (refusal.data.msg ?? "") : ""}`.trim(), false);
  }
  const parsed = TokenAnswer.safeParse(json);
  if (!parsed.success) throw new PlatformError("bad_response", `${label} answered without access_token`, true);
  const now = (store.now?.() ?? new Date()).getTime();
  return {
    accessToken: parsed.data.access_token,
    refreshToken: parsed.data.refresh_token,
    expiresAt: new Date(now + parsed.data.expires_in * 1000),
    refreshExpiresAt: parsed.data.refresh_token ? new Date(now + refreshLifetimeMs) : undefined,
    sellerId: parsed.data.uid,
  };
}

export const jdAuthorization: AuthorizationFlow = {
  authorizeUrl({ gatewayUrl, appKey, redirectUri, state }) {
    const query = new URLSearchParams({
      app_key: appKey,
      response_type: "code",
      redirect_uri: redirectUri,
      state,
      scope: "snsapi_base",
    });
    return `${base(gatewayUrl)}/oauth2/to_login?${query.toString()}`;
  },
  exchangeCode: (store, { code }) => token(store, "/oauth2/access_token", { grant_type: "authorization_code", code }),
  refresh: (store, refreshToken) =>
    token(store, "/oauth2/refresh_token", { grant_type: "refresh_token", refresh_token: refreshToken }),
};
