import { formatJdTime, formatJdTimestamp, jdSign } from "../../jd/signing.ts";
import type { SimStore } from "../options.ts";
import {
  type BuyerMessage,
  type EncodedPush,
  jsonPushTo,
  type OrderEventMessage,
  type SimEvent,
} from "../personality.ts";
import { orderInfoJson } from "./order-json.ts";

/**
 * Events as JD would push them to Yunxi: the ASSUMED format described in
 * `jd/push-format.ts` (one JSON object per POST, signed like a JOS call with the
 * body as 360buy_param_json). Written by hand, not with the adapter's schemas.
 */

/** Sign any body as a JD push. */
export function signJdPush(store: SimStore, body: string, attemptAt: Date): EncodedPush {
  const query = { app_key: store.appKey, timestamp: formatJdTimestamp(attemptAt), v: "2.0" };
  const sign = jdSign({ ...query, "360buy_param_json": body }, store.appSecret);
  return jsonPushTo("jd", store, body, { query: { ...query, sign } });
}

const orderTopics: Record<OrderEventMessage["change"], string> = {
  created: "pop_order_create",
  paid: "pop_order_pay",
  shipped: "pop_order_out",
  delivered: "pop_order_delivered",
  completed: "pop_order_finish",
  closed: "pop_order_cancel",
  refund_requested: "pop_afs_apply",
  refund_agreed: "pop_afs_approve",
  refund_closed: "pop_afs_close",
};

function envelope(store: SimStore, envelopeId: number, topic: string, at: Date, data: Record<string, unknown>) {
  return { msgId: String(envelopeId), topic, venderId: store.sellerId, sendTime: formatJdTime(at), data };
}

function message(store: SimStore, m: BuyerMessage) {
  return envelope(store, m.envelopeId, "jd_dd_ChatMessage", m.createdAt, {
    msgId: m.msgId,
    pin: m.buyerNick,
    msgType: "text",
    content: m.text,
    sendTime: formatJdTime(m.createdAt),
  });
}

function pushBody(store: SimStore, event: SimEvent): Record<string, unknown> {
  switch (event.kind) {
    case "message":
      return message(store, event.message);
    case "order": {
      const { order } = event.event;
      const info = orderInfoJson(store, order);
      return envelope(store, event.event.envelopeId, orderTopics[event.event.change], event.event.createdAt, {
        orderId: order.orderId,
        pin: order.buyerNick,
        orderState: info.orderState,
        order: info,
      });
    }
    case "read":
      return envelope(store, event.event.envelopeId, "jd_dd_ReadReceipt", event.event.createdAt, {
        pin: event.event.buyerNick,
        readTime: formatJdTime(event.event.createdAt),
      });
    case "evaluation": {
      const e = event.event;
      return e.orderId
        ? envelope(store, e.envelopeId, "pop_comment_create", e.createdAt, {
            commentId: e.eventId,
            orderId: e.orderId,
            pin: e.buyerNick,
            score: e.score,
            content: e.comment,
            creationTime: formatJdTime(e.createdAt),
          })
        : envelope(store, e.envelopeId, "jd_dd_Satisfaction", e.createdAt, {
            evaluationId: e.eventId,
            pin: e.buyerNick,
            score: e.score,
            comment: e.comment,
            evalTime: formatJdTime(e.createdAt),
          });
    }
  }
}

export function encodeJdEvent(store: SimStore, event: SimEvent, attemptAt: Date): EncodedPush {
  return signJdPush(store, JSON.stringify(pushBody(store, event)), attemptAt);
}

export function encodeJdPush(store: SimStore, m: BuyerMessage, attemptAt: Date): EncodedPush {
  return encodeJdEvent(store, { kind: "message", message: m }, attemptAt);
}
