import { z } from "zod";
import type {
  AdapterCredentials,
  InboundContent,
  InboundEvent,
  PlatformOrder,
  PushRequest,
  PushVerification,
} from "../adapter.ts";
import { signaturesEqual } from "../signing.ts";
import { inboundContent } from "../toolkit/content.ts";
import { checkPushTime, Malformed, normalizeJsonPush, type PushRefusal, refuse } from "../toolkit/push.ts";
import { jdOrderToPlatformOrder } from "./order.ts";
import {
  type ChatMessageData,
  ChatMessageData as ChatMessageSchema,
  CommentData,
  chatMessageTopic,
  commentTopic,
  JdPushBody,
  jdMessageKinds,
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

function buyer(pin: string) {
  // A JD pin is the buyer's account across all JD shops.
  return { platformBuyerId: pin, displayName: pin };
}

function toContent(d: ChatMessageData): InboundContent {
  // An image message carries its URL in `content`, as message.send does.
  return inboundContent(jdMessageKinds, {
    kind: d.msgType,
    text: d.content,
    imageUrl: d.content,
    productId: d.skuId,
    productTitle: d.skuName,
    orderId: d.orderId,
  });
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

/**
 * Not shared with the other query-signed pushes on purpose: the parameter names,
 * what is signed and the timestamp format are this platform's own; the common
 * parts (refusals, the time window) come from toolkit/push.ts.
 */
function checkSignature(request: PushRequest, credentials: AdapterCredentials, now: Date): PushRefusal | undefined {
  const { app_key: appKey, timestamp, v, sign } = request.query;
  if (!appKey || !timestamp || !v || !sign) return refuse("bad_signature", "missing signature parameters");
  if (appKey !== credentials.appKey) return refuse("bad_signature", "app_key does not match the store");
  const expected = jdSign(
    { app_key: appKey, timestamp, v, "360buy_param_json": request.rawBody },
    credentials.appSecret,
  );
  if (!signaturesEqual(expected, sign)) return refuse("bad_signature", "signature does not match");
  return checkPushTime(parseJdTimestamp(timestamp), now, pushFreshnessMs, "yyyy-MM-dd HH:mm:ss.SSS+0800");
}

export function verifyJdPush(request: PushRequest, credentials: AdapterCredentials, now: Date): PushVerification {
  const refusal = checkSignature(request, credentials, now);
  if (refusal) return refusal;
  // One event per push.
  return normalizeJsonPush(request.rawBody, JdPushBody, (body) => {
    const event = normalize(body);
    return event ? [event] : [];
  });
}
