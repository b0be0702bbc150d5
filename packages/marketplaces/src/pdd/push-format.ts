import { z } from "zod";
import type { OrderChange } from "../adapter.ts";
import type { MessageKinds } from "../toolkit/content.ts";
import { PddOrder } from "./order-format.ts";

/**
 * The shape of a Pinduoduo push, in one place.
 *
 * DOCUMENTED (PDD 消息服务): a WebSocket channel carrying commands
 * `{commandType, id, sendTime, message}`; commandType Common (a message),
 * HeartBeat (every 5–10 s), Ack (the client confirms each message id) and Fail;
 * `message` is `{type: <topic>, mallID, content}` with `content` a JSON string.
 * Topics used here: pdd_trade_TradeConfirmed, pdd_trade_TradeSellerShip,
 * pdd_refund_RefundCreated, pdd_refund_RefundAgreeAgreement,
 * pdd_refund_RefundClosed; their content carries `tid` (the order_sn) and
 * `mall_id`.
 *
 * ASSUMED (our HTTP equivalent of the WebSocket, and what PDD keeps to partners):
 * - one command per HTTP POST to `/connect/pdd/<storeKey>`; the 2xx answer
 *   `{"commandType":"Ack","success":true}` plays the Ack command;
 * - authentication by query `client_id, timestamp` (Unix seconds) and `sign` =
 *   the POP signature over {client_id, timestamp, body = the raw request body},
 *   i.e. POP's request signing applied to the push; freshness ±5 minutes;
 * - trade/refund content also carries `order`, a snapshot in the shape of
 *   `pdd.order.information.get`'s order_info, so the push is self-contained;
 * - buyer chat (多多客服) topics `pdd_chat_BuyerMessage` (content `msg_id,
 *   buyer_open_id, buyer_nick, msg_type` text|image|goods|order, `content`,
 *   `image_url`, `goods_id, goods_name`, `order_sn`, `send_time` Unix seconds),
 *   `pdd_chat_BuyerRead` (`buyer_open_id, buyer_nick, read_time`) and
 *   `pdd_comment_CommentCreated` (`comment_id, order_sn, buyer_open_id,
 *   buyer_nick, desc_score` 1–5, `comment`, `create_time`).
 */

export const pushFreshnessMs = 5 * 60 * 1000;
export const pushAckBody = JSON.stringify({ commandType: "Ack", success: true });

/** 多多客服's msg_type words, the same in the BuyerMessage push and in cs.message.send. */
export const pddMessageKinds: MessageKinds = {
  text: "text",
  image: "image",
  product_card: "goods",
  order_card: "order",
};

export const pddTopics = {
  tradeConfirmed: "pdd_trade_TradeConfirmed",
  tradeSellerShip: "pdd_trade_TradeSellerShip",
  refundCreated: "pdd_refund_RefundCreated",
  refundAgreed: "pdd_refund_RefundAgreeAgreement",
  refundClosed: "pdd_refund_RefundClosed",
  buyerMessage: "pdd_chat_BuyerMessage",
  buyerRead: "pdd_chat_BuyerRead",
  commentCreated: "pdd_comment_CommentCreated",
} as const;

/** The documented trade and refund topics and the change each one is. */
export const orderChangeOfTopic: Record<string, OrderChange> = {
  [pddTopics.tradeConfirmed]: "paid",
  [pddTopics.tradeSellerShip]: "shipped",
  [pddTopics.refundCreated]: "refund_requested",
  [pddTopics.refundAgreed]: "refund_agreed",
  [pddTopics.refundClosed]: "refund_closed",
};

const id = z.union([z.string(), z.number()]).transform(String);

export const PddCommand = z.object({
  commandType: z.enum(["Common", "HeartBeat", "Ack", "Fail"]),
  id: id.optional(),
  sendTime: z.number().optional(),
  message: z.object({ type: z.string(), mallID: id.optional(), content: z.string() }).optional(),
});

export const TradeContent = z.object({ tid: id, mall_id: id.optional(), order: PddOrder });

export const ChatContent = z.object({
  msg_id: id,
  buyer_open_id: z.string().min(1),
  buyer_nick: z.string().nullish(),
  msg_type: z.string(),
  content: z.string().nullish(),
  image_url: z.string().nullish(),
  goods_id: id.nullish(),
  goods_name: z.string().nullish(),
  order_sn: id.nullish(),
  send_time: z.number(),
});
export type ChatContent = z.infer<typeof ChatContent>;

export const ReadContent = z.object({
  buyer_open_id: z.string().min(1),
  buyer_nick: z.string().nullish(),
  read_time: z.number(),
});

export const CommentContent = z.object({
  comment_id: id,
  order_sn: id.nullish(),
  buyer_open_id: z.string().min(1),
  buyer_nick: z.string().nullish(),
  desc_score: z.number().int().min(1).max(5),
  comment: z.string().default(""),
  create_time: z.number(),
});
