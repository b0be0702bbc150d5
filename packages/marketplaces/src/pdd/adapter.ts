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
import { idString, newestFirst, notFoundWhen, oldestFirst, parseOrThrow } from "../toolkit/answers.ts";
import { assertSendable, inboundContent, type SendFields, sendParams } from "../toolkit/content.ts";
import { buyerOf, checkPushTime, jsonPushAck, parseJsonOrUndefined as parseJson, refuse } from "../toolkit/push.ts";
import { PddOrder, toPlatformOrder } from "./order-format.ts";
import { callPop } from "./pop-client.ts";
import {
  ChatContent,
  CommentContent,
  orderChangeOfTopic,
  PddCommand,
  pddMessageKinds,
  pddTopics,
  pushAckBody,
  pushFreshnessMs,
  ReadContent,
  TradeContent,
} from "./push-format.ts";
import { parseBeijingTime, parseUnixSeconds, popSign } from "./signing.ts";

/**
 * Pinduoduo (拼多多, POP + 多多客服). What is documented and what is assumed:
 * - DOCUMENTED: signing, `/api/router`, common parameters, the response and
 *   error envelopes (`error_response.error_code`, 20004 bad signature);
 *   `pdd.order.list.get`, `pdd.order.information.get` (order_sn → order_info),
 *   `pdd.logistics.ordertrace.get`, `pdd.pop.auth.token.create` /
 *   `.refresh` (code / refresh_token → access_token, expires_at,
 *   refresh_token, refresh_token_expires_at, owner_id), the authorize page
 *   `fuwu.pinduoduo.com/service-market/auth`.
 * - ASSUMED (多多客服 APIs are for partners): `pdd.cs.message.send`
 *   (buyer_open_id, msg_type text|image|goods|order, content / image_url /
 *   goods_id / order_sn, client_msg_id → msg_id, deduplicated on client_msg_id
 *   per shop), `pdd.promotion.coupon.send` (batch_id, buyer_open_id →
 *   coupon_id), the `buyer_open_id` filter of pdd.order.list.get, the
 *   `order_sn` parameter and `trace_list[]{info, status_time}` answer of
 *   ordertrace.get, the sub_code `order_not_exist`, and the push (push-format.ts).
 * - Buyers are per-shop open ids; the nick is only a display name.
 */

export const pddMethods = {
  send: "pdd.cs.message.send",
  orders: "pdd.order.list.get",
  order: "pdd.order.information.get",
  trace: "pdd.logistics.ordertrace.get",
  coupon: "pdd.promotion.coupon.send",
  tokenCreate: "pdd.pop.auth.token.create",
  tokenRefresh: "pdd.pop.auth.token.refresh",
} as const;

export const pddLimits: PlatformLimits = {
  maxTextLength: 500,
  forbidsExternalLinks: true,
  allowedLinkHosts: ["yangkeduo.com", "pinduoduo.com"],
  sendsPerSecond: 10,
};

function chatContent(c: ChatContent): InboundContent {
  return inboundContent(pddMessageKinds, {
    kind: c.msg_type,
    text: c.content,
    imageUrl: c.image_url,
    productId: c.goods_id,
    productTitle: c.goods_name,
    orderId: c.order_sn,
  });
}

function verifyPush(request: PushRequest, credentials: AdapterCredentials, now: Date): PushVerification {
  const { client_id: clientId, timestamp, sign } = request.query;
  if (!clientId || !timestamp || !sign) return refuse("bad_signature", "missing signature parameters");
  if (clientId !== credentials.appKey) return refuse("bad_signature", "client_id does not match the store");
  const expected = popSign({ client_id: clientId, timestamp, body: request.rawBody }, credentials.appSecret);
  if (!signaturesEqual(expected, sign)) return refuse("bad_signature", "signature does not match");
  const stale = checkPushTime(parseUnixSeconds(timestamp), now, pushFreshnessMs, "Unix seconds");
  if (stale) return stale;

  const command = PddCommand.safeParse(parseJson(request.rawBody));
  if (!command.success) return refuse("malformed", `body: ${z.prettifyError(command.error)}`);
  const { commandType, message } = command.data;
  if (commandType !== "Common") return { ok: true, events: [] };
  if (!message || !command.data.id) return refuse("malformed", "a Common command needs id and message");
  const content = parseJson(message.content);
  if (content === undefined) return refuse("malformed", `message ${command.data.id}: content is not JSON`);
  const event = toEvent(command.data.id, message.type, content);
  if (typeof event === "string") return refuse("malformed", `message ${command.data.id}: ${event}`);
  return { ok: true, events: event ? [event] : [] };
}

