import { z } from "zod";
import type { OrderChange } from "../adapter.ts";
import type { MessageKinds } from "../toolkit/content.ts";
import { KuaishouOrder } from "./order-format.ts";

/**
 * The shape of a Kuaishou push, in one place. Kuaishou's message service is
 * open to partners only, so the whole format is MODELLED on the platform's
 * documented conventions (camelCase fields, ms timestamps, the request
 * signing, `{result: 1}` answers):
 * - an HTTP POST to `/connect/kuaishou/<storeKey>` whose body is one message
 *   `{eventId, bizId, msgId, appKey, openId (the seller), event, info, createTime,
 *   test}` with `info` a JSON string (the real service also AES-encrypts the
 *   body with the app's message key; we authenticate with a signature instead);
 * - query `appkey, timestamp` (ms), `signMethod` and `sign` = the request
 *   signature over {appkey, timestamp, signMethod, param = the raw body}, with
 *   the signSecret; freshness ±5 minutes;
 * - the answer `{"result":1,"msg":"success"}`;
 * - events and their `info`: the `kwaishop_order_*` and
 *   `kwaishop_aftersales_*` events below carry `{oid, status, updateTime,
 *   order}` (order in open.order.detail's shape); `kwaishop_cs_buyerMessage`
 *   `{msgId, buyerOpenId, buyerNick, msgType text|image|item|order, content,
 *   imageUrl, itemId, itemTitle, oid, sendTime}`; `kwaishop_cs_buyerRead`
 *   `{buyerOpenId, buyerNick, readTime}`; `kwaishop_comment_commentCreate`
 *   `{commentId, oid, buyerOpenId, buyerNick, score 1–5, content, createTime}`.
 */

export const pushFreshnessMs = 5 * 60 * 1000;
export const pushAckBody = JSON.stringify({ result: 1, msg: "success" });

/** The msgType words, the same in the buyerMessage push and in cs.message.send. */
export const kuaishouMessageKinds: MessageKinds = {
  text: "text",
  image: "image",
  product_card: "item",
  order_card: "order",
};

export const kuaishouEvents = {
  buyerMessage: "kwaishop_cs_buyerMessage",
  buyerRead: "kwaishop_cs_buyerRead",
  commentCreated: "kwaishop_comment_commentCreate",
} as const;

export const orderEvents: Record<OrderChange, string> = {
  created: "kwaishop_order_orderCreate",
  paid: "kwaishop_order_orderPaySuccess",
  shipped: "kwaishop_order_orderDeliverySuccess",
  delivered: "kwaishop_order_orderReceiveSuccess",
  completed: "kwaishop_order_orderSuccess",
  closed: "kwaishop_order_orderClose",
  refund_requested: "kwaishop_aftersales_refundCreate",
  refund_agreed: "kwaishop_aftersales_refundAgree",
  refund_closed: "kwaishop_aftersales_refundClose",
};

export const orderChangeOfEvent: Record<string, OrderChange> = Object.fromEntries(
  Object.entries(orderEvents).map(([change, event]) => [event, change as OrderChange]),
);

const id = z.union([z.string(), z.number()]).transform(String);

export const KuaishouPushBody = z.object({
  eventId: id.optional(),
  msgId: id,
  appKey: z.string().optional(),
  openId: z.string().optional(),
  event: z.string(),
  info: z.string(),
  createTime: z.number().optional(),
  test: z.boolean().optional(),
});

export const OrderInfo = z.object({ oid: id, updateTime: z.number(), order: KuaishouOrder });

export const MessageInfo = z.object({
  msgId: id,
  buyerOpenId: z.string().min(1),
  buyerNick: z.string().nullish(),
  msgType: z.string(),
  content: z.string().nullish(),
  imageUrl: z.string().nullish(),
  itemId: id.nullish(),
  itemTitle: z.string().nullish(),
  oid: id.nullish(),
  sendTime: z.number(),
});
export type MessageInfo = z.infer<typeof MessageInfo>;

export const ReadInfo = z.object({
  buyerOpenId: z.string().min(1),
  buyerNick: z.string().nullish(),
  readTime: z.number(),
});

export const CommentInfo = z.object({
  commentId: id,
  oid: id.nullish(),
  buyerOpenId: z.string().min(1),
  buyerNick: z.string().nullish(),
  score: z.number().int().min(1).max(5),
  content: z.string().default(""),
  createTime: z.number(),
});
