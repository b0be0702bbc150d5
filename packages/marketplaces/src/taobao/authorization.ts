import { z } from "zod";
import type { AuthorizationFlow, AuthorizationTokens, StoreContext } from "../adapter.ts";
import { PlatformError } from "../adapter.ts";
import { callPlatform, isRetryableHttpStatus, jsonBody } from "../http-call.ts";

/**
 * TOP OAuth 2.0 (server-side flow), as documented for oauth.taobao.com:
 * - the seller's browser goes to `/authorize?response_type=code&client_id=<app_key>
 *   &redirect_uri=…&state=…&view=web` and comes back to redirect_uri with `code`
 *   and `state`;
 * - `POST /token` (form) with `grant_type=authorization_code, client_id,
 *   client_secret, code, redirect_uri` answers `access_token, token_type,
 *   expires_in, refresh_token, re_expires_in, taobao_user_nick` (URL-encoded),
 *   `taobao_user_id …`; `grant_type=refresh_token, refresh_token` renews;
 * - refusals are OAuth errors `{error, error_description}` with HTTP 4xx.
 * DEVIATION: both live on the gateway URL (not oauth.taobao.com) so that one URL
 * per store points at either the real platform's proxy or the simulator.
 */

const TokenAnswer = z.object({
  access_token: z.string().min(1),
  expires_in: z.union([z.number(), z.string()]).transform(Number),
  refresh_token: z.string().optional(),
  re_expires_in: z.union([z.number(), z.string()]).transform(Number).optional(),
  taobao_user_nick: z.string().optional(),
});

const OAuthError = z.object({ error: z.string(), error_description: z.string().optional() });

function base(gatewayUrl: string): string {
  return gatewayUrl.replace(/\/+$/, "");
}

async function token(store: StoreContext, params: Record<string, string>): Promise<AuthorizationTokens> {
  const label = `TOP oauth ${params.grant_type}`;
  const answer = await callPlatform(
    label,
    `${base(store.gatewayUrl)}/token`,
    {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded;charset=utf-8" },
      body: new URLSearchParams({
        ...params,
        client_id: store.credentials.appKey,
        client_secret: store.credentials.appSecret,
      }).toString(),
    },
    store.timeoutMs,
  );
  if (isRetryableHttpStatus(answer.status)) {
    throw new PlatformError(`http_${answer.status}`, `${label} answered HTTP ${answer.status}`, true);
  }
  const json = jsonBody(label, answer);
  const refusal = OAuthError.safeParse(json);
  if (refusal.success || answer.status >= 400) {
    // invalid_grant (revoked or expired code / refresh token), invalid_client …:
    // asking again will not help; the seller has to authorize again.
    const code = refusal.success ? refusal.data.error : `http_${answer.status}`;
    const detail = refusal.success ? (refusal.data.error_description ?? "") : "";
    throw new PlatformError(code, `${label}: ${code} ${detail}`.trim(), false);
  }
  const parsed = TokenAnswer.safeParse(json);
  if (!parsed.success) throw new PlatformError("bad_response", `${label} answered without access_token`, true);
  const now = (store.now?.() ?? new Date()).getTime();
  const t = parsed.data;
  return {
    accessToken: t.access_token,
    refreshToken: t.refresh_token,
    expiresAt: new Date(now + t.expires_in * 1000),
    refreshExpiresAt: t.re_expires_in ? new Date(now + t.re_expires_in * 1000) : undefined,
    sellerId: t.taobao_user_nick ? decodeURIComponent(t.taobao_user_nick) : undefined,
  };
}

export const taobaoAuthorization: AuthorizationFlow = {
  authorizeUrl({ gatewayUrl, appKey, redirectUri, state }) {
    const query = new URLSearchParams({
      response_type: "code",
      client_id: appKey,
      redirect_uri: redirectUri,
      state,
      view: "web",
    });
    return `${base(gatewayUrl)}/authorize?${query.toString()}`;
  },
  exchangeCode: (store, { code, redirectUri }) =>
    token(store, { grant_type: "authorization_code", code, redirect_uri: redirectUri }),
  refresh: (store, refreshToken) => token(store, { grant_type: "refresh_token", refresh_token: refreshToken }),
};
