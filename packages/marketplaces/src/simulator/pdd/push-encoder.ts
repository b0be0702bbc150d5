import { popSign, popTimestamp } from "../../pdd/signing.ts";
import type { SimStore } from "../options.ts";
import {
  type BuyerMessage,
  type EncodedPush,
  jsonPushTo,
  type OrderEventMessage,
  type SimEvent,
} from "../personality.ts";
import { pddOrderJson } from "./order-json.ts";
import { openIdOf } from "./shared-facts.ts";

/**
 * Pinduoduo pushes as the HTTP equivalent of its message service (see
 * pdd/push-format.ts): one `{commandType:"Common", id, sendTime, message:{type,
 * mallID, content}}` per POST, signed in the query with POP's signing over
 * {client_id, timestamp, body}. Written by hand, not with the adapter's
 * schemas, so the simulator checks the adapter instead of agreeing with it by
 * construction.
 */

/** The documented trade/refund topics; other order changes are not pushed by PDD. */
const topicOfChange: Partial<Record<OrderEventMessage["change"], string>> = {
  paid: "pdd_trade_TradeConfirmed",
  shipped: "pdd_trade_TradeSellerShip",
  refund_requested: "pdd_refund_RefundCreated",
  refund_agreed: "pdd_refund_RefundAgreeAgreement",
  refund_closed: "pdd_refund_RefundClosed",
};

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

function command(store: SimStore, id: number, topic: string, content: object, at: Date, attemptAt: Date): EncodedPush {
  const body = JSON.stringify({
    commandType: "Common",
    id,
    sendTime: at.getTime(),
    message: { type: topic, mallID: store.sellerId, content: JSON.stringify(content) },
  });
  return signPddPush(store, body, attemptAt);
}

/** Any body, signed and addressed as Pinduoduo pushes it (the conformance suite signs malformed ones). */
export function signPddPush(store: SimStore, body: string, attemptAt: Date): EncodedPush {
  const query = { client_id: store.appKey, timestamp: popTimestamp(attemptAt) };
  return jsonPushTo("pdd", store, body, { query: { ...query, sign: popSign({ ...query, body }, store.appSecret) } });
}

export function encodePddPush(store: SimStore, message: BuyerMessage, attemptAt: Date): EncodedPush {
  const content = {
    msg_id: message.msgId,
    buyer_open_id: openIdOf(store, message.buyerNick),
    buyer_nick: message.buyerNick,
    msg_type: "text",
    content: message.text,
    send_time: seconds(message.createdAt),
  };
  return command(store, message.envelopeId, "pdd_chat_BuyerMessage", content, message.createdAt, attemptAt);
}

export function encodePddEvent(store: SimStore, event: SimEvent, attemptAt: Date): EncodedPush | undefined {
  switch (event.kind) {
    case "message":
      return encodePddPush(store, event.message, attemptAt);
    case "order": {
      const { event: e } = event;
      const topic = topicOfChange[e.change];
      if (!topic) return undefined;
      const content = { tid: e.order.orderId, mall_id: store.sellerId, order: pddOrderJson(store, e.order) };
      return command(store, e.envelopeId, topic, content, e.createdAt, attemptAt);
    }
    case "read": {
      const { event: e } = event;
      const content = {
        buyer_open_id: openIdOf(store, e.buyerNick),
        buyer_nick: e.buyerNick,
        read_time: seconds(e.createdAt),
      };
      return command(store, e.envelopeId, "pdd_chat_BuyerRead", content, e.createdAt, attemptAt);
    }
    case "evaluation": {
      const { event: e } = event;
      const content = {
        comment_id: e.eventId,
        order_sn: e.orderId ?? "",
        buyer_open_id: openIdOf(store, e.buyerNick),
        buyer_nick: e.buyerNick,
        desc_score: e.score,
        comment: e.comment,
        create_time: seconds(e.createdAt),
      };
      return command(store, e.envelopeId, "pdd_comment_CommentCreated", content, e.createdAt, attemptAt);
    }
  }
}
