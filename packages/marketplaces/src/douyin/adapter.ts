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
import { signaturesEqual } from "../signing.ts";
import { idString, newestFirst, notFoundWhen, nowOf, oldestFirst, parseOrThrow } from "../toolkit/answers.ts";
import { assertSendable, inboundContent, type SendFields, sendParams } from "../toolkit/content.ts";
import { buyerOf, jsonPushAck, parseJsonOrUndefined as parseJson, refuse } from "../toolkit/push.ts";
import { callDouyin } from "./open-client.ts";
import { DouyinOrder, toPlatformOrder } from "./order-format.ts";
import {
  CommentData,
  DouyinPushBody,
  douyinMessageKinds,
  douyinTags,
  ImMessageData,
  ImReadData,
  OrderData,
  orderChangeOfTag,
  pushAckBody,
  pushFreshnessMs,
  pushFutureSkewMs,
} from "./push-format.ts";
import { douyinPushSign } from "./signing.ts";

/**
 * Douyin 抖店 (open platform + 飞鸽 IM). What is documented and what is assumed:
 * - DOCUMENTED: signing, the method-as-path gateway and `{code, msg, sub_code,
 *   sub_msg, data}` envelope with its codes; `order.searchList` (page from 0,
 *   size; answer shop_order_list, total), `order.orderDetail` (shop_order_id →
 *   shop_order_detail), `logistics.trackNoRouteDetail` (logistics_code,
 *   track_no), `token.create` (code, grant_type=authorization_code) and
 *   `token.refresh` (refresh_token, grant_type=refresh_token) answering
 *   access_token, expires_in, refresh_token, shop_id, shop_name; pushes (push-format.ts).
 * - ASSUMED (飞鸽 APIs are for partners): `im.sendMessage` (doudian_open_id,
 *   msg_type text|image|product|order, content / image_url / product_id /
 *   order_id, client_msg_id → msg_id, deduplicated on client_msg_id per shop),
 *   `promotion.sendCoupon` (coupon_meta_id, doudian_open_id → coupon_id), the
 *   `doudian_open_id` filter of order.searchList, the route answer
 *   `route_node_list[]{content, timestamp}`, the refresh token's 14-day life,
 *   "order_not_exist" in the sub_code of an unknown order, and the authorize
 *   page's query (the real one is the service market's, keyed by service_id).
 * - Buyers are per-shop `doudian_open_id`s; the nick is only a display name.
 */

export const douyinMethods = {
  send: "im.sendMessage",
  orders: "order.searchList",
  order: "order.orderDetail",
  route: "logistics.trackNoRouteDetail",
  coupon: "promotion.sendCoupon",
  tokenCreate: "token.create",
  tokenRefresh: "token.refresh",
} as const;

export const douyinLimits: PlatformLimits = {
  maxTextLength: 500,
  forbidsExternalLinks: true,
  allowedLinkHosts: ["douyin.com", "jinritemai.com", "haohuo.jinritemai.com"],
  sendsPerSecond: 10,
};

export const refreshTokenLifeMs = 14 * 24 * 3600_000;

function imContent(d: ImMessageData): InboundContent {
  return inboundContent(douyinMessageKinds, {
    kind: d.msg_type,
    text: d.content,
    imageUrl: d.image_url,
    productId: d.product_id,
    productTitle: d.product_name,
    orderId: d.order_id,
  });
}

type Parsed = { event: InboundEvent | undefined; at: Date } | string;

