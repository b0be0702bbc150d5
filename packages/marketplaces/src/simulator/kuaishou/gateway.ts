import { timingSafeEqual } from "node:crypto";
import { isKuaishouSignMethod, kuaishouMethodPath, kuaishouSign } from "../../kuaishou/signing.ts";
import { authorizeStep, createGrantLedger, grantControlRoutes, type IssuedGrant } from "../grants.ts";
import type { SimStore } from "../options.ts";
import { describeSend, nickOfOpenId, parcelOf, sentContent, storesOfApp } from "../pdd/shared-facts.ts";
import type { GatewayRequest, GatewayResponse, GatewayRoute, PersonalityContext } from "../personality.ts";
import { kuaishouOrderJson } from "./order-json.ts";

/**
 * The Kuaishou open platform: one POST route per method at `/open/...`
 * (form-encoded, common parameters in the query or the form), checking the
 * signature with the store's signSecret as Kuaishou documents, the timestamp
 * (ms) within 10 minutes and the access_token; plus the OAuth endpoints
 * `/oauth2/access_token`, `/oauth2/refresh_token` (app_id + app_secret) and the
 * authorize page `GET /oauth/authorize` (the shared consent step) and the
 * simulator's grant controls.
 * Answers are HTTP 200 `{result, error_msg, data}` with result 1 for success;
 * the refusal numbers (40001–41001) are the simulator's own: Kuaishou's are not public.
 */

export const kuaishouResults = {
  missingParam: 40001,
  appKey: 40002,
  signature: 40003,
  timestamp: 40004,
  accessToken: 40005,
  unknownMethod: 40006,
  invalidCode: 40007,
  invalidRefreshToken: 40008,
  notFound: 41001,
} as const;

const timestampSkewMs = 10 * 60_000;

function fail(result: number, errorMsg: string): GatewayResponse {
  return { status: 200, body: { result, error_msg: errorMsg, host_name: "sim", data: null } };
}

function ok(data: Record<string, unknown>): GatewayResponse {
  return { status: 200, body: { result: 1, msg: "success", data } };
}

/** The signSecret of a simulated Kuaishou app: configured, or the appSecret when none is. */
export function simSignSecret(store: SimStore): string {
  return store.signSecret ?? store.appSecret;
}

