import { authorizeStep, type GrantLedger } from "../grants.ts";
import type { GatewayResponse, GatewayRoute } from "../personality.ts";
import type { World } from "../world.ts";

/**
 * TOP OAuth on the simulator's gateway: `GET /authorize` (response_type=code,
 * client_id, redirect_uri, state) redirects back with a code; `POST /token`
 * (form: grant_type authorization_code | refresh_token, client_id,
 * client_secret, code + redirect_uri | refresh_token) answers the token JSON
 * of oauth.taobao.com, or `{error, error_description}` with HTTP 400/401.
 */

export function taobaoOAuthRoutes(world: World, ledger: GrantLedger, now: () => Date): GatewayRoute[] {
  const stores = () => world.stores.filter((s) => s.platform === "taobao");

  const token = (p: Record<string, string>): GatewayResponse => {
    const appKey = p.client_id ?? "";
    const appSecret = p.client_secret ?? "";
    const outcome =
      p.grant_type === "authorization_code" && p.code
        ? ledger.exchange({ appKey, appSecret, code: p.code, redirectUri: p.redirect_uri })
        : p.grant_type === "refresh_token" && p.refresh_token
          ? ledger.refresh({ appKey, appSecret, refreshToken: p.refresh_token })
          : ({ ok: false, error: "invalid_request", description: "grant_type 或参数缺失" } as const);
    if (!outcome.ok) {
      const status = outcome.error === "invalid_client" ? 401 : 400;
      return { status, body: { error: outcome.error, error_description: outcome.description } };
    }
    const { grant, store } = outcome;
    const nowMs = now().getTime();
    const expiresIn = Math.round((grant.expiresAt - nowMs) / 1000);
    const reExpiresIn = Math.round((grant.refreshExpiresAt - nowMs) / 1000);
    return {
      status: 200,
      body: {
        access_token: grant.accessToken,
        token_type: "Bearer",
        expires_in: Math.max(expiresIn, 0),
        refresh_token: grant.refreshToken,
        re_expires_in: Math.max(reExpiresIn, 0),
        expire_time: grant.expiresAt,
        refresh_token_valid_time: grant.refreshExpiresAt,
        taobao_user_nick: encodeURIComponent(store.sellerId),
        taobao_user_id: store.storeKey,
        w1_expires_in: expiresIn,
        r1_expires_in: expiresIn,
      },
    };
  };

  return [
    {
      method: "GET",
      url: "/authorize",
      handle: ({ query }) =>
        query.response_type !== "code"
          ? { status: 400, body: { error: "unsupported_response_type", error_description: "response_type=code" } }
          : authorizeStep({
              ledger,
              stores: stores(),
              query,
              appKey: query.client_id,
              redirectUri: query.redirect_uri,
              state: query.state,
              platformName: "淘宝",
            }),
    },
    { method: "POST", url: "/token", handle: ({ query, form }) => token({ ...query, ...form }) },
  ];
}
