import { signaturesEqual } from "../../signing.ts";
import { formatTopTimestamp, isTopSignMethod, parseTopTimestamp, topSign } from "../../taobao/signing.ts";
import { createGrantLedger, type GrantLedger, grantControlRoutes } from "../grants.ts";
import type { SimStore } from "../options.ts";
import type { GatewayResponse, GatewayRoute, PersonalityContext } from "../personality.ts";
import type { SentContent, SimOrder } from "../world.ts";
import { taobaoOAuthRoutes } from "./oauth.ts";
import { pickFields, topTradeStatus, tradeJson } from "./trade-json.ts";

/**
 * The TOP gateway `/router/rest`, checking requests in the order and with the
 * error codes TOP documents (21 missing method, 28/29 app key, 24/25 signature,
 * 30/31 timestamp ±10 min, 26/27 session — 27 also for an expired or revoked
 * grant, 22 unknown method, 40 missing argument, 15 + `isv.*` sub code for a
 * business refusal), all as HTTP 200 with `error_response`, as TOP answers.
 * Methods: see the adapter (taobao/adapter.ts) for which are documented.
 */

const timestampSkewMs = 10 * 60 * 1000;
/** ASSUMED, as in the adapter's limits. */
const maxTextLength = 500;
const invalidSignMethod = { sub_code: "isv.invalid-sign-method", sub_msg: "sign_method 仅支持 md5, hmac, hmac-sha256" };

function requestId(): string {
  return Math.random().toString(36).slice(2, 15);
}

function topError(code: number, msg: string, sub?: { sub_code: string; sub_msg: string }): GatewayResponse {
  return { status: 200, body: { error_response: { code, msg, ...sub, request_id: requestId() } } };
}

function refused(subCode: string, subMsg: string): GatewayResponse {
  return topError(15, "Remote service error", { sub_code: subCode, sub_msg: subMsg });
}

function ok(method: string, body: Record<string, unknown>): GatewayResponse {
  const key = `${method.replace(/^taobao\./, "").replaceAll(".", "_")}_response`;
  return { status: 200, body: { [key]: { ...body, request_id: requestId() } } };
}

type Params = Record<string, string>;
type Handler = (store: SimStore, method: string, params: Params) => GatewayResponse;

