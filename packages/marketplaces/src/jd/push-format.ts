import { z } from "zod";
import type { OrderChange } from "../adapter.ts";
import type { MessageKinds } from "../toolkit/content.ts";
import { JdOrder } from "./order.ts";

/**
 * The shape of JD pushes, in one place. JD publishes no buyer-chat push (咚咚
 * chat reaches partners through `jingdong.im.pop.*` pull APIs and partner
 * programmes), so EVERYTHING here is ASSUMED, modelled on JOS's own
 * conventions so that one signing routine serves calls and pushes:
 * - HTTP POST to `/connect/jd/<storeKey>` with query `app_key, timestamp`
 *   (`yyyy-MM-dd HH:mm:ss.SSS+0800`), `v=2.0, sign`; `sign` is the JOS
 *   signature UPPER(MD5(secret + sorted name+value + secret)) over {app_key,
 *   timestamp, v, 360buy_param_json = the raw body}: a JOS call in reverse;
 * - a ±5 minute freshness window (JOS allows ±6 min for calls);
 * - the body is one JSON object `{msgId, topic, venderId, sendTime, data}`;
 *   `msgId` is stable across redeliveries; JD redelivers until acknowledged;
 * - the acknowledgement `{"code":"0","success":true,"msg":"success"}`, HTTP 200;
 * - topics and their `data`:
 *   `jd_dd_ChatMessage` {msgId, pin, msgType text|image|sku|order, content,
 *     skuId, skuName, orderId, sendTime};
 *   `jd_dd_ReadReceipt` {pin, readTime};
 *   `jd_dd_Satisfaction` (咚咚 session rating) {evaluationId, pin, score 1–5,
 *     comment, evalTime};
 *   `pop_comment_create` (order comment) {commentId, orderId, pin, score 1–5,
 *     content, creationTime};
 *   order topics below, {orderId, pin, orderState, order} where `order` is the
 *   full orderInfo as `jingdong.pop.order.get` answers it.
 */

export const chatMessageTopic = "jd_dd_ChatMessage";
export const readReceiptTopic = "jd_dd_ReadReceipt";
export const satisfactionTopic = "jd_dd_Satisfaction";
export const commentTopic = "pop_comment_create";

export const orderTopics: Record<string, OrderChange> = {
  pop_order_create: "created",
  pop_order_pay: "paid",
  pop_order_out: "shipped",
  pop_order_delivered: "delivered",
  pop_order_finish: "completed",
  pop_order_cancel: "closed",
  pop_afs_apply: "refund_requested",
  pop_afs_approve: "refund_agreed",
  pop_afs_close: "refund_closed",
};

export const pushFreshnessMs = 5 * 60 * 1000;
export const pushAckBody = JSON.stringify({ code: "0", success: true, msg: "success" });

/** 咚咚's msgType words, the same in the ChatMessage push and in message.send. */
export const jdMessageKinds: MessageKinds = {
  text: "text",
  image: "image",
  product_card: "sku",
  order_card: "order",
};

const Id = z.union([z.string(), z.number()]).transform(String);

export const JdPushBody = z.object({
  msgId: Id,
  topic: z.string().min(1),
  venderId: Id.optional(),
  sendTime: z.string().optional(),
  data: z.record(z.string(), z.unknown()),
});
export type JdPushBody = z.infer<typeof JdPushBody>;

export const ChatMessageData = z.object({
  msgId: Id,
  pin: z.string().min(1),
  msgType: z.string(),
  content: z.string().optional(),
  skuId: Id.optional(),
  skuName: z.string().optional(),
  orderId: Id.optional(),
  sendTime: z.string(),
});
export type ChatMessageData = z.infer<typeof ChatMessageData>;

export const ReadReceiptData = z.object({ pin: z.string().min(1), readTime: z.string() });

export const SatisfactionData = z.object({
  evaluationId: Id,
  pin: z.string().min(1),
  score: z.number().int().min(1).max(5),
  comment: z.string().default(""),
  evalTime: z.string(),
});

export const CommentData = z.object({
  commentId: Id,
  orderId: Id.optional(),
  pin: z.string().min(1),
  score: z.number().int().min(1).max(5),
  content: z.string().default(""),
  creationTime: z.string(),
});

export const OrderData = z.object({
  orderId: Id,
  pin: z.string().optional(),
  orderState: z.string().optional(),
  order: JdOrder.optional(),
});
