import { randomBytes } from "node:crypto";
import type { PlatformId } from "@yunxi/contracts";
import type { SimStore } from "./options.ts";
import type { GatewayResponse, GatewayRoute } from "./personality.ts";

/**
 * What a simulated platform remembers about sellers' authorizations and the
 * coupons it handed out, shared by the personalities (each keeps its own
 * ledger and speaks its platform's wire format around it):
 * - an authorization code (single use, 10 min) for a store, then an access
 *   token and a refresh token with lifetimes; refreshing rotates the refresh
 *   token and issues a new access token (the old one lives until it expires);
 * - the store's configured access token counts as a grant until revoked;
 * - revoking a store's grant (the seller cancels the app in the platform's
 *   back-office) kills every token of that store at once.
 * Control routes (not platform protocol): `POST /sim/api/<platform>/grants/revoke`
 * `{storeKey}`, `GET /sim/api/<platform>/grants?storeKey=`,
 * `GET /sim/api/<platform>/coupons?storeKey=`.
 */

export interface IssuedGrant {
  storeKey: string;
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
  refreshExpiresAt: number;
}

export type TokenCheck = { ok: true; store: SimStore } | { ok: false; reason: "unknown" | "expired" | "revoked" };

export type GrantOutcome =
  | { ok: true; grant: IssuedGrant; store: SimStore }
  | { ok: false; error: "invalid_client" | "invalid_grant" | "invalid_request"; description: string };

export interface CouponRecord {
  couponId: string;
  storeKey: string;
  buyerNick: string;
  templateId: string;
  grantedAt: string;
}

export interface GrantLedger {
  check(appKey: string, accessToken: string): TokenCheck;
  /** A code for the store the seller picked, bound to the redirect URI. */
  issueCode(store: SimStore, redirectUri: string): string;
  exchange(input: { appKey: string; appSecret: string; code: string; redirectUri?: string | undefined }): GrantOutcome;
  refresh(input: { appKey: string; appSecret: string; refreshToken: string }): GrantOutcome;
  revoke(storeKey: string): void;
  grants(storeKey: string): Array<Omit<IssuedGrant, "accessToken" | "refreshToken"> & { revoked: boolean }>;
  grantCoupon(storeKey: string, buyerNick: string, templateId: string, couponId: string): CouponRecord;
  coupons(storeKey?: string): CouponRecord[];
}

interface CodeEntry {
  storeKey: string;
  redirectUri: string;
  expiresAt: number;
}

const codeLifetimeMs = 10 * 60 * 1000;
const token = (prefix: string) => `${prefix}${randomBytes(24).toString("hex")}`;

