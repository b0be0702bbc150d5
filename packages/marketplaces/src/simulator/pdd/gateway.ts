import { formatBeijingTime, popSign, popTimestampSkewMs } from "../../pdd/signing.ts";
import { signaturesEqual } from "../../signing.ts";
import { authorizeStep, createGrantLedger, grantControlRoutes, type IssuedGrant } from "../grants.ts";
import type { SimStore } from "../options.ts";
import type { GatewayRequest, GatewayResponse, GatewayRoute, PersonalityContext } from "../personality.ts";
import { pddOrderJson } from "./order-json.ts";
import { describeSend, nickOfOpenId, parcelOf, sentContent, storesOfApp } from "./shared-facts.ts";

/**
 * The POP gateway `POST /api/router`, checking a call as POP does: required
 * common parameters, client_id, signature (20004), timestamp within 10 minutes,
 * access_token (10019), then the method. Errors are HTTP 200 with
 * `error_response {error_code, error_msg, sub_code, sub_msg, request_id}`.
 * 20004 and 10019 are POP's documented codes; 10000 (parameter error) and
 * 20005 (unknown client_id) are the simulator's choice of POP-style numbers.
 * Also the authorize page `GET /service-market/auth` (the shared consent step:
 * a 302 back to redirect_uri with a code) and the simulator's grant controls.
 */

export const popErrors = {
  parameter: 10000,
  accessToken: 10019,
  signature: 20004,
  clientId: 20005,
} as const;

function requestId(): string {
  return `${Date.now()}${Math.random().toString(10).slice(2, 8)}`;
}

function popError(code: number, msg: string, sub?: { sub_code: string; sub_msg: string }): GatewayResponse {
  return {
    status: 200,
    body: { error_response: { error_code: code, error_msg: msg, ...sub, request_id: requestId() } },
  };
}

function ok(key: string, body: Record<string, unknown>): GatewayResponse {
  return { status: 200, body: { [key]: { ...body, request_id: requestId() } } };
}

const missing = (name: string) =>
  popError(popErrors.parameter, "参数错误", { sub_code: "missing_param", sub_msg: `缺少参数 ${name}` });

