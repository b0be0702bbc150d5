import { timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type {
  AdapterCredentials,
  AuthorizationFlow,
  AuthorizationTokens,
  BuyerIdentity,
  CouponGrant,
  InboundContent,
  InboundEvent,
  LogisticsTrace,
  MarketplaceAdapter,
  OutboundMessage,
  PlatformLimits,
  PlatformOrder,
  PushAck,
  PushRequest,
  PushVerification,
  SendResult,
  StoreContext,
} from "../adapter.ts";
import { PlatformError } from "../adapter.ts";
import { idString, newestFirst, notFoundWhen, nowOf, oldestFirst, parseOrThrow } from "../toolkit/answers.ts";
import { assertSendable, inboundContent, type SendFields, sendParams } from "../toolkit/content.ts";
import { buyerOf, checkPushTime, jsonPushAck, parseJsonOrUndefined as parseJson, refuse } from "../toolkit/push.ts";
import { callKuaishou, callKuaishouOAuth } from "./open-client.ts";
import { KuaishouOrder, toPlatformOrder } from "./order-format.ts";
import {
  CommentInfo,
  KuaishouPushBody,
  kuaishouEvents,
  kuaishouMessageKinds,
  MessageInfo,
  OrderInfo,
  orderChangeOfEvent,
  pushAckBody,
  pushFreshnessMs,
  ReadInfo,
} from "./push-format.ts";
import { isKuaishouSignMethod, kuaishouSign } from "./signing.ts";

/**
 * Kuaishou (快手电商开放平台). What is documented and what is assumed:
 * - DOCUMENTED: signing with the separate signSecret, `/open/...` paths,
 *   form-encoded common parameters, `{result: 1, data}` answers;
 *   `open.order.cursor.list` (cursor, pageSize → orderList),
 *   `open.order.detail` (oid), the OAuth endpoints `/oauth2/access_token`
 *   (grant_type=code) and `/oauth2/refresh_token`, the authorize page
 *   `open.kwaixiaodian.com/oauth/authorize`.
 * - ASSUMED: `open.cs.message.send` (buyerOpenId, msgType text|image|item|order,
 *   content / imageUrl / itemId / oid, clientMsgId → msgId, deduplicated on
 *   clientMsgId per shop), `open.promotion.coupon.send` (couponConfigId,
 *   buyerOpenId → couponId), `open.logistics.trace.query` (expressNo,
 *   expressCode → traces[]{desc, time}), the buyerOpenId filter of
 *   cursor.list, error result codes other than 1 and 802006 (the simulator's
 *   40001–41001 and 5xxxx), and the whole push format (push-format.ts).
 * - Buyers are per-shop `buyerOpenId`s; the nick is only a display name.
 */

export const kuaishouMethods = {
  send: "open.cs.message.send",
  orders: "open.order.cursor.list",
  order: "open.order.detail",
  trace: "open.logistics.trace.query",
  coupon: "open.promotion.coupon.send",
} as const;

export const kuaishouLimits: PlatformLimits = {
  maxTextLength: 500,
  forbidsExternalLinks: true,
  allowedLinkHosts: ["kuaishou.com", "kwaixiaodian.com", "gifshow.com"],
  sendsPerSecond: 10,
};

function messageContent(m: MessageInfo): InboundContent {
  return inboundContent(kuaishouMessageKinds, {
    kind: m.msgType,
    text: m.content,
    imageUrl: m.imageUrl,
    productId: m.itemId,
    productTitle: m.itemTitle,
    orderId: m.oid,
  });
}

function toEvent(msgId: string, event: string, info: unknown): InboundEvent | undefined | string {
  const change = orderChangeOfEvent[event];
  if (change) {
    const d = OrderInfo.safeParse(info);
    if (!d.success) return z.prettifyError(d.error);
    return {
      kind: "order",
      eventId: msgId,
      change,
      order: toPlatformOrder(d.data.order),
      at: new Date(d.data.updateTime),
    };
  }
  switch (event) {
    case kuaishouEvents.buyerMessage: {
      const d = MessageInfo.safeParse(info);
      if (!d.success) return z.prettifyError(d.error);
      return {
        kind: "message",
        platformMessageId: d.data.msgId,
        buyer: buyerOf(d.data.buyerOpenId, d.data.buyerNick),
        content: messageContent(d.data),
        sentAt: new Date(d.data.sendTime),
      };
    }
    case kuaishouEvents.buyerRead: {
      const d = ReadInfo.safeParse(info);
      if (!d.success) return z.prettifyError(d.error);
      return { kind: "read", buyer: buyerOf(d.data.buyerOpenId, d.data.buyerNick), readAt: new Date(d.data.readTime) };
    }
    case kuaishouEvents.commentCreated: {
      const d = CommentInfo.safeParse(info);
      if (!d.success) return z.prettifyError(d.error);
      return {
        kind: "evaluation",
        eventId: msgId,
        buyer: buyerOf(d.data.buyerOpenId, d.data.buyerNick),
        orderId: d.data.oid || undefined,
        score: d.data.score,
        comment: d.data.content,
        at: new Date(d.data.createTime),
      };
    }
    default:
      return undefined;
  }
}

function verifyPush(request: PushRequest, credentials: AdapterCredentials, now: Date): PushVerification {
  const { appkey, timestamp, signMethod, sign } = request.query;
  if (!appkey || !timestamp || !signMethod || !sign) return refuse("bad_signature", "missing signature parameters");
  if (!credentials.signSecret) return refuse("bad_signature", "the store has no signSecret to check pushes with");
  if (appkey !== credentials.appKey) return refuse("bad_signature", "appkey does not match the store");
  if (!isKuaishouSignMethod(signMethod)) return refuse("bad_signature", `unsupported signMethod ${signMethod}`);
  const expected = kuaishouSign(
    { appkey, timestamp, signMethod, param: request.rawBody },
    credentials.signSecret,
    signMethod,
  );
  // Base64 is case-sensitive: compare exactly, in constant time (not signaturesEqual, which ignores case for hex).
  const a = Buffer.from(expected);
  const b = Buffer.from(sign);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return refuse("bad_signature", "sign does not match");
  // Milliseconds; anything else is an invalid Date, which the window refuses as stale.
  const sentAt = new Date(/^\d{1,15}$/.test(timestamp) ? Number(timestamp) : Number.NaN);
  const stale = checkPushTime(sentAt, now, pushFreshnessMs, "Unix milliseconds");
  if (stale) return stale;

  const body = KuaishouPushBody.safeParse(parseJson(request.rawBody));
  if (!body.success) return refuse("malformed", `body: ${z.prettifyError(body.error)}`);
  const info = parseJson(body.data.info);
  if (info === undefined) return refuse("malformed", `message ${body.data.msgId}: info is not JSON`);
  const event = toEvent(body.data.msgId, body.data.event, info);
  if (typeof event === "string") return refuse("malformed", `message ${body.data.msgId}: ${event}`);
  return { ok: true, events: event ? [event] : [] };
}

function acknowledgePush(): PushAck {
  return jsonPushAck(pushAckBody);
}

/** cs.message.send's parameter names (ASSUMED, see above). */
const sendFields: SendFields = {
  buyer: "buyerOpenId",
  kind: "msgType",
  text: "content",
  image: "imageUrl",
  product_card: "itemId",
  order_card: "oid",
  clientMessageId: "clientMsgId",
};

async function send(store: StoreContext, message: OutboundMessage): Promise<SendResult> {
  assertSendable(kuaishouLimits, message.content);
  const data = await callKuaishou(store, kuaishouMethods.send, sendParams(kuaishouMessageKinds, sendFields, message));
  return { platformMessageId: parseOrThrow(z.object({ msgId: idString }), data, kuaishouMethods.send).msgId };
}

async function fetchBuyerOrders(store: StoreContext, buyer: BuyerIdentity): Promise<PlatformOrder[]> {
  const data = await callKuaishou(store, kuaishouMethods.orders, {
    buyerOpenId: buyer.platformBuyerId,
    orderViewStatus: 1,
    pageSize: 50,
    sort: 1,
    cursor: "",
  });
  const { orderList } = parseOrThrow(
    z.object({ orderList: z.array(KuaishouOrder).default([]) }),
    data,
    kuaishouMethods.orders,
  );
  return newestFirst(orderList.map(toPlatformOrder));
}

/** Kuaishou answers an unknown oid with a business refusal; the interface calls that "not_found". */
const notFoundAsSuch = notFoundWhen(/订单不存在|not exist/);

async function fetchKuaishouOrder(store: StoreContext, orderId: string): Promise<KuaishouOrder> {
  const data = await callKuaishou(store, kuaishouMethods.order, { oid: orderId }).catch(notFoundAsSuch);
  return parseOrThrow(KuaishouOrder, data, kuaishouMethods.order);
}

async function fetchOrder(store: StoreContext, orderId: string): Promise<PlatformOrder> {
  return toPlatformOrder(await fetchKuaishouOrder(store, orderId));
}

const TraceData = z.object({ traces: z.array(z.object({ desc: z.string(), time: z.number() })).default([]) });

async function fetchLogistics(store: StoreContext, orderId: string): Promise<LogisticsTrace> {
  const order = await fetchKuaishouOrder(store, orderId);
  const parcel = order.orderLogisticsInfo[0];
  if (!parcel) throw new PlatformError("not_shipped", `order ${orderId} has not shipped`, false);
  const data = await callKuaishou(store, kuaishouMethods.trace, {
    expressNo: parcel.expressNo,
    expressCode: parcel.expressCode ?? "",
  });
  const { traces } = parseOrThrow(TraceData, data, kuaishouMethods.trace);
  return {
    carrier: parcel.logisticsCompany || parcel.expressCode || "",
    trackingNo: parcel.expressNo,
    nodes: oldestFirst(traces.map((t) => ({ at: new Date(t.time), description: t.desc }))),
  };
}

async function sendCoupon(store: StoreContext, buyer: BuyerIdentity, templateId: string): Promise<CouponGrant> {
  const data = await callKuaishou(store, kuaishouMethods.coupon, {
    couponConfigId: templateId,
    buyerOpenId: buyer.platformBuyerId,
  });
  return { couponId: parseOrThrow(z.object({ couponId: idString }), data, kuaishouMethods.coupon).couponId };
}

const TokenAnswer = z.object({
  access_token: z.string().min(1),
  expires_in: z.number(),
  refresh_token: z.string().optional(),
  refresh_token_expires_in: z.number().optional(),
  open_id: z.string().optional(),
});

// toTokens and authorizeBase stay per platform (see douyin/adapter.ts).
function toTokens(body: unknown, what: string, now: Date): AuthorizationTokens {
  const t = parseOrThrow(TokenAnswer, body, what);
  return {
    accessToken: t.access_token,
    refreshToken: t.refresh_token,
    expiresAt: new Date(now.getTime() + t.expires_in * 1000),
    refreshExpiresAt: t.refresh_token_expires_in
      ? new Date(now.getTime() + t.refresh_token_expires_in * 1000)
      : undefined,
    sellerId: t.open_id,
  };
}

function authorizeBase(gatewayUrl: string): string {
  const host = new URL(gatewayUrl).hostname;
  return host.endsWith("kwaixiaodian.com") ? "https://open.kwaixiaodian.com" : gatewayUrl.replace(/\/+$/, "");
}

export const kuaishouAuthorization: AuthorizationFlow = {
  authorizeUrl({ gatewayUrl, appKey, redirectUri, state }) {
    const query = new URLSearchParams({
      app_id: appKey,
      redirect_uri: redirectUri,
      scope: "merchant_order,merchant_item,merchant_user,merchant_servicemarket",
      response_type: "code",
      state,
    });
    return `${authorizeBase(gatewayUrl)}/oauth/authorize?${query.toString()}`;
  },
  async exchangeCode(store, { code }) {
    const now = nowOf(store);
    const body = await callKuaishouOAuth(store, "/oauth2/access_token", { grant_type: "code", code });
    return toTokens(body, "oauth2/access_token", now);
  },
  async refresh(store, refreshToken) {
    const now = nowOf(store);
    const body = await callKuaishouOAuth(store, "/oauth2/refresh_token", {
      grant_type: "refresh_token",
      refresh_token: refreshToken,
    });
    return toTokens(body, "oauth2/refresh_token", now);
  },
};

export const kuaishouAdapter: MarketplaceAdapter = {
  platform: "kuaishou",
  limits: kuaishouLimits,
  authorization: kuaishouAuthorization,
  verifyPush,
  acknowledgePush,
  send,
  fetchBuyerOrders,
  fetchOrder,
  fetchLogistics,
  sendCoupon,
};
