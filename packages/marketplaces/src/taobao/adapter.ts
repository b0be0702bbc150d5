import { z } from "zod";
import type {
  BuyerIdentity,
  CouponGrant,
  LogisticsTrace,
  MarketplaceAdapter,
  OutboundMessage,
  PlatformLimits,
  PlatformOrder,
  PushAck,
  SendResult,
  StoreContext,
} from "../adapter.ts";
import { PlatformError } from "../adapter.ts";
import { newestFirst } from "../toolkit/answers.ts";
import { assertSendable, type SendFields, sendParams } from "../toolkit/content.ts";
import { jsonPushAck } from "../toolkit/push.ts";
import { taobaoAuthorization } from "./authorization.ts";
import { verifyTaobaoPush } from "./push.ts";
import { pushAckBody, taobaoMessageKinds } from "./push-format.ts";
import { parseTopTimestamp } from "./signing.ts";
import { callTop, TopError } from "./top-client.ts";
import { TopTrade, tradeFields, tradeToOrder } from "./trade.ts";

/**
 * Taobao / Tmall (千牛). What is documented and what is assumed:
 * - Request signing, common parameters, `/router/rest`, the response envelope
 *   and the platform error codes are TOP's documented conventions.
 * - DOCUMENTED APIs: `taobao.trades.sold.get` (fields, buyer_nick, page_no,
 *   page_size → `trades.trade[]`), `taobao.trade.fullinfo.get` (fields, tid →
 *   `trade`; a missing trade is error 15 `isv.trade-not-exist`),
 *   `taobao.logistics.trace.search` (tid → `out_sid, company_name,
 *   trace_list.transit_step_info[] {status_time, status_desc, action}`).
 * - `taobao.promotion.coupon.send` (coupon_id, buyer_nick →
 *   `coupon_results.coupon_number[]`) existed as documented and is retired;
 *   we ASSUME an equivalent stays available to partner ISVs.
 * - ASSUMED (Taobao gives buyer-chat APIs to partner ISVs only):
 *   `taobao.qianniu.cloudkefu.message.send` with `buyer_nick, msg_type`
 *   (text | image | item | order), `content` (the text, the image URL, the item
 *   id or the trade id), `client_msg_id` → `result.msg_id`. It deduplicates on
 *   `client_msg_id` per store, as IM send APIs do: a repeat answers the original
 *   `msg_id` and the buyer does not receive the message again. Yunxi passes its
 *   message id as client_msg_id, so a delivery retried after a crash between the
 *   send and the commit is not seen twice. The simulator behaves so.
 * - Pushes: see push-format.ts. Limits: the 500-character message length and 20
 *   sends per second per store are ASSUMED (Qianniu's chat box and TOP's default
 *   per-app call quota are not published as numbers); the link rule (only
 *   Taobao/Tmall hosts) is Taobao's published chat content rule.
 */

export const taobaoSendMethod = "taobao.qianniu.cloudkefu.message.send";
export const taobaoOrdersMethod = "taobao.trades.sold.get";
export const taobaoOrderMethod = "taobao.trade.fullinfo.get";
export const taobaoLogisticsMethod = "taobao.logistics.trace.search";
export const taobaoCouponMethod = "taobao.promotion.coupon.send";

export const taobaoLimits: PlatformLimits = {
  maxTextLength: 500,
  forbidsExternalLinks: true,
  allowedLinkHosts: ["taobao.com", "tmall.com", "tb.cn", "alicdn.com", "tmall.hk", "m.tb.cn"],
  sendsPerSecond: 20,
};

function acknowledgePush(): PushAck {
  return jsonPushAck(pushAckBody);
}

/** The send API carries every kind's value in `content` (the text, the image URL, the item id or the trade id). */
const sendFields: SendFields = {
  buyer: "buyer_nick",
  kind: "msg_type",
  text: "content",
  image: "content",
  product_card: "content",
  order_card: "content",
  clientMessageId: "client_msg_id",
};

const SendResponse = z.object({
  result: z.object({ success: z.boolean().optional(), msg_id: z.union([z.string(), z.number()]).transform(String) }),
});