export function pddGatewayRoutes({ world, now }: PersonalityContext): GatewayRoute[] {
  const stores = () => world.stores.filter((s) => s.platform === "pdd");
  // POP seller tokens: 1 day here so tests and demos see refreshes; the refresh token 30 days.
  const ledger = createGrantLedger({ stores, now, accessTtlSeconds: 24 * 3600, refreshTtlSeconds: 30 * 24 * 3600 });

  const handle = (params: Record<string, string>): GatewayResponse => {
    for (const name of ["type", "client_id", "timestamp", "sign"] as const) {
      if (!params[name]) return missing(name);
    }
    const { type, client_id: clientId, timestamp, sign, access_token: accessToken } = params;
    const apps = storesOfApp(world, "pdd", clientId as string);
    const app = apps[0];
    if (!app) return popError(popErrors.clientId, "client_id不存在");
    if (!signaturesEqual(popSign(params, app.appSecret), sign as string)) {
      return popError(popErrors.signature, "签名错误", { sub_code: "sign_error", sub_msg: "签名校验失败" });
    }
    const at = /^\d{1,12}$/.test(timestamp as string) ? Number(timestamp) * 1000 : Number.NaN;
    if (!(Math.abs(at - now().getTime()) <= popTimestampSkewMs)) {
      return popError(popErrors.parameter, "参数错误", {
        sub_code: "timestamp_invalid",
        sub_msg: "timestamp 与服务器时间相差超过10分钟",
      });
    }
    if (type === "pdd.pop.auth.token.create") return tokenCreate(app, params);
    if (type === "pdd.pop.auth.token.refresh") return tokenRefresh(app, params);
    if (!accessToken) return missing("access_token");
    const grant = ledger.check(app.appKey, accessToken);
    if (!grant.ok) {
      const why = { unknown: "access_token不存在", expired: "access_token已过期", revoked: "商家已取消授权" }[
        grant.reason
      ];
      return popError(popErrors.accessToken, why, { sub_code: `access_token_${grant.reason}`, sub_msg: why });
    }
    const store = grant.store;

    switch (type) {
      case "pdd.cs.message.send":
        return send(store, params);
      case "pdd.order.list.get":
        return orderList(store, params);
      case "pdd.order.information.get":
        return orderInformation(store, params);
      case "pdd.logistics.ordertrace.get":
        return orderTrace(store, params);
      case "pdd.promotion.coupon.send":
        return couponSend(store, params);
      default:
        return popError(popErrors.parameter, "参数错误", {
          sub_code: "type_not_exist",
          sub_msg: `接口 ${type} 不存在`,
        });
    }
  };

  const tokenJson = (g: IssuedGrant, store: SimStore) => ({
    access_token: g.accessToken,
    expires_at: Math.floor(g.expiresAt / 1000),
    expires_in: Math.floor((g.expiresAt - now().getTime()) / 1000),
    refresh_token: g.refreshToken,
    refresh_token_expires_at: Math.floor(g.refreshExpiresAt / 1000),
    refresh_token_expires_in: Math.floor((g.refreshExpiresAt - now().getTime()) / 1000),
    owner_id: store.sellerId,
    owner_name: store.name,
    scope: ["pdd.order.list.get", "pdd.cs.message.send"],
  });

  // The token calls are signed with the client secret, which the gateway has just checked.
  const tokenCreate = (app: SimStore, params: Record<string, string>): GatewayResponse => {
    if (!params.code) return missing("code");
    const outcome = ledger.exchange({ appKey: app.appKey, appSecret: app.appSecret, code: params.code });
    if (!outcome.ok)
      return popError(popErrors.parameter, "参数错误", { sub_code: outcome.error, sub_msg: outcome.description });
    return ok("pop_auth_token_create_response", tokenJson(outcome.grant, outcome.store));
  };

  const tokenRefresh = (app: SimStore, params: Record<string, string>): GatewayResponse => {
    if (!params.refresh_token) return missing("refresh_token");
    const outcome = ledger.refresh({
      appKey: app.appKey,
      appSecret: app.appSecret,
      refreshToken: params.refresh_token,
    });
    if (!outcome.ok)
      return popError(popErrors.accessToken, "refresh_token已失效,请重新授权", {
        sub_code: outcome.error,
        sub_msg: outcome.description,
      });
    return ok("pop_auth_token_refresh_response", tokenJson(outcome.grant, outcome.store));
  };

  const buyerNick = (store: SimStore, openId: string | undefined) =>
    openId ? nickOfOpenId(world, store, openId) : undefined;
  const noBuyer = popError(popErrors.parameter, "参数错误", { sub_code: "buyer_not_exist", sub_msg: "买家不存在" });
  const noOrder = popError(popErrors.parameter, "参数错误", { sub_code: "order_not_exist", sub_msg: "订单不存在" });

  const send = (store: SimStore, params: Record<string, string>): GatewayResponse => {
    if (!params.buyer_open_id) return missing("buyer_open_id");
    const nick = buyerNick(store, params.buyer_open_id);
    if (!nick) return noBuyer;
    const value = { text: params.content, image: params.image_url, goods: params.goods_id, order: params.order_sn }[
      params.msg_type ?? ""
    ];
    if (!value) return missing(params.msg_type ? "content" : "msg_type");
    const content = sentContent(params.msg_type as "text" | "image" | "goods" | "order", value);
    const { reply } = world.recordSend({
      platform: "pdd",
      storeKey: store.storeKey,
      buyerNick: nick,
      text: describeSend(content),
      content,
      clientMsgId: params.client_msg_id || null,
      platformMsgId: world.nextId(),
      receivedAt: now().toISOString(),
    });
    return ok("cs_message_send_response", { success: true, msg_id: reply.platformMsgId });
  };

  const orderList = (store: SimStore, params: Record<string, string>): GatewayResponse => {
    const nick = params.buyer_open_id ? buyerNick(store, params.buyer_open_id) : undefined;
    const page = Math.max(1, Number(params.page ?? 1) || 1);
    const pageSize = Math.min(100, Math.max(1, Number(params.page_size ?? 20) || 20));
    const orders =
      params.buyer_open_id && !nick
        ? []
        : world.orders(store.storeKey, nick).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    return ok("order_list_get_response", {
      total_count: orders.length,
      order_list: orders.slice((page - 1) * pageSize, page * pageSize).map((o) => pddOrderJson(store, o)),
    });
  };

  const findOrder = (store: SimStore, orderSn: string | undefined) =>
    world.orders(store.storeKey).find((o) => o.orderId === orderSn);

  const orderInformation = (store: SimStore, params: Record<string, string>): GatewayResponse => {
    if (!params.order_sn) return missing("order_sn");
    const order = findOrder(store, params.order_sn);
    return order ? ok("order_info_get_response", { order_info: pddOrderJson(store, order) }) : noOrder;
  };

  const orderTrace = (store: SimStore, params: Record<string, string>): GatewayResponse => {
    if (!params.order_sn) return missing("order_sn");
    const order = findOrder(store, params.order_sn);
    if (!order) return noOrder;
    const parcel = parcelOf(order);
    return ok("logistics_ordertrace_get_response", {
      trace_list: (parcel?.nodes ?? []).map((n) => ({ info: n.description, status_time: formatBeijingTime(n.at) })),
    });
  };

  const couponSend = (store: SimStore, params: Record<string, string>): GatewayResponse => {
    if (!params.batch_id) return missing("batch_id");
    const nick = buyerNick(store, params.buyer_open_id);
    if (!nick) return noBuyer;
    const coupon = ledger.grantCoupon(store.storeKey, nick, params.batch_id, `${params.batch_id}${world.nextId()}`);
    return ok("promotion_coupon_send_response", { coupon_id: coupon.couponId });
  };

  const authorize = (request: GatewayRequest): GatewayResponse =>
    authorizeStep({
      ledger,
      stores: stores(),
      query: request.query,
      appKey: request.query.client_id,
      redirectUri: request.query.redirect_uri,
      state: request.query.state,
      platformName: "拼多多",
    });

  return [
    { method: "POST", url: "/api/router", handle: (r) => handle({ ...r.query, ...r.form }) },
    { method: "GET", url: "/service-market/auth", handle: authorize },
    ...grantControlRoutes("pdd", ledger),
  ];
}
