import { formatJdTime, jdSign, parseJdTimestamp } from "../../jd/signing.ts";
import { signaturesEqual } from "../../signing.ts";
import { createGrantLedger, grantControlRoutes } from "../grants.ts";
import type { SimStore } from "../options.ts";
import type { GatewayResponse, GatewayRoute, PersonalityContext } from "../personality.ts";
import type { SentContent } from "../world.ts";
import { jdOAuthRoutes } from "./oauth.ts";
import { jdOrderState, orderInfoJson } from "./order-json.ts";

/**
 * The JOS gateway `/routerjson`. Checks in JOS's order with its published
 * gateway codes (14/15 method, 4/5 version, 11/12 signature, 7/8 timestamp
 * ±6 min, 19 access_token — also for an expired or revoked grant) and the
 * ASSUMED ones (9/10 app_key, 13 unparseable 360buy_param_json), all HTTP 200
 * with `error_response {code, zh_desc, en_desc}`. Answers are
 * `{"<method with . → _>_responce": {"code": "0", …}}`. Methods: see the
 * adapter (jd/adapter.ts) for which are documented.
 */

const timestampSkewMs = 6 * 60 * 1000;
const maxTextLength = 500;

function josError(code: string, zh: string, en: string): GatewayResponse {
  return { status: 200, body: { error_response: { code, zh_desc: zh, en_desc: en } } };
}

function ok(method: string, body: Record<string, unknown>): GatewayResponse {
  return { status: 200, body: { [`${method.replaceAll(".", "_")}_responce`]: { code: "0", ...body } } };
}

type Business = Record<string, unknown>;
type Handler = (store: SimStore, method: string, p: Business) => GatewayResponse;
const str = (value: unknown) => (typeof value === "string" || typeof value === "number" ? String(value) : undefined);