function parseMessage(tag: string, msgId: string, data: unknown): Parsed {
  const change = orderChangeOfTag[tag];
  if (change) {
    const d = OrderData.safeParse(data);
    if (!d.success) return z.prettifyError(d.error);
    const at = new Date(d.data.update_time * 1000);
    return { event: { kind: "order", eventId: msgId, change, order: toPlatformOrder(d.data.order), at }, at };
  }
  switch (tag) {
    case douyinTags.buyerMessage: {
      const d = ImMessageData.safeParse(data);
      if (!d.success) return z.prettifyError(d.error);
      const at = new Date(d.data.create_time * 1000);
      const buyer = buyerOf(d.data.doudian_open_id, d.data.nick_name);
      return {
        event: { kind: "message", platformMessageId: d.data.msg_id, buyer, content: imContent(d.data), sentAt: at },
        at,
      };
    }
    case douyinTags.buyerRead: {
      const d = ImReadData.safeParse(data);
      if (!d.success) return z.prettifyError(d.error);
      const at = new Date(d.data.read_time * 1000);
      return { event: { kind: "read", buyer: buyerOf(d.data.doudian_open_id, d.data.nick_name), readAt: at }, at };
    }
    case douyinTags.commentCreated: {
      const d = CommentData.safeParse(data);
      if (!d.success) return z.prettifyError(d.error);
      const at = new Date(d.data.create_time * 1000);
      const event: InboundEvent = {
        kind: "evaluation",
        eventId: msgId,
        buyer: buyerOf(d.data.doudian_open_id, d.data.nick_name),
        orderId: d.data.order_id || undefined,
        score: d.data.rank,
        comment: d.data.content,
        at,
      };
      return { event, at };
    }
    default: {
      // A tag we do not normalize is still a valid push; its time, if it has one, counts for freshness.
      const time = (data as { update_time?: unknown; create_time?: unknown } | undefined) ?? {};
      const seconds = typeof time.update_time === "number" ? time.update_time : time.create_time;
      return { event: undefined, at: typeof seconds === "number" ? new Date(seconds * 1000) : new Date(Number.NaN) };
    }
  }
}

// Not on toolkit/push.ts's time window: 抖店 signs no time, so freshness is judged by the events' own age.
function verifyPush(request: PushRequest, credentials: AdapterCredentials, now: Date): PushVerification {
  const sign = request.headers["event-sign"];
  if (!sign) return refuse("bad_signature", "missing event-sign header");
  const appId = request.headers["app-id"];
  if (appId !== undefined && appId !== credentials.appKey)
    return refuse("bad_signature", "app-id does not match the store");
  if (!signaturesEqual(douyinPushSign(credentials.appKey, request.rawBody, credentials.appSecret), sign)) {
    return refuse("bad_signature", "event-sign does not match");
  }
  const body = DouyinPushBody.safeParse(parseJson(request.rawBody));
  if (!body.success) return refuse("malformed", `body: ${z.prettifyError(body.error)}`);

  const events: InboundEvent[] = [];
  let newest = Number.NEGATIVE_INFINITY;
  for (const message of body.data) {
    const data = parseJson(message.data);
    if (data === undefined) return refuse("malformed", `message ${message.msg_id}: data is not JSON`);
    const parsed = parseMessage(message.tag, message.msg_id, data);
    if (typeof parsed === "string") return refuse("malformed", `message ${message.msg_id}: ${parsed}`);
    if (parsed.event) events.push(parsed.event);
    if (parsed.at.getTime() > now.getTime() + pushFutureSkewMs) {
      return refuse("stale_timestamp", `message ${message.msg_id} is dated in the future`);
    }
    if (!Number.isNaN(parsed.at.getTime())) newest = Math.max(newest, parsed.at.getTime());
  }
  // The body signs no time: a replay is recognized by its events being old.
  if (newest !== Number.NEGATIVE_INFINITY && now.getTime() - newest > pushFreshnessMs) {
    return refuse("stale_timestamp", "every event of the push is more than 24 hours old");
  }
  return { ok: true, events };
}

function acknowledgePush(): PushAck {
  return jsonPushAck(pushAckBody);
}

/** im.sendMessage's parameter names (ASSUMED, see above). */
const sendFields: SendFields = {
  buyer: "doudian_open_id",
  kind: "msg_type",
  text: "content",
  image: "image_url",
  product_card: "product_id",
  order_card: "order_id",
  clientMessageId: "client_msg_id",
};

async function send(store: StoreContext, message: OutboundMessage): Promise<SendResult> {
  assertSendable(douyinLimits, message.content);
  const data = await callDouyin(store, douyinMethods.send, sendParams(douyinMessageKinds, sendFields, message));
  return { platformMessageId: parseOrThrow(z.object({ msg_id: idString }), data, douyinMethods.send).msg_id };
}

async function fetchBuyerOrders(store: StoreContext, buyer: BuyerIdentity): Promise<PlatformOrder[]> {
  const data = await callDouyin(store, douyinMethods.orders, {
    doudian_open_id: buyer.platformBuyerId,
    page: 0,
    size: 50,
    order_by: "create_time",
    order_asc: false,
  });
  const { shop_order_list: list } = parseOrThrow(
    z.object({ shop_order_list: z.array(DouyinOrder).default([]) }),
    data,
    douyinMethods.orders,
  );
  return newestFirst(list.map(toPlatformOrder));
}

