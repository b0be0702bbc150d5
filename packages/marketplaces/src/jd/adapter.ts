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
import { newestFirst, nowOf } from "../toolkit/answers.ts";
import { assertSendable, type SendFields, sendParams } from "../toolkit/content.ts";
import { jsonPushAck } from "../toolkit/push.ts";
import { jdAuthorization } from "./authorization.ts";
import { callJos } from "./jos-client.ts";
import { JdOrder, jdOrderFields, jdOrderToPlatformOrder } from "./order.ts";
import { verifyJdPush } from "./push.ts";
import { jdMessageKinds, pushAckBody } from "./push-format.ts";
import { formatJdTime, parseJdTimestamp } from "./signing.ts";

/**
 * JD (京东 POP, 咚咚 customer service). What is documented and what is assumed:
 * - DOCUMENTED: JOS signing and common parameters, `/routerjson`, the
 *   `_responce` envelope and gateway error codes (jos-client.ts);
 *   `jingdong.pop.order.search` (start_date, end_date, order_state,
 *   optional_fields, page, page_size → `searchorderinfo_result {apiResult,
 *   orderInfoList, orderTotal}`); `jingdong.pop.order.get` (order_id,
 *   optional_fields → `orderDetailInfo {apiResult, orderInfo}`); order fields
 *   and statuses (order.ts); `jingdong.etms.trace.get` (waybillCode →
 *   `querytrace_result {code, message, data[] {opeTitle, opeRemark, opeName,
 *   opeTime}}`) for the parcel's trace.
 * - ASSUMED (咚咚 APIs go to partner ISVs only):
 *   `jingdong.im.pop.message.send` {pin, msgType text|image|sku|order, content,
 *   clientMsgId} → `result {success, msgId}`, deduplicating on clientMsgId per
 *   store as IM send APIs do; a `pin` filter on `jingdong.pop.order.search`
 *   (the 咚咚 workbench shows a buyer's orders; JOS offers no documented
 *   per-buyer search); `jingdong.im.pop.coupon.send` {pin, couponId} →
 *   `result {success, couponCode}`.
 * - Pushes: see push-format.ts (all assumed). Buyer identity: the JD pin, one
 *   account across all JD shops.
 * - Limits ASSUMED: 500 characters per message, 10 sends per second per store;
 *   links only to JD's own hosts (JD's 咚咚 content rules forbid 站外链接).
 */

export const jdSendMethod = "jingdong.im.pop.message.send";
export const jdOrderSearchMethod = "jingdong.pop.order.search";
export const jdOrderGetMethod = "jingdong.pop.order.get";
export const jdTraceMethod = "jingdong.etms.trace.get";
export const jdCouponMethod = "jingdong.im.pop.coupon.send";

/** Every order state, for a search that means "all of them". */
export const jdOrderStates = [
  "WAIT_BUYER_PAY",
  "WAIT_SELLER_STOCK_OUT",
  "WAIT_SELLER_DELIVERY",
  "WAIT_SEND_CODE",
  "POP_ORDER_PAUSE",
  "WAIT_GOODS_RECEIVE_CONFIRM",
  "FINISHED_L",
  "TRADE_CANCELED",
  "LOCKED",
];

export const jdLimits: PlatformLimits = {
  maxTextLength: 500,
  forbidsExternalLinks: true,
  allowedLinkHosts: ["jd.com", "3.cn", "jd.hk", "360buyimg.com", "jkcsjd.com"],
  sendsPerSecond: 10,
};

const Result = z.object({ code: z.union([z.string(), z.number()]).transform(String).optional() });

/** The business answer inside `_responce`: `code` "0" is success. */
function checkCode(method: string, body: Record<string, unknown>): void {
  const parsed = Result.safeParse(body);
  const code = parsed.success ? parsed.data.code : undefined;
  if (code !== undefined && code !== "0") {
    throw new PlatformError(code, `JOS ${method} answered code ${code}`, false);
  }
}

/** message.send carries every kind's value in `content`. */
const sendFields: SendFields = {
  buyer: "pin",
  kind: "msgType",
  text: "content",
  image: "content",
  product_card: "content",
  order_card: "content",
  clientMessageId: "clientMsgId",
};

const SendAnswer = z.object({
  result: z.object({ success: z.boolean(), msgId: z.union([z.string(), z.number()]).transform(String).optional() }),
});

async function send(store: StoreContext, message: OutboundMessage): Promise<SendResult> {
  assertSendable(jdLimits, message.content);
  const body = await callJos(store, jdSendMethod, sendParams(jdMessageKinds, sendFields, message));
  checkCode(jdSendMethod, body);
  const parsed = SendAnswer.safeParse(body);
  if (!parsed.success) throw new PlatformError("bad_response", "message.send answered without result", true);
  if (!parsed.data.result.success || !parsed.data.result.msgId) {
    throw new PlatformError("send_failed", "platform refused the send", false);
  }
  return { platformMessageId: parsed.data.result.msgId };
}

