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
import { signaturesEqual } from "../signing.ts";
import { jdOrderToPlatformOrder } from "./order.ts";
import {
  type ChatMessageData,
  ChatMessageData as ChatMessageSchema,
  CommentData,
  chatMessageTopic,
  commentTopic,
  JdPushBody,
  OrderData,
  orderTopics,
  pushFreshnessMs,
  ReadReceiptData,
  readReceiptTopic,
  SatisfactionData,
  satisfactionTopic,
} from "./push-format.ts";
import { jdSign, parseJdTimestamp } from "./signing.ts";

/** Verify and normalize a JD push (formats in push-format.ts). Pure: no I/O. */

type Refusal = Extract<PushVerification, { ok: false }>;
class Malformed extends Error {}

function refuse(reason: Refusal["reason"], message: string): Refusal {
  return { ok: false, reason, message };
}

function buyer(pin: string) {
  // A JD pin is the buyer's account across all JD shops.
  return { platformBuyerId: pin, displayName: pin };
}

function toContent(d: ChatMessageData): InboundContent {
  switch (d.msgType) {
    case "text":
      return { type: "text", text: d.content ?? "" };
    case "image":
      if (d.content) return { type: "image", url: d.content };
      break;
    case "sku":
      if (d.skuId) return { type: "product_card", productId: d.skuId, title: d.skuName ?? "" };
      break;
    case "order":
      if (d.orderId) return { type: "order_card", orderId: d.orderId };
      break;
  }
  // Unknown kinds must not be redelivered forever; the agent sees that something arrived.
  return { type: "text", text: d.content ?? `[暂不支持的消息类型: ${d.msgType}]` };
}

function parseData<T extends z.ZodType>(body: JdPushBody, schema: T): z.output<T> {
  const parsed = schema.safeParse(body.data);
  if (!parsed.success) throw new Malformed(`push ${body.msgId}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function time(body: JdPushBody, value: string | undefined): Date {
  const at = value ? parseJdTimestamp(value) : undefined;
  if (!at) throw new Malformed(`push ${body.msgId}: ${value ?? "(missing)"} is not a JD time`);
  return at;
}

function orderOf(data: z.output<typeof OrderData>, at: Date): PlatformOrder {
  if (data.order) return jdOrderToPlatformOrder(data.order);
  // Without the full order: what the documented fields say; fetchOrder fills in the rest.
  const thin = jdOrderToPlatformOrder({ orderId: data.orderId, orderState: data.orderState ?? "", pin: data.pin });
  return { ...thin, createdAt: at };
}

function normalize(body: JdPushBody): InboundEvent | undefined {
  const change = orderTopics[body.topic];
  if (change) {
    const data = parseData(body, OrderData);
    const at = time(body, body.sendTime);
    return { kind: "order", eventId: body.msgId, change, order: orderOf(data, at), at };
  }
  switch (body.topic) {
    case chatMessageTopic: {
      const d = parseData(body, ChatMessageSchema);
      return {
        kind: "message",
        platformMessageId: d.msgId,
        buyer: buyer(d.pin),
        content: toContent(d),
        sentAt: time(body, d.sendTime),
      };
    }
    case readReceiptTopic: {
      const d = parseData(body, ReadReceiptData);
      return { kind: "read", buyer: buyer(d.pin), readAt: time(body, d.readTime) };
    }
    case satisfactionTopic: {
      const d = parseData(body, SatisfactionData);
      return {
        kind: "evaluation",
        eventId: `dd:${d.evaluationId}`,
        buyer: buyer(d.pin),
        score: d.score,
        comment: d.comment,
        at: time(body, d.evalTime),
      };
    }
    case commentTopic: {
      const d = parseData(body, CommentData);
      return {
        kind: "evaluation",
        eventId: `comment:${d.commentId}`,
        buyer: buyer(d.pin),
        orderId: d.orderId,
        score: d.score,
        comment: d.content,
        at: time(body, d.creationTime),
      };
    }
    default:
      return undefined;
  }
}

function checkSignature(request: PushRequest, credentials: AdapterCredentials, now: Date): Refusal | undefined {
  const { app_key: appKey, timestamp, v, sign } = request.query;
  if (!appKey || !timestamp || !v || !sign) return refuse("bad_signature", "missing signature parameters");
  if (appKey !== credentials.appKey) return refuse("bad_signature", "app_key does not match the store");
  const expected = jdSign(
    { app_key: appKey, timestamp, v, "360buy_param_json": request.rawBody },
    credentials.appSecret,
  );
  if (!signaturesEqual(expected, sign)) return refuse("bad_signature", "signature does not match");
  const sentAt = parseJdTimestamp(timestamp);
  if (!sentAt) return refuse("stale_timestamp", "timestamp is not yyyy-MM-dd HH:mm:ss.SSS+0800");
  if (Math.abs(now.getTime() - sentAt.getTime()) > pushFreshnessMs) {
    return refuse("stale_timestamp", "timestamp is more than 5 minutes from now");
  }
  return undefined;
}

export function verifyJdPush(request: PushRequest, credentials: AdapterCredentials, now: Date): PushVerification {
  const refusal = checkSignature(request, credentials, now);
  if (refusal) return refusal;
  let json: unknown;
  try {
    json = parseJsonExact(request.rawBody);
  } catch {
    return refuse("malformed", "body is not JSON");
  }
  const body = JdPushBody.safeParse(json);
  if (!body.success) return refuse("malformed", `body: ${z.prettifyError(body.error)}`);
  try {
    const event = normalize(body.data);
    return { ok: true, events: event ? [event] : [] };
  } catch (error) {
    if (error instanceof Malformed) return refuse("malformed", error.message);
    throw error;
  }
}