export function createGrantLedger(options: {
  stores: () => SimStore[];
  now: () => Date;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
}): GrantLedger {
  const codes = new Map<string, CodeEntry>();
  const byAccess = new Map<string, IssuedGrant>();
  const byRefresh = new Map<string, IssuedGrant>();
  // Revocation and issue order, by a counter (two can share a millisecond).
  let sequence = 0;
  const revokedAt = new Map<string, number>();
  const issuedAt = new Map<IssuedGrant, number>();
  const coupons: CouponRecord[] = [];
  const nowMs = () => options.now().getTime();
  const storeOf = (key: string) => options.stores().find((s) => s.storeKey === key);
  // A grant issued before its store was revoked is dead; one issued after lives.
  const revoked = (grant: IssuedGrant) => (revokedAt.get(grant.storeKey) ?? -1) >= (issuedAt.get(grant) ?? 0);

  const issue = (store: SimStore): IssuedGrant => {
    const at = nowMs();
    const grant: IssuedGrant = {
      storeKey: store.storeKey,
      accessToken: token("at_"),
      refreshToken: token("rt_"),
      expiresAt: at + options.accessTtlSeconds * 1000,
      refreshExpiresAt: at + options.refreshTtlSeconds * 1000,
    };
    issuedAt.set(grant, ++sequence);
    byAccess.set(grant.accessToken, grant);
    byRefresh.set(grant.refreshToken, grant);
    return grant;
  };

  const client = (appKey: string, appSecret: string) =>
    options.stores().some((s) => s.appKey === appKey && s.appSecret === appSecret);

  return {
    check(appKey, accessToken) {
      const grant = byAccess.get(accessToken);
      if (grant) {
        const store = storeOf(grant.storeKey);
        if (!store || store.appKey !== appKey) return { ok: false, reason: "unknown" };
        if (revoked(grant)) return { ok: false, reason: "revoked" };
        if (grant.expiresAt <= nowMs()) return { ok: false, reason: "expired" };
        return { ok: true, store };
      }
      const configured = options.stores().find((s) => s.appKey === appKey && s.accessToken === accessToken);
      if (!configured) return { ok: false, reason: "unknown" };
      return revokedAt.has(configured.storeKey) ? { ok: false, reason: "revoked" } : { ok: true, store: configured };
    },
    issueCode(store, redirectUri) {
      const code = token("");
      codes.set(code, { storeKey: store.storeKey, redirectUri, expiresAt: nowMs() + codeLifetimeMs });
      return code;
    },
    exchange({ appKey, appSecret, code, redirectUri }) {
      if (!client(appKey, appSecret)) return { ok: false, error: "invalid_client", description: "client 无效" };
      const entry = codes.get(code);
      codes.delete(code); // single use, even when the attempt fails
      const store = entry ? storeOf(entry.storeKey) : undefined;
      if (!entry || !store || store.appKey !== appKey || entry.expiresAt <= nowMs()) {
        return { ok: false, error: "invalid_grant", description: "authorization code 无效或已过期" };
      }
      if (redirectUri !== undefined && redirectUri !== entry.redirectUri) {
        return { ok: false, error: "invalid_grant", description: "redirect_uri 与授权时不一致" };
      }
      return { ok: true, grant: issue(store), store };
    },
    refresh({ appKey, appSecret, refreshToken }) {
      if (!client(appKey, appSecret)) return { ok: false, error: "invalid_client", description: "client 无效" };
      const grant = byRefresh.get(refreshToken);
      const store = grant ? storeOf(grant.storeKey) : undefined;
      if (!grant || !store || store.appKey !== appKey || revoked(grant) || grant.refreshExpiresAt <= nowMs()) {
        return { ok: false, error: "invalid_grant", description: "refresh_token 无效、已过期或授权已取消" };
      }
      byRefresh.delete(refreshToken); // rotation: a refresh token works once
      return { ok: true, grant: issue(store), store };
    },
    revoke(storeKey) {
      revokedAt.set(storeKey, ++sequence);
    },
    grants(storeKey) {
      return [...byAccess.values()]
        .filter((g) => g.storeKey === storeKey)
        .map((g) => ({
          storeKey: g.storeKey,
          expiresAt: g.expiresAt,
          refreshExpiresAt: g.refreshExpiresAt,
          revoked: revoked(g),
        }));
    },
    grantCoupon(storeKey, buyerNick, templateId, couponId) {
      const record = { couponId, storeKey, buyerNick, templateId, grantedAt: options.now().toISOString() };
      coupons.push(record);
      return record;
    },
    coupons: (storeKey) => coupons.filter((c) => storeKey === undefined || c.storeKey === storeKey),
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The platform's "authorize this app?" step. The simulator has no seller login:
 * with one store on the app (or `sim_seller=<sellerId>`) it redirects at once
 * with a code; with several it shows a page to pick the seller.
 */
export function authorizeStep(input: {
  ledger: GrantLedger;
  stores: SimStore[];
  query: Record<string, string>;
  appKey: string | undefined;
  redirectUri: string | undefined;
  state: string | undefined;
  platformName: string;
}): GatewayResponse {
  const { ledger, query, appKey, redirectUri, state } = input;
  if (!appKey || !redirectUri) {
    return { status: 400, body: { error: "invalid_request", error_description: "缺少 client_id 或 redirect_uri" } };
  }
  let target: URL;
  try {
    target = new URL(redirectUri);
  } catch {
    return { status: 400, body: { error: "invalid_request", error_description: "redirect_uri 无效" } };
  }
  const candidates = input.stores.filter((s) => s.appKey === appKey);
  if (candidates.length === 0)
    return { status: 400, body: { error: "invalid_client", error_description: "应用不存在" } };
  const chosen = query.sim_seller ? candidates.find((s) => s.sellerId === query.sim_seller) : undefined;
  const store = chosen ?? (candidates.length === 1 ? candidates[0] : undefined);
  if (!store) {
    const links = candidates
      .map((s) => {
        const href = `?${new URLSearchParams({ ...query, sim_seller: s.sellerId }).toString()}`;
        return `<li><a href="${escapeHtml(href)}">${escapeHtml(s.name)}（${escapeHtml(s.sellerId)}）</a></li>`;
      })
      .join("");
    return {
      status: 200,
      headers: { "content-type": "text/html; charset=utf-8" },
      body: `<!doctype html><meta charset="utf-8"><title>${escapeHtml(input.platformName)}授权</title><h1>选择授权的店铺</h1><ul>${links}</ul>`,
    };
  }
  target.searchParams.set("code", ledger.issueCode(store, redirectUri));
  if (state !== undefined) target.searchParams.set("state", state);
  return { status: 302, headers: { location: target.toString() }, body: "" };
}

/** The simulator-only control routes over a ledger (see the module comment). */
export function grantControlRoutes(platform: PlatformId, ledger: GrantLedger): GatewayRoute[] {
  const storeKeyOf = (r: { query: Record<string, string>; form: Record<string, string> }) =>
    r.form.storeKey ?? r.query.storeKey;
  return [
    {
      method: "POST",
      url: `/sim/api/${platform}/grants/revoke`,
      handle(request) {
        const storeKey = storeKeyOf(request);
        if (!storeKey) return { status: 400, body: { error: { code: "validation_failed", message: "storeKey" } } };
        ledger.revoke(storeKey);
        return { status: 200, body: { revoked: storeKey } };
      },
    },
    {
      method: "GET",
      url: `/sim/api/${platform}/grants`,
      handle: (request) => ({ status: 200, body: { grants: ledger.grants(storeKeyOf(request) ?? "") } }),
    },
    {
      method: "GET",
      url: `/sim/api/${platform}/coupons`,
      handle: (request) => ({ status: 200, body: { coupons: ledger.coupons(storeKeyOf(request)) } }),
    },
  ];
}