const ApiResult = z.object({
  success: z.boolean(),
  chineseErrCode: z.string().optional(),
  englishErrCode: z.string().optional(),
});
const SearchAnswer = z.object({
  searchorderinfo_result: z.object({
    apiResult: ApiResult,
    orderInfoList: z.array(JdOrder).optional(),
    orderTotal: z.number().optional(),
  }),
});

const searchWindowMs = 90 * 24 * 3600 * 1000;

async function fetchBuyerOrders(store: StoreContext, buyer: BuyerIdentity): Promise<PlatformOrder[]> {
  const now = nowOf(store);
  const body = await callJos(store, jdOrderSearchMethod, {
    pin: buyer.platformBuyerId,
    start_date: formatJdTime(new Date(now.getTime() - searchWindowMs)),
    end_date: formatJdTime(now),
    order_state: jdOrderStates.join(","),
    optional_fields: jdOrderFields,
    page: "1",
    page_size: "20",
  });
  checkCode(jdOrderSearchMethod, body);
  const parsed = SearchAnswer.safeParse(body);
  if (!parsed.success) throw new PlatformError("bad_response", "order.search answered an unexpected shape", true);
  const result = parsed.data.searchorderinfo_result;
  if (!result.apiResult.success) {
    throw new PlatformError("search_failed", result.apiResult.chineseErrCode ?? "order.search failed", false);
  }
  return newestFirst((result.orderInfoList ?? []).map(jdOrderToPlatformOrder));
}

const GetAnswer = z.object({
  orderDetailInfo: z.object({ apiResult: ApiResult, orderInfo: JdOrder.optional() }),
});

async function getOrder(store: StoreContext, orderId: string): Promise<z.output<typeof JdOrder>> {
  const body = await callJos(store, jdOrderGetMethod, { order_id: orderId, optional_fields: jdOrderFields });
  checkCode(jdOrderGetMethod, body);
  const parsed = GetAnswer.safeParse(body);
  if (!parsed.success) throw new PlatformError("bad_response", "order.get answered an unexpected shape", true);
  const { apiResult, orderInfo } = parsed.data.orderDetailInfo;
  if (!apiResult.success || !orderInfo)
    throw new PlatformError("not_found", `no order ${orderId} in this store`, false);
  return orderInfo;
}

async function fetchOrder(store: StoreContext, orderId: string): Promise<PlatformOrder> {
  return jdOrderToPlatformOrder(await getOrder(store, orderId));
}

const TraceAnswer = z.object({
  querytrace_result: z.object({
    code: z.union([z.number(), z.string()]).transform(Number),
    message: z.string().optional(),
    data: z
      .array(z.object({ opeTitle: z.string().optional(), opeRemark: z.string().optional(), opeTime: z.string() }))
      .optional(),
  }),
});

async function fetchLogistics(store: StoreContext, orderId: string): Promise<LogisticsTrace> {
  const order = await getOrder(store, orderId);
  if (!order.waybill) throw new PlatformError("not_found", `order ${orderId} has not shipped`, false);
  const body = await callJos(store, jdTraceMethod, { waybillCode: order.waybill });
  checkCode(jdTraceMethod, body);
  const parsed = TraceAnswer.safeParse(body);
  if (!parsed.success) throw new PlatformError("bad_response", "etms.trace.get answered an unexpected shape", true);
  const result = parsed.data.querytrace_result;
  // 100 is the trace service's success code.
  if (result.code !== 100) throw new PlatformError(String(result.code), result.message ?? "trace failed", false);
  return {
    carrier: order.logisticsName ?? order.logisticsId ?? "",
    trackingNo: order.waybill,
    nodes: (result.data ?? []).map((d) => ({
      at: parseJdTimestamp(d.opeTime) ?? new Date(0),
      description: d.opeRemark ?? d.opeTitle ?? "",
    })),
  };
}

const CouponAnswer = z.object({ result: z.object({ success: z.boolean(), couponCode: z.string().optional() }) });

async function sendCoupon(store: StoreContext, buyer: BuyerIdentity, templateId: string): Promise<CouponGrant> {
  const body = await callJos(store, jdCouponMethod, { pin: buyer.platformBuyerId, couponId: templateId });
  checkCode(jdCouponMethod, body);
  const parsed = CouponAnswer.safeParse(body);
  if (!parsed.success) throw new PlatformError("bad_response", "coupon.send answered without result", true);
  if (!parsed.data.result.success || !parsed.data.result.couponCode) {
    throw new PlatformError("coupon_refused", "the platform refused the coupon", false);
  }
  return { couponId: parsed.data.result.couponCode };
}

function acknowledgePush(): PushAck {
  return jsonPushAck(pushAckBody);
}

export const jdAdapter: MarketplaceAdapter = {
  platform: "jd",
  limits: jdLimits,
  authorization: jdAuthorization,
  verifyPush: verifyJdPush,
  acknowledgePush,
  send,
  fetchBuyerOrders,
  fetchOrder,
  fetchLogistics,
  sendCoupon,
};
