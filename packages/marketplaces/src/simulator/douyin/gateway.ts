import { douyinMethodPath, douyinParamJson, douyinSign, isDouyinSignMethod } from "../../douyin/signing.ts";
import { signaturesEqual } from "../../signing.ts";
import { authorizeStep, createGrantLedger, grantControlRoutes, type IssuedGrant } from "../grants.ts";
import type { SimStore } from "../options.ts";
import { describeSend, nickOfOpenId, parcelOf, sentContent, storesOfApp } from "../pdd/shared-facts.ts";
import type { GatewayRequest, GatewayResponse, GatewayRoute, PersonalityContext } from "../personality.ts";
import { douyinOrderJson } from "./order-json.ts";

/**
 * The 抖店 open platform gateway: one POST route per method at `/{method
 * with '.'→'/'}`, checking a call as the platform documents: 40001 for a
 * missing app_key / sign / access_token, 40003 for an invalid parameter,
 * signature (isv.signature-invalid) or access_token
 * (isv.access-token-no-existed), 30001 for a revoked grant; HTTP 200 with
 * `{code, msg, sub_code, sub_msg, log_id, data}` always. The signature is
 * checked over the body re-serialized with sorted keys, as the server must do
 * (which is why clients must sort). The ±10 minute timestamp window and its
 * sub_code `isv.timestamp-invalid` are the simulator's choice. Also the
 * authorize page `GET /fuwu/authorize` (the shared consent step) and the
 * simulator's grant controls.
 */

const timestampSkewMs = 10 * 60_000;

function logId(): string {
  return `${Date.now()}${Math.random().toString(16).slice(2, 10)}`.toUpperCase();
}

function fail(code: number, msg: string, subCode: string, subMsg: string): GatewayResponse {
  return { status: 200, body: { code, msg, sub_code: subCode, sub_msg: subMsg, log_id: logId(), data: {} } };
}

function ok(data: Record<string, unknown>): GatewayResponse {
  return { status: 200, body: { code: 10000, msg: "success", sub_code: "", sub_msg: "", log_id: logId(), data } };
}

const missing = (subCode: string, subMsg: string) => fail(40001, "缺少必选参数", subCode, subMsg);
const invalid = (subCode: string, subMsg: string) => fail(40003, "非法的参数", subCode, subMsg);

type Body = Record<string, unknown>;
const text = (value: unknown) => (typeof value === "string" || typeof value === "number" ? String(value) : undefined);

