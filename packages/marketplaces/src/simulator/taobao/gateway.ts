import { signaturesEqual } from "../../signing.ts";
import { formatTopTimestamp, isTopSignMethod, parseTopTimestamp, topSign } from "../../taobao/signing.ts";
import type { SimStore } from "../options.ts";
import type { GatewayResponse, GatewayRoute, PersonalityContext } from "../personality.ts";
import type { SimOrder, SimOrderStatus } from "../world.ts";

/**
 * The TOP gateway `/router/rest`, checking requests in the order and with the
 * error codes TOP documents (21 missing method, 28/29 app key, 24/25 signature,
 * 30/31 timestamp ±10 min, 26/27 session, 22 unknown method, 40 missing
 * argument), all as HTTP 200 with `error_response`, as TOP answers.
 */

const timestampSkewMs = 10 * 60 * 1000;
const invalidSignMethod = { sub_code: "isv.invalid-sign-method", sub_msg: "sign_method 仅支持 md5, hmac, hmac-sha256" };

const topStatus: Record<SimOrderStatus, string> = {
  unpaid: "WAIT_BUYER_PAY",
  paid: "WAIT_SELLER_SEND_GOODS",
  shipped: "WAIT_BUYER_CONFIRM_GOODS",
  completed: "TRADE_FINISHED",
  closed: "TRADE_CLOSED",
};

function requestId(): string {
  return Math.random().toString(36).slice(2, 15);
}

function topError(code: number, msg: string, sub?: { sub_code: string; sub_msg: string }): GatewayResponse {
  return { status: 200, body: { error_response: { code, msg, ...sub, request_id: requestId() } } };
}

function ok(method: string, body: Record<string, unknown>): GatewayResponse {
  const key = `${method.replace(/^taobao\./, "").replaceAll(".", "_")}_response`;
  return { status: 200, body: { [key]: { ...body, request_id: requestId() } } };
}

const yuan = (cents: number) => (cents / 100).toFixed(2);

function tradeJson(order: SimOrder, fields: Set<string>): Record<string, unknown> {
  const all: Record<string, unknown> = {
    tid: Number(order.orderId),
    tid_str: order.orderId,
    status: topStatus[order.status],
    title: order.title,
    payment: yuan(order.amountCents),
    total_fee: yuan(order.amountCents),
    created: formatTopTimestamp(order.createdAt),
    buyer_nick: order.buyerNick,
    orders: { order: [{ title: order.title, num_iid: Number(order.productId), payment: yuan(order.amountCents) }] },
  };
  const wantsOrders = [...fields].some((f) => f.startsWith("orders"));
  return Object.fromEntries(Object.entries(all).filter(([k]) => fields.has(k) || (k === "orders" && wantsOrders)));
}

export function taobaoGatewayRoutes({ world, now }: PersonalityContext): GatewayRoute[] {
  const handle = (params: Record<string, string>): GatewayResponse => {
    const { method, app_key: appKey, sign, sign_method: signMethod = "md5", timestamp, session } = params;
    if (!method) return topError(21, "Missing method");
    if (!appKey) return topError(28, "Missing app key");
    const apps = world.stores.filter((s) => s.platform === "taobao" && s.appKey === appKey);
    const app = apps[0];
    if (!app) return topError(29, "Invalid app Key");
    if (!sign) return topError(24, "Missing signature");
    if (!isTopSignMethod(signMethod)) return topError(25, "Invalid signature", invalidSignMethod);
    if (!signaturesEqual(topSign(params, app.appSecret, signMethod), sign)) return topError(25, "Invalid signature");
    if (!timestamp) return topError(30, "Missing timestamp");
    const at = parseTopTimestamp(timestamp);
    if (!at || Math.abs(at.getTime() - now().getTime()) > timestampSkewMs) return topError(31, "Invalid timestamp");
    if (!session) return topError(26, "Missing session");
    const store = apps.find((s) => s.accessToken === session);
    if (!store) return topError(27, "Invalid session");

    switch (method) {
      case "taobao.qianniu.cloudkefu.message.send":
        return send(store, method, params);
      case "taobao.trades.sold.get":
        return tradesSoldGet(store, method, params);
      default:
        return topError(22, "Invalid method");
    }
  };

  const send = (store: SimStore, method: string, params: Record<string, string>): GatewayResponse => {
    const { buyer_nick: buyerNick, content, client_msg_id: clientMsgId } = params;
    if (!buyerNick || !content) {
      return topError(40, `Missing required arguments:${buyerNick ? "content" : "buyer_nick"}`);
    }
    if (!world.buyer("taobao", buyerNick)) {
      return topError(15, "Remote service error", { sub_code: "isv.buyer-not-exist", sub_msg: "买家不存在" });
    }
    const platformMsgId = world.nextId();
    // Recorded as the buyer received it; deliberately no dedupe on client_msg_id,
    // so a test can see a reply that was sent twice.
    world.replies.push({
      platform: "taobao",
      storeKey: store.storeKey,
      buyerNick,
      text: content,
      clientMsgId: clientMsgId ?? null,
      platformMsgId,
      receivedAt: now().toISOString(),
    });
    return ok(method, { result: { success: true, msg_id: platformMsgId } });
  };

  const tradesSoldGet = (store: SimStore, method: string, params: Record<string, string>): GatewayResponse => {
    if (!params.fields) return topError(40, "Missing required arguments:fields");
    const fields = new Set(params.fields.split(",").map((f) => f.trim()));
    const pageNo = Math.max(1, Number(params.page_no ?? 1) || 1);
    const pageSize = Math.min(100, Math.max(1, Number(params.page_size ?? 40) || 40));
    const trades = world
      .orders(store.storeKey, params.buyer_nick)
      .filter((o) => !params.status || topStatus[o.status] === params.status)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    const page = trades.slice((pageNo - 1) * pageSize, pageNo * pageSize);
    // TOP leaves `trades` out entirely when there are none.
    return ok(method, {
      total_results: trades.length,
      ...(page.length > 0 ? { trades: { trade: page.map((o) => tradeJson(o, fields)) } } : {}),
    });
  };

  return [
    { method: "POST", url: "/router/rest", handle: (r) => handle({ ...r.query, ...r.form }) },
    { method: "GET", url: "/router/rest", handle: (r) => handle(r.query) },
  ];
}