export function taobaoGatewayRoutes(context: PersonalityContext): GatewayRoute[] {
  const { world, now } = context;
  const ledger: GrantLedger = createGrantLedger({
    stores: () => world.stores.filter((s) => s.platform === "taobao"),
    now,
    // TOP's seller-app tokens: 1 day here so tests and demos see refreshes; the refresh token 30 days.
    accessTtlSeconds: 24 * 3600,
    refreshTtlSeconds: 30 * 24 * 3600,
  });

  const buyerOrder = (store: SimStore, tid: string | undefined): SimOrder | undefined =>
    tid ? world.orders(store.storeKey).find((o) => o.orderId === tid) : undefined;

  const send: Handler = (store, method, params) => {
    const { buyer_nick: buyerNick, content, client_msg_id: clientMsgId, msg_type: msgType = "text" } = params;
    if (!buyerNick || !content) {
      return topError(40, `Missing required arguments:${buyerNick ? "content" : "buyer_nick"}`);
    }
    if (!world.buyer("taobao", buyerNick)) return refused("isv.buyer-not-exist", "买家不存在");
    let sent: SentContent;
    let text: string;
    switch (msgType) {
      case "text":
        if ([...content].length > maxTextLength)
          return refused("isv.content-too-long", `消息不能超过${maxTextLength}字`);
        sent = { type: "text", text: content };
        text = content;
        break;
      case "image":
        if (!/^https?:\/\//.test(content)) return refused("isv.invalid-parameter", "图片地址无效");
        sent = { type: "image", url: content };
        text = `[图片] ${content}`;
        break;
      case "item": {
        const product = world.products(store.storeKey).find((p) => p.id === content);
        if (!product) return refused("isv.item-not-exist", "商品不存在");
        sent = { type: "product_card", productId: content };
        text = `[商品] ${product.title}`;
        break;
      }
      case "order":
        if (!buyerOrder(store, content)) return refused("isv.trade-not-exist", "订单不存在");
        sent = { type: "order_card", orderId: content };
        text = `[订单] ${content}`;
        break;
      default:
        return refused("isv.invalid-parameter", `msg_type ${msgType} 无效`);
    }
    // TOP deduplicates on client_msg_id per store (see the adapter's assumptions):
    // a repeat answers the original msg_id and the buyer does not get it twice.
    // world.sendCalls keeps every call, so a test still sees the retry.
    const { reply } = world.recordSend({
      platform: "taobao",
      storeKey: store.storeKey,
      buyerNick,
      text,
      content: sent,
      clientMsgId: clientMsgId || null,
      platformMsgId: world.nextId(),
      receivedAt: now().toISOString(),
    });
    return ok(method, { result: { success: true, msg_id: reply.platformMsgId } });
  };

  const tradesSoldGet: Handler = (store, method, params) => {
    if (!params.fields) return topError(40, "Missing required arguments:fields");
    const fields = new Set(params.fields.split(",").map((f) => f.trim()));
    const pageNo = Math.max(1, Number(params.page_no ?? 1) || 1);
    const pageSize = Math.min(100, Math.max(1, Number(params.page_size ?? 40) || 40));
    const trades = world
      .orders(store.storeKey, params.buyer_nick)
      .filter((o) => !params.status || topTradeStatus(o) === params.status)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    const page = trades.slice((pageNo - 1) * pageSize, pageNo * pageSize);
    // TOP leaves `trades` out entirely when there are none.
    return ok(method, {
      total_results: trades.length,
      ...(page.length > 0 ? { trades: { trade: page.map((o) => pickFields(tradeJson(o), fields)) } } : {}),
    });
  };

  const tradeFullinfoGet: Handler = (store, method, params) => {
    if (!params.fields) return topError(40, "Missing required arguments:fields");
    if (!params.tid) return topError(40, "Missing required arguments:tid");
    const order = buyerOrder(store, params.tid);
    if (!order) return refused("isv.trade-not-exist", "交易不存在");
    const fields = new Set(params.fields.split(",").map((f) => f.trim()));
    return ok(method, { trade: pickFields(tradeJson(order), fields) });
  };

  const logisticsTraceSearch: Handler = (store, method, params) => {
    if (!params.tid) return topError(40, "Missing required arguments:tid");
    const order = buyerOrder(store, params.tid);
    if (!order) return refused("isv.trade-not-exist", "交易不存在");
    if (!order.logistics) return refused("isv.logistics-not-exist", "该交易没有物流信息");
    return ok(method, {
      tid: Number(order.orderId),
      out_sid: order.logistics.trackingNo,
      company_name: order.logistics.carrier,
      status: order.deliveredAt ? "签收" : "在途",
      trace_list: {
        transit_step_info: order.logistics.nodes.map((n) => ({
          status_time: formatTopTimestamp(n.at),
          status_desc: n.description,
        })),
      },
    });
  };

  const couponSend: Handler = (store, method, params) => {
    const { coupon_id: couponId, buyer_nick: buyerNick } = params;
    if (!couponId || !buyerNick)
      return topError(40, `Missing required arguments:${couponId ? "buyer_nick" : "coupon_id"}`);
    if (!/^\d+$/.test(couponId)) return refused("isv.coupon-not-exist", "优惠券不存在");
    if (!world.buyer("taobao", buyerNick)) return refused("isv.buyer-not-exist", "买家不存在");
    const grant = ledger.grantCoupon(store.storeKey, buyerNick, couponId, world.nextId());
    return ok(method, { coupon_results: { coupon_number: [grant.couponId] } });
  };

  const methods: Record<string, Handler> = {
    "taobao.qianniu.cloudkefu.message.send": send,
    "taobao.trades.sold.get": tradesSoldGet,
    "taobao.trade.fullinfo.get": tradeFullinfoGet,
    "taobao.logistics.trace.search": logisticsTraceSearch,
    "taobao.promotion.coupon.send": couponSend,
  };

  const handle = (params: Params): GatewayResponse => {
    const { method, app_key: appKey, sign, sign_method: signMethod = "md5", timestamp, session } = params;
    if (!method) return topError(21, "Missing method");
    if (!appKey) return topError(28, "Missing app key");
    const app = world.stores.find((s) => s.platform === "taobao" && s.appKey === appKey);
    if (!app) return topError(29, "Invalid app Key");
    if (!sign) return topError(24, "Missing signature");
    if (!isTopSignMethod(signMethod)) return topError(25, "Invalid signature", invalidSignMethod);
    if (!signaturesEqual(topSign(params, app.appSecret, signMethod), sign)) return topError(25, "Invalid signature");
    if (!timestamp) return topError(30, "Missing timestamp");
    const at = parseTopTimestamp(timestamp);
    if (!at || Math.abs(at.getTime() - now().getTime()) > timestampSkewMs) return topError(31, "Invalid timestamp");
    if (!session) return topError(26, "Missing session");
    const grant = ledger.check(appKey, session);
    if (!grant.ok) {
      const why = { unknown: "session 不存在", expired: "session 已过期", revoked: "卖家已取消授权" }[grant.reason];
      return topError(27, "Invalid session", { sub_code: `invalid-sessionkey.${grant.reason}`, sub_msg: why });
    }
    const handler = methods[method];
    return handler ? handler(grant.store, method, params) : topError(22, "Invalid method");
  };

  return [
    { method: "POST", url: "/router/rest", handle: (r) => handle({ ...r.query, ...r.form }) },
    { method: "GET", url: "/router/rest", handle: (r) => handle(r.query) },
    ...taobaoOAuthRoutes(world, ledger, now),
    ...grantControlRoutes("taobao", ledger),
  ];
}