export function douyinGatewayRoutes({ world, now }: PersonalityContext): GatewayRoute[] {
  const stores = () => world.stores.filter((s) => s.platform === "douyin");
  // 抖店 access tokens live 7 days, refresh tokens 14 days.
  const ledger = createGrantLedger({ stores, now, accessTtlSeconds: 7 * 24 * 3600, refreshTtlSeconds: 14 * 24 * 3600 });

  const handle = (method: string, request: GatewayRequest): GatewayResponse => {
    const q = request.query;
    if (!q.app_key) return missing("isv.app-id-missing", "认证失败,app_key不存在");
    const apps = storesOfApp(world, "douyin", q.app_key);
    const app = apps[0];
    if (!app) return missing("isv.app-id-missing", "认证失败,app_key不存在");
    if (q.method !== method) return invalid("isv.parameter-invalid", "method 与请求路径不符");
    if (!q.sign) return missing("isv.signature-missing", "获取签名失败,请根据文档确保参数拼装正确");
    const signMethod = q.sign_method ?? "md5";
    if (!isDouyinSignMethod(signMethod) || q.v !== "2" || !q.timestamp) {
      return invalid("isv.parameter-invalid", "参数错误");
    }
    const body = request.body ?? {};
    if (typeof body !== "object" || Array.isArray(body)) {
      return invalid("isv.parameter-format-invalid", "业务参数json解析失败");
    }
    const paramJson = douyinParamJson(body as Body);
    const expected = douyinSign(
      { appKey: q.app_key, method, paramJson, timestamp: q.timestamp },
      app.appSecret,
      signMethod,
    );
    if (!signaturesEqual(expected, q.sign)) return invalid("isv.signature-invalid", "签名校验失败");
    const at = /^\d{1,12}$/.test(q.timestamp) ? Number(q.timestamp) * 1000 : Number.NaN;
    if (!(Math.abs(at - now().getTime()) <= timestampSkewMs)) {
      return invalid("isv.timestamp-invalid", "timestamp 与服务器时间相差超过10分钟");
    }
    const params = body as Body;
    if (method === "token.create") return tokenCreate(app, params);
    if (method === "token.refresh") return tokenRefresh(app, params);
    if (!q.access_token) return missing("isv.access-token-missing", "认证失败,access_token不能为空");
    const grant = ledger.check(app.appKey, q.access_token);
    if (!grant.ok) {
      if (grant.reason === "revoked") return revoked;
      if (grant.reason === "expired") return invalid("isv.access-token-expired", "access_token已过期");
      return invalid("isv.access-token-no-existed", "access_token不存在,请使用最新的access_token访问");
    }
    const store = grant.store;
    return methods[method]?.(store, params) ?? invalid("isv.parameter-invalid", `未知方法 ${method}`);
  };

  const revoked = fail(30001, "操作权限不足", "dop.authorization-no-existed", "店铺授权已失效,请重新授权");

  const tokenData = (g: IssuedGrant, store: SimStore) => ({
    access_token: g.accessToken,
    expires_in: Math.floor((g.expiresAt - now().getTime()) / 1000),
    refresh_token: g.refreshToken,
    scope: "SCOPE",
    shop_id: store.sellerId,
    shop_name: store.name,
  });

  // The token calls are signed with the app secret, which the gateway has just checked.
  const tokenCreate = (app: SimStore, params: Body): GatewayResponse => {
    const code = text(params.code);
    if (!code || params.grant_type !== "authorization_code") {
      return missing("isv.parameter-missing", "缺少 code 或 grant_type");
    }
    const outcome = ledger.exchange({ appKey: app.appKey, appSecret: app.appSecret, code });
    return outcome.ok
      ? ok(tokenData(outcome.grant, outcome.store))
      : invalid("isv.parameter-invalid", outcome.description);
  };

  const tokenRefresh = (app: SimStore, params: Body): GatewayResponse => {
    const refreshToken = text(params.refresh_token);
    if (!refreshToken || params.grant_type !== "refresh_token") {
      return missing("isv.parameter-missing", "缺少 refresh_token 或 grant_type");
    }
    const outcome = ledger.refresh({ appKey: app.appKey, appSecret: app.appSecret, refreshToken });
    return outcome.ok ? ok(tokenData(outcome.grant, outcome.store)) : revoked;
  };

  const nickOf = (store: SimStore, openId: unknown) =>
    typeof openId === "string" ? nickOfOpenId(world, store, openId) : undefined;
  const noBuyer = fail(50002, "业务处理失败", "isv.business-failed:buyer_not_exist", "买家不存在");
  const noOrder = fail(50002, "业务处理失败", "isv.business-failed:order_not_exist", "订单不存在");
  const findOrder = (store: SimStore, orderId: unknown) =>
    world.orders(store.storeKey).find((o) => o.orderId === text(orderId));

  const methods: Record<string, (store: SimStore, params: Body) => GatewayResponse> = {
    "im.sendMessage": (store, params) => {
      const nick = nickOf(store, params.doudian_open_id);
      if (!nick) return noBuyer;
      const kinds = { text: "content", image: "image_url", product: "product_id", order: "order_id" } as const;
      const msgType = text(params.msg_type) as keyof typeof kinds | undefined;
      const value = msgType && msgType in kinds ? text(params[kinds[msgType]]) : undefined;
      if (!msgType || !value) return missing("isv.parameter-missing", "缺少消息内容");
      const content = sentContent(msgType === "product" ? "goods" : msgType, value);
      const { reply } = world.recordSend({
        platform: "douyin",
        storeKey: store.storeKey,
        buyerNick: nick,
        text: describeSend(content),
        content,
        clientMsgId: text(params.client_msg_id) ?? null,
        platformMsgId: world.nextId(),
        receivedAt: now().toISOString(),
      });
      return ok({ msg_id: reply.platformMsgId });
    },
    "order.searchList": (store, params) => {
      const openId = params.doudian_open_id;
      const nick = nickOf(store, openId);
      const page = Math.max(0, Number(params.page ?? 0) || 0);
      const size = Math.min(100, Math.max(1, Number(params.size ?? 20) || 20));
      const orders =
        openId !== undefined && !nick
          ? []
          : world.orders(store.storeKey, nick).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
      return ok({
        shop_order_list: orders.slice(page * size, (page + 1) * size).map((o) => douyinOrderJson(store, o)),
        total: orders.length,
        page,
        size,
      });
    },
    "order.orderDetail": (store, params) => {
      const order = findOrder(store, params.shop_order_id);
      return order ? ok({ shop_order_detail: douyinOrderJson(store, order) }) : noOrder;
    },
    "logistics.trackNoRouteDetail": (store, params) => {
      const trackNo = text(params.track_no);
      const order = world.orders(store.storeKey).find((o) => parcelOf(o)?.trackingNo === trackNo);
      const parcel = order ? parcelOf(order) : undefined;
      if (!parcel) return fail(50002, "业务处理失败", "isv.business-failed:track_not_exist", "运单不存在");
      return ok({
        route_node_list: parcel.nodes.map((n) => ({
          content: n.description,
          timestamp: Math.floor(n.at.getTime() / 1000),
        })),
      });
    },
    "promotion.sendCoupon": (store, params) => {
      const metaId = text(params.coupon_meta_id);
      if (!metaId) return missing("isv.parameter-missing", "缺少 coupon_meta_id");
      const nick = nickOf(store, params.doudian_open_id);
      if (!nick) return noBuyer;
      return ok({ coupon_id: ledger.grantCoupon(store.storeKey, nick, metaId, `${metaId}${world.nextId()}`).couponId });
    },
  };

  const authorize = (request: GatewayRequest): GatewayResponse =>
    authorizeStep({
      ledger,
      stores: stores(),
      query: request.query,
      appKey: request.query.app_key,
      redirectUri: request.query.redirect_uri,
      state: request.query.state,
      platformName: "抖店",
    });

  const all = ["token.create", "token.refresh", ...Object.keys(methods)];
  return [
    ...all.map(
      (method): GatewayRoute => ({
        method: "POST",
        url: douyinMethodPath(method),
        handle: (request) => handle(method, request),
      }),
    ),
    { method: "GET", url: "/fuwu/authorize", handle: authorize },
    ...grantControlRoutes("douyin", ledger),
  ];
}
