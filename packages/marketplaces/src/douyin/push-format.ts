import { z } from "zod";
import type { OrderChange } from "../adapter.ts";
import type { MessageKinds } from "../toolkit/content.ts";
import { DouyinOrder } from "./order-format.ts";

/**
 * The shape of a 抖店 push, in one place.
 *
 * DOCUMENTED (抖店消息推送): an HTTP POST whose body is a JSON array of
 * `{tag, msg_id, data}` with `data` a JSON string; header `app-id` (the app
 * key) and `event-sign` = md5(app_key + raw body + app_secret); the receiver
 * answers `{"code":0,"msg":"success"}` or the message is pushed again. Order
 * tags 100–113 and 126 (100 订单创建, 101 订单支付, 102 卖家发货, 103 交易完成,
 * 106 订单取消 used here), after-sales 200–211 (200 买家发起售后, 201 同意退款,
 * 206 退款成功, 207 售后关闭 used here); order data carries p_id, s_ids,
 * shop_id, order_status; after-sales data aftersale_id, p_id, aftersale_status.
 *
 * ASSUMED:
 * - `data` of order and after-sales tags also carries `order`, a snapshot in
 *   the shape of order.orderDetail's shop_order_detail, and `update_time`
 *   (Unix seconds, when the change happened);
 * - buyer chat (飞鸽) tags `im_buyer_message` (data `msg_id, doudian_open_id,
 *   nick_name, msg_type` text|image|product|order, `content`, `image_url`,
 *   `product_id, product_name`, `order_id`, `create_time`), `im_buyer_read`
 *   (`doudian_open_id, nick_name, read_time`) and `comment_created`
 *   (`comment_id, order_id, doudian_open_id, nick_name, rank` 1–5, `content`,
 *   `create_time`);
 * - freshness: the push signs no timestamp, so the event's own time must be
 *   within 24 h (the redelivery horizon) and not more than 5 min ahead.
 */

export const pushFreshnessMs = 24 * 3600_000;
export const pushFutureSkewMs = 5 * 60_000;
export const pushAckBody = JSON.stringify({ code: 0, msg: "success" });

/** 飞鸽's msg_type words, the same in the IM push and in im.sendMessage. */
export const douyinMessageKinds: MessageKinds = {
  text: "text",
  image: "image",
  product_card: "product",
  order_card: "order",
};

export const douyinTags = {
  orderCreated: "100",
  orderPaid: "101",
  orderShipped: "102",
  orderCompleted: "103",
  orderCanceled: "106",
  refundRequested: "200",
  refundAgreed: "201",
  refundSucceeded: "206",
  refundClosed: "207",
  buyerMessage: "im_buyer_message",
  buyerRead: "im_buyer_read",
  commentCreated: "comment_created",
} as const;

export const orderChangeOfTag: Record<string, OrderChange> = {
  [douyinTags.orderCreated]: "created",
  [douyinTags.orderPaid]: "paid",
  [douyinTags.orderShipped]: "shipped",
  [douyinTags.orderCompleted]: "completed",
  [douyinTags.orderCanceled]: "closed",
  [douyinTags.refundRequested]: "refund_requested",
  [douyinTags.refundAgreed]: "refund_agreed",
  [douyinTags.refundSucceeded]: "refund_agreed",
  [douyinTags.refundClosed]: "refund_closed",
};

const id = z.union([z.string(), z.number()]).transform(String);

export const DouyinPushBody = z.array(z.object({ tag: id, msg_id: id, data: z.string() })).min(1);

export const OrderData = z.object({ p_id: id, update_time: z.number().int(), order: DouyinOrder });

export const ImMessageData = z.object({
  msg_id: id,
  doudian_open_id: z.string().min(1),
  nick_name: z.string().nullish(),
  msg_type: z.string(),
  content: z.string().nullish(),
  image_url: z.string().nullish(),
  product_id: id.nullish(),
  product_name: z.string().nullish(),
  order_id: id.nullish(),
  create_time: z.number().int(),
});
export type ImMessageData = z.infer<typeof ImMessageData>;

export const ImReadData = z.object({
  doudian_open_id: z.string().min(1),
  nick_name: z.string().nullish(),
  read_time: z.number().int(),
});

export const CommentData = z.object({
  comment_id: id,
  order_id: id.nullish(),
  doudian_open_id: z.string().min(1),
  nick_name: z.string().nullish(),
  rank: z.number().int().min(1).max(5),
  content: z.string().default(""),
  create_time: z.number().int(),
});