async function send(store: StoreContext, message: OutboundMessage): Promise<SendResult> {
  assertSendable(taobaoLimits, message.content);
  const body = await callTop(store, taobaoSendMethod, sendParams(taobaoMessageKinds, sendFields, message));
  const parsed = SendResponse.safeParse(body);
  if (!parsed.success) throw new PlatformError("bad_response", "send answered without result.msg_id", true);
  if (parsed.data.result.success === false) throw new PlatformError("send_failed", "platform refused the send", false);
  return { platformMessageId: parsed.data.result.msg_id };
}

const TradesSoldGetResponse = z.object({
  total_results: z.number().optional(),
  trades: z.object({ trade: z.array(TopTrade) }).optional(),
});

async function fetchBuyerOrders(store: StoreContext, buyer: BuyerIdentity): Promise<PlatformOrder[]> {
  const body = await callTop(store, taobaoOrdersMethod, {
    fields: tradeFields,
    buyer_nick: buyer.platformBuyerId,
    page_no: "1",
    page_size: "20",
  });
  const parsed = TradesSoldGetResponse.safeParse(body);
  if (!parsed.success) throw new PlatformError("bad_response", "trades.sold.get answered an unexpected shape", true);
  return newestFirst((parsed.data.trades?.trade ?? []).map(tradeToOrder));
}

async function fetchOrder(store: StoreContext, orderId: string): Promise<PlatformOrder> {
  let body: Record<string, unknown>;
  try {
    body = await callTop(store, taobaoOrderMethod, { fields: tradeFields, tid: orderId });
  } catch (error) {
    if (error instanceof TopError && error.subCode === "isv.trade-not-exist") {
      throw new PlatformError("not_found", `no trade ${orderId} in this store`, false);
    }
    throw error;
  }
  const parsed = z.object({ trade: TopTrade }).safeParse(body);
  if (!parsed.success) throw new PlatformError("bad_response", "trade.fullinfo.get answered without trade", true);
  return tradeToOrder(parsed.data.trade);
}

const TraceResponse = z.object({
  out_sid: z.string(),
  company_name: z.string(),
  trace_list: z
    .object({
      transit_step_info: z.array(
        z.object({ status_time: z.string(), status_desc: z.string(), action: z.string().optional() }),
      ),
    })
    .optional(),
});

async function fetchLogistics(store: StoreContext, orderId: string): Promise<LogisticsTrace> {
  let body: Record<string, unknown>;
  try {
    body = await callTop(store, taobaoLogisticsMethod, { tid: orderId, seller_nick: store.sellerId });
  } catch (error) {
    if (error instanceof TopError && error.subCode === "isv.logistics-not-exist") {
      throw new PlatformError("not_found", `no logistics for trade ${orderId}`, false);
    }
    throw error;
  }
  const parsed = TraceResponse.safeParse(body);
  if (!parsed.success)
    throw new PlatformError("bad_response", "logistics.trace.search answered an unexpected shape", true);
  return {
    carrier: parsed.data.company_name,
    trackingNo: parsed.data.out_sid,
    nodes: (parsed.data.trace_list?.transit_step_info ?? []).map((step) => ({
      at: parseTopTimestamp(step.status_time) ?? new Date(0),
      description: step.status_desc,
    })),
  };
}

const CouponResponse = z.object({
  coupon_results: z.object({ coupon_number: z.array(z.union([z.string(), z.number()]).transform(String)).min(1) }),
});

async function sendCoupon(store: StoreContext, buyer: BuyerIdentity, templateId: string): Promise<CouponGrant> {
  const body = await callTop(store, taobaoCouponMethod, { coupon_id: templateId, buyer_nick: buyer.platformBuyerId });
  const parsed = CouponResponse.safeParse(body);
  if (!parsed.success) throw new PlatformError("bad_response", "coupon.send answered without coupon_number", true);
  return { couponId: parsed.data.coupon_results.coupon_number[0] as string };
}

export const taobaoAdapter: MarketplaceAdapter = {
  platform: "taobao",
  limits: taobaoLimits,
  authorization: taobaoAuthorization,
  verifyPush: verifyTaobaoPush,
  acknowledgePush,
  send,
  fetchBuyerOrders,
  fetchOrder,
  fetchLogistics,
  sendCoupon,
};