export function jdGatewayRoutes(context: PersonalityContext): GatewayRoute[] {
  const { world, now } = context;
  const ledger = createGrantLedger({
    stores: () => world.stores.filter((s) => s.platform === "jd"),
    now,
    accessTtlSeconds: 24 * 3600,
    refreshTtlSeconds: 365 * 24 * 3600,
  });
  const storeOrder = (store: SimStore, orderId: string | undefined) =>
    orderId ? world.orders(store.storeKey).find((o) => o.orderId === orderId) : undefined;

  const refusedSend = (method: string, errorCode: string, message: string) =>
    ok(method, { result: { success: false, errorCode, message } });

  const send: Handler = (store, method, p) => {
    const pin = str(p.pin);
    const content = str(p.content);
    const msgType = str(p.msgType) ?? "text";
    if (!pin || !content) return refusedSend(method, "PARAM_ERROR", "pin 和 content 必填");
    if (!world.buyer("jd", pin)) return refusedSend(method, "BUYER_NOT_EXIST", "买家不存在");
    let sent: SentContent;
    let text: string;
    switch (msgType) {
      case "text":
        if ([...content].length > maxTextLength) return refusedSend(method, "CONTENT_TOO_LONG", "消息过长");
        sent = { type: "text", text: content };
        text = content;
        break;
      case "image":
        sent = { type: "image", url: content };
        text = `[图片] ${content}`;
        break;
      case "sku": {
        const product = world.products(store.storeKey).find((x) => x.id === content);
        if (!product) return refusedSend(method, "SKU_NOT_EXIST", "商品不存在");
        sent = { type: "product_card", productId: content };
        text = `[商品] ${product.title}`;
        break;
      }
      case "order":
        if (!storeOrder(store, content)) return refusedSend(method, "ORDER_NOT_EXIST", "订单不存在");
        sent = { type: "order_card", orderId: content };
        text = `[订单] ${content}`;
        break;
      default:
        return refusedSend(method, "PARAM_ERROR", `msgType ${msgType} 无效`);
    }
    const clientMsgId = str(p.clientMsgId);
    const { reply } = world.recordSend({
      platform: "jd",
      storeKey: store.storeKey,
      buyerNick: pin,
      text,
      content: sent,
      clientMsgId: clientMsgId || null,
      platformMsgId: world.nextId(),
      receivedAt: now().toISOString(),
    });
    return ok(method, { result: { success: true, msgId: reply.platformMsgId } });
  };

  const apiResult = (success: boolean, zh?: string) => ({
    success,
    code: success ? "0" : "100",
    ...(zh ? { chineseErrCode: zh, englishErrCode: zh } : {}),
  });

  const orderSearch: Handler = (store, method, p) => {
    const states = new Set((str(p.order_state) ?? "").split(",").filter(Boolean));
    const start = parseJdTimestamp(str(p.start_date) ?? "");
    const end = parseJdTimestamp(str(p.end_date) ?? "");
    const page = Math.max(1, Number(str(p.page) ?? 1) || 1);
    const pageSize = Math.min(100, Math.max(1, Number(str(p.page_size) ?? 20) || 20));
    const orders = world
      .orders(store.storeKey, str(p.pin))
      .filter((o) => states.size === 0 || states.has(jdOrderState(o)))
      .filter((o) => (!start || o.createdAt >= start) && (!end || o.createdAt <= new Date(end.getTime() + 999)))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    return ok(method, {
      searchorderinfo_result: {
        apiResult: apiResult(true),
        orderTotal: orders.length,
        orderInfoList: orders.slice((page - 1) * pageSize, page * pageSize).map((o) => orderInfoJson(store, o)),
      },
    });
  };

  const orderGet: Handler = (store, method, p) => {
    const order = storeOrder(store, str(p.order_id));
    return ok(method, {
      orderDetailInfo: order
        ? { apiResult: apiResult(true), orderInfo: orderInfoJson(store, order) }
        : { apiResult: apiResult(false, "订单不存在") },
    });
  };

  const trace: Handler = (store, method, p) => {
    const waybill = str(p.waybillCode);
    const order = world.orders(store.storeKey).find((o) => waybill && o.logistics?.trackingNo === waybill);
    if (!order?.logistics) return ok(method, { querytrace_result: { code: 101, message: "运单不存在" } });
    return ok(method, {
      querytrace_result: {
        code: 100,
        message: "成功",
        data: order.logistics.nodes.map((n) => ({
          opeTitle: n.description.slice(0, 8),
          opeRemark: n.description,
          opeName: "",
          opeTime: formatJdTime(n.at),
          waybillCode: waybill,
        })),
      },
    });
  };

  const couponSend: Handler = (store, method, p) => {
    const pin = str(p.pin);
    const couponId = str(p.couponId);
    if (!pin || !couponId || !/^\d+$/.test(couponId) || !world.buyer("jd", pin)) {
      return ok(method, { result: { success: false, message: "优惠券或买家无效" } });
    }
    const record = ledger.grantCoupon(store.storeKey, pin, couponId, world.nextId());
    return ok(method, { result: { success: true, couponCode: record.couponId } });
  };

  const methods: Record<string, Handler> = {
    "jingdong.im.pop.message.send": send,
    "jingdong.pop.order.search": orderSearch,
    "jingdong.pop.order.get": orderGet,
    "jingdong.etms.trace.get": trace,
    "jingdong.im.pop.coupon.send": couponSend,
  };

  const handle = (params: Record<string, string>): GatewayResponse => {
    const { method, app_key: appKey, sign, timestamp, v, access_token: accessToken } = params;
    if (!method) return josError("14", "缺少方法名参数", "Missing Method");
    if (!appKey) return josError("9", "缺少app_key参数", "Missing App Key");
    const app = world.stores.find((s) => s.platform === "jd" && s.appKey === appKey);
    if (!app) return josError("10", "无效的app_key", "Invalid App Key");
    if (!v) return josError("4", "缺少版本参数", "Missing Version");
    if (v !== "2.0") return josError("5", "不支持的版本号", "Unsupported Version");
    if (!sign) return josError("11", "缺少签名参数", "Missing Signature");
    if (!signaturesEqual(jdSign(params, app.appSecret), sign)) return josError("12", "无效签名", "Invalid Signature");
    if (!timestamp) return josError("7", "缺少时间戳参数", "Missing Timestamp");
    const at = parseJdTimestamp(timestamp);
    if (!at || Math.abs(at.getTime() - now().getTime()) > timestampSkewMs) {
      return josError("8", "非法的时间戳参数", "Invalid Timestamp");
    }
    const grant = ledger.check(appKey, accessToken ?? "");
    if (!grant.ok) {
      const why = { unknown: "token不存在", expired: "token已过期", revoked: "商家已取消授权" }[grant.reason];
      return josError("19", `${why}，请重新授权访问。`, "Invalid access_token");
    }
    const handler = methods[method];
    if (!handler) return josError("15", "不存在的方法名", "Invalid Method");
    let business: unknown;
    try {
      business = JSON.parse(params["360buy_param_json"] ?? "{}");
    } catch {
      return josError("13", "360buy_param_json 不是合法的 JSON", "Invalid param json");
    }
    if (!business || typeof business !== "object")
      return josError("13", "360buy_param_json 无效", "Invalid param json");
    return handler(grant.store, method, business as Business);
  };

  return [
    { method: "POST", url: "/routerjson", handle: (r) => handle({ ...r.query, ...r.form }) },
    { method: "GET", url: "/routerjson", handle: (r) => handle(r.query) },
    ...jdOAuthRoutes(world, ledger, now),
    ...grantControlRoutes("jd", ledger),
  ];
}