function sameSign(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

type Param = Record<string, unknown>;
const text = (value: unknown) => (typeof value === "string" || typeof value === "number" ? String(value) : undefined);

export function kuaishouGatewayRoutes({ world, now }: PersonalityContext): GatewayRoute[] {
  const stores = () => world.stores.filter((s) => s.platform === "kuaishou");
  // Kuaishou access tokens live 2 days, refresh tokens 180 days.
  const ledger = createGrantLedger({
    stores,
    now,
    accessTtlSeconds: 2 * 24 * 3600,
    refreshTtlSeconds: 180 * 24 * 3600,
  });

  const handle = (method: string, request: GatewayRequest): GatewayResponse => {
    const p: Record<string, string> = { ...request.query, ...request.form };
    for (const name of ["appkey", "method", "version", "param", "timestamp", "signMethod", "sign", "access_token"]) {
      if (!p[name]) return fail(kuaishouResults.missingParam, `缺少参数 ${name}`);
    }
    if (p.method !== method) return fail(kuaishouResults.unknownMethod, "method 与请求路径不符");
    const apps = storesOfApp(world, "kuaishou", p.appkey as string);
    const app = apps[0];
    if (!app) return fail(kuaishouResults.appKey, "appkey 不存在");
    const signMethod = p.signMethod;
    if (!isKuaishouSignMethod(signMethod) || p.version !== "1") {
      return fail(kuaishouResults.missingParam, "signMethod 或 version 不合法");
    }
    if (!sameSign(kuaishouSign(p, simSignSecret(app), signMethod), p.sign as string)) {
      return fail(kuaishouResults.signature, "签名验证失败");
    }
    const at = /^\d{1,15}$/.test(p.timestamp as string) ? Number(p.timestamp) : Number.NaN;
    if (!(Math.abs(at - now().getTime()) <= timestampSkewMs))
      return fail(kuaishouResults.timestamp, "timestamp 已过期");
    const grant = ledger.check(app.appKey, p.access_token as string);
    if (!grant.ok) {
      const why = { unknown: "access_token 无效", expired: "access_token 已过期", revoked: "商家已取消授权" }[
        grant.reason
      ];
      return fail(kuaishouResults.accessToken, why);
    }
    const store = grant.store;
    let param: unknown;
    try {
      param = JSON.parse(p.param as string);
    } catch {
      return fail(kuaishouResults.missingParam, "param 不是合法的 JSON");
    }
    if (!param || typeof param !== "object") return fail(kuaishouResults.missingParam, "param 不是 JSON 对象");
    return methods[method]?.(store, param as Param) ?? fail(kuaishouResults.unknownMethod, `未知方法 ${method}`);
  };

  const nickOf = (store: SimStore, openId: unknown) =>
    typeof openId === "string" ? nickOfOpenId(world, store, openId) : undefined;
  const noBuyer = fail(kuaishouResults.notFound, "买家不存在");
  const noOrder = fail(kuaishouResults.notFound, "订单不存在");
  const findOrder = (store: SimStore, oid: unknown) =>
    world.orders(store.storeKey).find((o) => o.orderId === text(oid));

  const methods: Record<string, (store: SimStore, param: Param) => GatewayResponse> = {
    "open.cs.message.send": (store, param) => {
      const nick = nickOf(store, param.buyerOpenId);
      if (!nick) return noBuyer;
      const fields = { text: "content", image: "imageUrl", item: "itemId", order: "oid" } as const;
      const msgType = text(param.msgType) as keyof typeof fields | undefined;
      const value = msgType && msgType in fields ? text(param[fields[msgType]]) : undefined;
      if (!msgType || !value) return fail(kuaishouResults.missingParam, "缺少消息内容");
      const content = sentContent(msgType === "item" ? "goods" : msgType, value);
      const { reply } = world.recordSend({
        platform: "kuaishou",
        storeKey: store.storeKey,
        buyerNick: nick,
        text: describeSend(content),
        content,
        clientMsgId: text(param.clientMsgId) ?? null,
        platformMsgId: world.nextId(),
        receivedAt: now().toISOString(),
      });
      return ok({ msgId: reply.platformMsgId });
    },
    "open.order.cursor.list": (store, param) => {
      const nick = nickOf(store, param.buyerOpenId);
      const pageSize = Math.min(100, Math.max(1, Number(param.pageSize ?? 20) || 20));
      const start = Number(text(param.cursor) || 0) || 0;
      const orders =
        param.buyerOpenId !== undefined && !nick
          ? []
          : world.orders(store.storeKey, nick).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
      const page = orders.slice(start, start + pageSize);
      return ok({
        cursor: start + pageSize < orders.length ? String(start + pageSize) : "nomore",
        orderList: page.map((o) => kuaishouOrderJson(store, o)),
      });
    },
    "open.order.detail": (store, param) => {
      const order = findOrder(store, param.oid);
      return order ? ok(kuaishouOrderJson(store, order)) : noOrder;
    },
    "open.logistics.trace.query": (store, param) => {
      const expressNo = text(param.expressNo);
      const order = world.orders(store.storeKey).find((o) => parcelOf(o)?.trackingNo === expressNo);
      const parcel = order ? parcelOf(order) : undefined;
      if (!parcel) return fail(kuaishouResults.notFound, "运单不存在");
      return ok({ traces: parcel.nodes.map((n) => ({ desc: n.description, time: n.at.getTime() })) });
    },
    "open.promotion.coupon.send": (store, param) => {
      const configId = text(param.couponConfigId);
      if (!configId) return fail(kuaishouResults.missingParam, "缺少参数 couponConfigId");
      const nick = nickOf(store, param.buyerOpenId);
      if (!nick) return noBuyer;
      return ok({
        couponId: ledger.grantCoupon(store.storeKey, nick, configId, `${configId}${world.nextId()}`).couponId,
      });
    },
  };

  const tokenAnswer = (g: IssuedGrant, store: SimStore): GatewayResponse => ({
    status: 200,
    body: {
      result: 1,
      access_token: g.accessToken,
      expires_in: Math.floor((g.expiresAt - now().getTime()) / 1000),
      refresh_token: g.refreshToken,
      refresh_token_expires_in: Math.floor((g.refreshExpiresAt - now().getTime()) / 1000),
      open_id: store.sellerId,
      scopes: ["merchant_order", "merchant_user"],
    },
  });

  const oauth = (grantType: "code" | "refresh_token", request: GatewayRequest): GatewayResponse => {
    const p: Record<string, string> = { ...request.query, ...request.form };
    const client = { appKey: p.app_id ?? "", appSecret: p.app_secret ?? "" };
    if (p.grant_type !== grantType) return fail(kuaishouResults.missingParam, "grant_type 不合法");
    const outcome =
      grantType === "code"
        ? ledger.exchange({ ...client, code: p.code ?? "" })
        : ledger.refresh({ ...client, refreshToken: p.refresh_token ?? "" });
    if (outcome.ok) return tokenAnswer(outcome.grant, outcome.store);
    if (outcome.error === "invalid_client") return fail(kuaishouResults.appKey, "app_id 或 app_secret 错误");
    const code = grantType === "code" ? kuaishouResults.invalidCode : kuaishouResults.invalidRefreshToken;
    return fail(code, outcome.description);
  };

  const authorize = (request: GatewayRequest): GatewayResponse =>
    authorizeStep({
      ledger,
      stores: stores(),
      query: request.query,
      appKey: request.query.app_id,
      redirectUri: request.query.redirect_uri,
      state: request.query.state,
      platformName: "快手",
    });

  return [
    ...Object.keys(methods).map(
      (method): GatewayRoute => ({ method: "POST", url: kuaishouMethodPath(method), handle: (r) => handle(method, r) }),
    ),
    { method: "POST", url: "/oauth2/access_token", handle: (r) => oauth("code", r) },
    { method: "GET", url: "/oauth2/access_token", handle: (r) => oauth("code", r) },
    { method: "POST", url: "/oauth2/refresh_token", handle: (r) => oauth("refresh_token", r) },
    { method: "GET", url: "/oauth2/refresh_token", handle: (r) => oauth("refresh_token", r) },
    { method: "GET", url: "/oauth/authorize", handle: authorize },
    ...grantControlRoutes("kuaishou", ledger),
  ];
}
