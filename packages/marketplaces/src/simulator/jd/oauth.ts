import { authorizeStep, type GrantLedger, type GrantOutcome } from "../grants.ts";
import type { GatewayResponse, GatewayRoute } from "../personality.ts";
import type { World } from "../world.ts";

/**
 * JD OAuth on the simulator's gateway (open-oauth.jd.com's paths):
 * `GET /oauth2/to_login` redirects back with a code; `GET /oauth2/access_token`
 * and `GET /oauth2/refresh_token` answer the token JSON with `code: 0`, or
 * `{code, msg}` (ASSUMED: 401 bad app, 402 bad code / refresh token, 400 bad
 * request), HTTP 200 as JD answers.
 */

const refusalCodes = { invalid_client: 401, invalid_grant: 402, invalid_request: 400 } as const;

export function jdOAuthRoutes(world: World, ledger: GrantLedger, now: () => Date): GatewayRoute[] {
  const stores = () => world.stores.filter((s) => s.platform === "jd");

  const answer = (outcome: GrantOutcome): GatewayResponse => {
    if (!outcome.ok) return { status: 200, body: { code: refusalCodes[outcome.error], msg: outcome.description } };
    const { grant, store } = outcome;
    return {
      status: 200,
      body: {
        access_token: grant.accessToken,
        expires_in: Math.max(0, Math.round((grant.expiresAt - now().getTime()) / 1000)),
        refresh_token: grant.refreshToken,
        scope: "snsapi_base",
        open_id: `open_${store.storeKey}`,
        uid: store.sellerId,
        time: now().getTime(),
        token_type: "bearer",
        code: 0,
        xid: `o*${store.storeKey}`,
      },
    };
  };

  const credentials = (q: Record<string, string>) => ({ appKey: q.app_key ?? "", appSecret: q.app_secret ?? "" });
  const badRequest = { ok: false, error: "invalid_request", description: "参数缺失" } as const;

  return [
    {
      method: "GET",
      url: "/oauth2/to_login",
      handle: ({ query }) =>
        authorizeStep({
          ledger,
          stores: stores(),
          query,
          appKey: query.app_key,
          redirectUri: query.redirect_uri,
          state: query.state,
          platformName: "京东",
        }),
    },
    {
      method: "GET",
      url: "/oauth2/access_token",
      handle: ({ query }) =>
        answer(
          query.grant_type === "authorization_code" && query.code
            ? ledger.exchange({ ...credentials(query), code: query.code })
            : badRequest,
        ),
    },
    {
      method: "GET",
      url: "/oauth2/refresh_token",
      handle: ({ query }) =>
        answer(
          query.grant_type === "refresh_token" && query.refresh_token
            ? ledger.refresh({ ...credentials(query), refreshToken: query.refresh_token })
            : badRequest,
        ),
    },
  ];
}