/** 抖店 names an unknown order in the sub_code (ASSUMED, see above); the interface calls that "not_found". */
const notFoundAsSuch = notFoundWhen(/order_not_exist|订单不存在/);

async function fetchDouyinOrder(store: StoreContext, orderId: string): Promise<DouyinOrder> {
  const data = await callDouyin(store, douyinMethods.order, { shop_order_id: orderId }).catch(notFoundAsSuch);
  return parseOrThrow(z.object({ shop_order_detail: DouyinOrder }), data, douyinMethods.order).shop_order_detail;
}

async function fetchOrder(store: StoreContext, orderId: string): Promise<PlatformOrder> {
  return toPlatformOrder(await fetchDouyinOrder(store, orderId));
}

const RouteAnswer = z.object({
  route_node_list: z.array(z.object({ content: z.string(), timestamp: z.number() })).default([]),
});

async function fetchLogistics(store: StoreContext, orderId: string): Promise<LogisticsTrace> {
  const order = await fetchDouyinOrder(store, orderId);
  const parcel = order.logistics_info[0];
  if (!parcel) throw new PlatformError("not_shipped", `order ${orderId} has not shipped`, false);
  const data = await callDouyin(store, douyinMethods.route, {
    logistics_code: parcel.company ?? "",
    track_no: parcel.tracking_no,
  });
  const { route_node_list: nodes } = parseOrThrow(RouteAnswer, data, douyinMethods.route);
  return {
    carrier: parcel.company_name || parcel.company || "",
    trackingNo: parcel.tracking_no,
    nodes: oldestFirst(nodes.map((n) => ({ at: new Date(n.timestamp * 1000), description: n.content }))),
  };
}

async function sendCoupon(store: StoreContext, buyer: BuyerIdentity, templateId: string): Promise<CouponGrant> {
  const data = await callDouyin(store, douyinMethods.coupon, {
    coupon_meta_id: templateId,
    doudian_open_id: buyer.platformBuyerId,
  });
  return { couponId: parseOrThrow(z.object({ coupon_id: idString }), data, douyinMethods.coupon).coupon_id };
}

const TokenData = z.object({
  access_token: z.string().min(1),
  expires_in: z.number(),
  refresh_token: z.string().optional(),
  shop_id: idString.optional(),
});

// toTokens and authorizeBase stay per platform: the token answers differ in
// fields and in how lifetimes are given (absolute seconds, relative seconds, none).
function toTokens(data: unknown, what: string, now: Date): AuthorizationTokens {
  const t = parseOrThrow(TokenData, data, what);
  return {
    accessToken: t.access_token,
    refreshToken: t.refresh_token,
    expiresAt: new Date(now.getTime() + t.expires_in * 1000),
    refreshExpiresAt: t.refresh_token ? new Date(now.getTime() + refreshTokenLifeMs) : undefined,
    sellerId: t.shop_id,
  };
}

function authorizeBase(gatewayUrl: string): string {
  const host = new URL(gatewayUrl).hostname;
  return host.endsWith("jinritemai.com") ? "https://fuwu.jinritemai.com" : `${gatewayUrl.replace(/\/+$/, "")}/fuwu`;
}

export const douyinAuthorization: AuthorizationFlow = {
  authorizeUrl({ gatewayUrl, appKey, redirectUri, state }) {
    const query = new URLSearchParams({ app_key: appKey, response_type: "code", redirect_uri: redirectUri, state });
    return `${authorizeBase(gatewayUrl)}/authorize?${query.toString()}`;
  },
  async exchangeCode(store, { code }) {
    const now = nowOf(store);
    const data = await callDouyin(
      store,
      douyinMethods.tokenCreate,
      { code, grant_type: "authorization_code" },
      { withToken: false },
    );
    return toTokens(data, douyinMethods.tokenCreate, now);
  },
  async refresh(store, refreshToken) {
    const now = nowOf(store);
    const data = await callDouyin(
      store,
      douyinMethods.tokenRefresh,
      { refresh_token: refreshToken, grant_type: "refresh_token" },
      { withToken: false },
    );
    return toTokens(data, douyinMethods.tokenRefresh, now);
  },
};

export const douyinAdapter: MarketplaceAdapter = {
  platform: "douyin",
  limits: douyinLimits,
  authorization: douyinAuthorization,
  verifyPush,
  acknowledgePush,
  send,
  fetchBuyerOrders,
  fetchOrder,
  fetchLogistics,
  sendCoupon,
};