/** The event a topic carries, undefined for a topic we do not normalize, or why it is malformed. */
function toEvent(messageId: string, topic: string, content: unknown): InboundEvent | undefined | string {
  const change = orderChangeOfTopic[topic];
  if (change) {
    const trade = TradeContent.safeParse(content);
    if (!trade.success) return z.prettifyError(trade.error);
    const order = toPlatformOrder(trade.data.order);
    return { kind: "order", eventId: messageId, change, order, at: changedAt(trade.data.order, change) };
  }
  switch (topic) {
    case pddTopics.buyerMessage: {
      const chat = ChatContent.safeParse(content);
      if (!chat.success) return z.prettifyError(chat.error);
      return {
        kind: "message",
        platformMessageId: chat.data.msg_id,
        buyer: buyerOf(chat.data.buyer_open_id, chat.data.buyer_nick),
        content: chatContent(chat.data),
        sentAt: new Date(chat.data.send_time * 1000),
      };
    }
    case pddTopics.buyerRead: {
      const read = ReadContent.safeParse(content);
      if (!read.success) return z.prettifyError(read.error);
      return {
        kind: "read",
        buyer: buyerOf(read.data.buyer_open_id, read.data.buyer_nick),
        readAt: new Date(read.data.read_time * 1000),
      };
    }
    case pddTopics.commentCreated: {
      const comment = CommentContent.safeParse(content);
      if (!comment.success) return z.prettifyError(comment.error);
      return {
        kind: "evaluation",
        eventId: messageId,
        buyer: buyerOf(comment.data.buyer_open_id, comment.data.buyer_nick),
        orderId: comment.data.order_sn || undefined,
        score: comment.data.desc_score,
        comment: comment.data.comment,
        at: new Date(comment.data.create_time * 1000),
      };
    }
    default:
      return undefined;
  }
}

/** When the change happened, from the order's own times where POP has one. */
function changedAt(order: PddOrder, change: string): Date {
  const shipped = parseBeijingTime(order.shipping_time);
  const paid = parseBeijingTime(order.pay_time);
  if (change === "shipped" && shipped) return shipped;
  if (change === "paid" && paid) return paid;
  return shipped ?? paid ?? parseBeijingTime(order.created_time) ?? new Date(0);
}

function acknowledgePush(): PushAck {
  return jsonPushAck(pushAckBody);
}

/** cs.message.send's parameter names (ASSUMED, see above). */
const sendFields: SendFields = {
  buyer: "buyer_open_id",
  kind: "msg_type",
  text: "content",
  image: "image_url",
  product_card: "goods_id",
  order_card: "order_sn",
  clientMessageId: "client_msg_id",
};

const SendResponse = z.object({ msg_id: idString });

async function send(store: StoreContext, message: OutboundMessage): Promise<SendResult> {
  assertSendable(pddLimits, message.content);
  const body = await callPop(store, pddMethods.send, sendParams(pddMessageKinds, sendFields, message));
  const parsed = SendResponse.safeParse(body);
  if (!parsed.success) throw new PlatformError("bad_response", "send answered without msg_id", true);
  return { platformMessageId: parsed.data.msg_id };
}

async function fetchBuyerOrders(store: StoreContext, buyer: BuyerIdentity): Promise<PlatformOrder[]> {
  const body = await callPop(store, pddMethods.orders, {
    buyer_open_id: buyer.platformBuyerId,
    page: "1",
    page_size: "50",
  });
  const { order_list: list } = parseOrThrow(
    z.object({ order_list: z.array(PddOrder).default([]) }),
    body,
    pddMethods.orders,
  );
  return newestFirst(list.map(toPlatformOrder));
}

