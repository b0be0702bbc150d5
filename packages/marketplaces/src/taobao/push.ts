import { z } from "zod";
import type {
  AdapterCredentials,
  InboundContent,
  InboundEvent,
  PlatformOrder,
  PushRequest,
  PushVerification,
} from "../adapter.ts";
import { parseJsonExact } from "../json.ts";
import { yuanToCents } from "../money.ts";
import { signaturesEqual } from "../signing.ts";
import { inboundContent } from "../toolkit/content.ts";
import { checkPushTime, Malformed, normalizeJsonPush, type PushRefusal, refuse } from "../toolkit/push.ts";
import {
  BuyerMessageContent,
  buyerMessageTopic,
  logisticsTraceTopic,
  OrderContent,
  orderTopics,
  pushFreshnessMs,
  ReadReceiptContent,
  rateScores,
  readReceiptTopic,
  ServiceEvaluationContent,
  serviceEvaluationTopic,
  signedAction,
  type TmcMessage,
  TmcPushBody,
  TradeRateContent,
  taobaoMessageKinds,
  tradeRateTopic,
} from "./push-format.ts";
import { isTopSignMethod, parseTopTimestamp, topSign } from "./signing.ts";
import { tradeToOrder } from "./trade.ts";

/** Verify and normalize a Taobao push (formats in push-format.ts). Pure: no I/O. */

function buyer(nick: string) {
  // Taobao nicks are global across stores, so the nick is the identity.
  return { platformBuyerId: nick, displayName: nick };
}

function toContent(c: BuyerMessageContent): InboundContent {
  return inboundContent(taobaoMessageKinds, {
    kind: c.content_type,
    text: c.text,
    imageUrl: c.url,
    productId: c.item_id,
    productTitle: c.item_title,
    orderId: c.tid,
  });
}

function parseContent<T extends z.ZodType>(message: TmcMessage, schema: T): z.output<T> {
  let raw: unknown;
  try {
    raw = parseJsonExact(message.content);
  } catch {
    throw new Malformed(`message ${message.id}: content is not JSON`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new Malformed(`message ${message.id}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function timestamp(message: TmcMessage, value: string | undefined): Date {
  const at = value ? parseTopTimestamp(value) : undefined;
  if (!at) throw new Malformed(`message ${message.id}: ${value ?? "(missing)"} is not a TOP timestamp`);
  return at;
}

/** The order a trade/refund push is about: the full trade when present, else the documented thin fields. */
function orderOf(content: OrderContent, fallbackAt: Date): PlatformOrder {
  if (content.trade) return tradeToOrder(content.trade);
  const nick = content.buyer_nick ?? "";
  const thin = tradeToOrder({ tid: content.tid, status: content.status ?? "", buyer_nick: nick });
  return { ...thin, totalCents: yuanToCents(content.payment), createdAt: fallbackAt };
}

function normalize(message: TmcMessage): InboundEvent | undefined {
  const change = orderTopics[message.topic];
  if (change) {
    const content = parseContent(message, OrderContent);
    const at = message.pub_time ? timestamp(message, message.pub_time) : new Date(0);
    return { kind: "order", eventId: message.id, change, order: orderOf(content, at), at };
  }
  switch (message.topic) {
    case buyerMessageTopic: {
      const c = parseContent(message, BuyerMessageContent);
      return {
        kind: "message",
        platformMessageId: c.msg_id,
        buyer: buyer(c.buyer_nick),
        content: toContent(c),
        sentAt: timestamp(message, c.send_time),
      };
    }
    case readReceiptTopic: {
      const c = parseContent(message, ReadReceiptContent);
      return { kind: "read", buyer: buyer(c.buyer_nick), readAt: timestamp(message, c.read_time) };
    }
    case logisticsTraceTopic: {
      const c = parseContent(message, OrderContent);
      if (c.action !== signedAction) return undefined;
      const at = timestamp(message, c.time ?? message.pub_time);
      return { kind: "order", eventId: message.id, change: "delivered", order: orderOf(c, at), at };
    }
    case tradeRateTopic: {
      const c = parseContent(message, TradeRateContent);
      return {
        kind: "evaluation",
        eventId: `rate:${c.rate_id}`,
        buyer: buyer(c.buyer_nick),
        orderId: c.tid,
        score: rateScores[c.result],
        comment: c.content,
        at: timestamp(message, c.created),
      };
    }
    case serviceEvaluationTopic: {
      const c = parseContent(message, ServiceEvaluationContent);
      return {
        kind: "evaluation",
        eventId: `service:${c.evaluation_id}`,
        buyer: buyer(c.buyer_nick),
        score: c.score,
        comment: c.comment,
        at: timestamp(message, c.eval_time),
      };
    }
    default:
      // Other TMC topics (TradeChanged, item changes …) are valid pushes we do not need.
      return undefined;
  }
}

/**
 * Not shared with the other query-signed pushes on purpose: the parameter names,
 * what is signed and the timestamp format are this platform's own; the common
 * parts (refusals, the time window) come from toolkit/push.ts.
 */
function checkSignature(request: PushRequest, credentials: AdapterCredentials, now: Date): PushRefusal | undefined {
  const { app_key: appKey, timestamp: ts, sign_method: signMethod, sign } = request.query;
  if (!appKey || !ts || !signMethod || !sign) return refuse("bad_signature", "missing signature parameters");
  if (appKey !== credentials.appKey) return refuse("bad_signature", "app_key does not match the store");
  if (!isTopSignMethod(signMethod)) return refuse("bad_signature", `unsupported sign_method ${signMethod}`);
  const params = { app_key: appKey, timestamp: ts, sign_method: signMethod, body: request.rawBody };
  if (!signaturesEqual(topSign(params, credentials.appSecret, signMethod), sign)) {
    return refuse("bad_signature", "signature does not match");
  }
  return checkPushTime(parseTopTimestamp(ts), now, pushFreshnessMs, "yyyy-MM-dd HH:mm:ss");
}

export function verifyTaobaoPush(request: PushRequest, credentials: AdapterCredentials, now: Date): PushVerification {
  const refusal = checkSignature(request, credentials, now);
  if (refusal) return refusal;
  // A TMC push is a batch of messages.
  return normalizeJsonPush(request.rawBody, TmcPushBody, (body) =>
    body.messages.map(normalize).filter((e): e is InboundEvent => e !== undefined),
  );
}