/** POP refuses an unknown order_sn with a sub_code; the interface calls that "not_found". */
const notFoundAsSuch = notFoundWhen(/not_exist/);

async function fetchPddOrder(store: StoreContext, orderId: string): Promise<PddOrder> {
  const body = await callPop(store, pddMethods.order, { order_sn: orderId }).catch(notFoundAsSuch);
  return parseOrThrow(z.object({ order_info: PddOrder }), body, pddMethods.order).order_info;
}

async function fetchOrder(store: StoreContext, orderId: string): Promise<PlatformOrder> {
  return toPlatformOrder(await fetchPddOrder(store, orderId));
}

const TraceResponse = z.object({
  trace_list: z.array(z.object({ info: z.string(), status_time: z.string() })).default([]),
});

async function fetchLogistics(store: StoreContext, orderId: string): Promise<LogisticsTrace> {
  const order = await fetchPddOrder(store, orderId);
  if (!order.tracking_number) throw new PlatformError("not_shipped", `order ${orderId} has not shipped`, false);
  const body = await callPop(store, pddMethods.trace, { order_sn: orderId }).catch(notFoundAsSuch);
  const { trace_list: traces } = parseOrThrow(TraceResponse, body, pddMethods.trace);
  return {
    carrier: order.logistics_company ?? "",
    trackingNo: order.tracking_number,
    nodes: oldestFirst(
      traces.map((t) => ({ at: parseBeijingTime(t.status_time) ?? new Date(0), description: t.info })),
    ),
  };
}

async function sendCoupon(store: StoreContext, buyer: BuyerIdentity, templateId: string): Promise<CouponGrant> {
  const body = await callPop(store, pddMethods.coupon, { batch_id: templateId, buyer_open_id: buyer.platformBuyerId });
  const parsed = parseOrThrow(z.object({ coupon_id: idString }), body, pddMethods.coupon);
  return { couponId: parsed.coupon_id };
}

const TokenResponse = z.object({
  access_token: z.string().min(1),
  expires_at: z.number(),
  refresh_token: z.string().optional(),
  refresh_token_expires_at: z.number().optional(),
  owner_id: idString.optional(),
});

// toTokens and authorizeBase stay per platform (see douyin/adapter.ts).
function toTokens(body: unknown, what: string): AuthorizationTokens {
  const t = parseOrThrow(TokenResponse, body, what);
  return {
    accessToken: t.access_token,
    refreshToken: t.refresh_token,
    expiresAt: new Date(t.expires_at * 1000),
    refreshExpiresAt: t.refresh_token_expires_at ? new Date(t.refresh_token_expires_at * 1000) : undefined,
    sellerId: t.owner_id,
  };
}

/** The real authorize page lives on fuwu.pinduoduo.com; a simulator serves it beside its gateway. */
function authorizeBase(gatewayUrl: string): string {
  const host = new URL(gatewayUrl).hostname;
  return host.endsWith("pinduoduo.com") ? "https://fuwu.pinduoduo.com" : gatewayUrl.replace(/\/+$/, "");
}

export const pddAuthorization: AuthorizationFlow = {
  authorizeUrl({ gatewayUrl, appKey, redirectUri, state }) {
    const query = new URLSearchParams({ response_type: "code", client_id: appKey, redirect_uri: redirectUri, state });
    return `${authorizeBase(gatewayUrl)}/service-market/auth?${query.toString()}`;
  },
  async exchangeCode(store, { code }) {
    return toTokens(await callPop(store, pddMethods.tokenCreate, { code }, { withToken: false }), "token.create");
  },
  async refresh(store, refreshToken) {
    const body = await callPop(store, pddMethods.tokenRefresh, { refresh_token: refreshToken }, { withToken: false });
    return toTokens(body, "token.refresh");
  },
};

export const pddAdapter: MarketplaceAdapter = {
  platform: "pdd",
  limits: pddLimits,
  authorization: pddAuthorization,
  verifyPush,
  acknowledgePush,
  send,
  fetchBuyerOrders,
  fetchOrder,
  fetchLogistics,
  sendCoupon,
};
