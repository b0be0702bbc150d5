import { kuaishouSign } from "../../kuaishou/signing.ts";
import type { SimStore } from "../options.ts";
import { openIdOf } from "../pdd/shared-facts.ts";
import {
  type BuyerMessage,
  type EncodedPush,
  jsonPushTo,
  type OrderEventMessage,
  type SimEvent,
} from "../personality.ts";
import { simSignSecret } from "./gateway.ts";
import { kuaishouOrderJson } from "./order-json.ts";

/**
 * Kuaishou pushes as modelled in kuaishou/push-format.ts: one message
 * `{eventId, bizId, msgId, appKey, openId, event, info, createTime, test}` per
 * POST, signed in the query with the request signing over {appkey, timestamp,
 * signMethod, param = body}. Written by hand so the simulator checks the adapter.
 */

const orderEvent: Record<OrderEventMessage["change"], string> = {
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

function push(
  store: SimStore,
  event: string,
  msgId: string,
  bizId: string,
  info: object,
  at: Date,
  attemptAt: Date,
): EncodedPush {
  const body = JSON.stringify({
    eventId: msgId,
    bizId,
    msgId,
    appKey: store.appKey,
    openId: store.sellerId,
    event,
    info: JSON.stringify(info),
    createTime: at.getTime(),
    test: false,
  });
  return signKuaishouPush(store, body, attemptAt);
}

/** Any body, signed and addressed as Kuaishou pushes it (the conformance suite signs malformed ones). */
export function signKuaishouPush(store: SimStore, body: string, attemptAt: Date): EncodedPush {
  const query = { appkey: store.appKey, timestamp: String(attemptAt.getTime()), signMethod: "HMAC_SHA256" };
  const sign = kuaishouSign({ ...query, param: body }, simSignSecret(store), "HMAC_SHA256");
  return jsonPushTo("kuaishou", store, body, { query: { ...query, sign } });
}

export function encodeKuaishouPush(store: SimStore, message: BuyerMessage, attemptAt: Date): EncodedPush {
  const info = {
    msgId: message.msgId,
    buyerOpenId: openIdOf(store, message.buyerNick),
    buyerNick: message.buyerNick,
    msgType: "text",
    content: message.text,
    sendTime: message.createdAt.getTime(),
  };
  const id = String(message.envelopeId);
  return push(store, "kwaishop_cs_buyerMessage", id, message.msgId, info, message.createdAt, attemptAt);
}

export function encodeKuaishouEvent(store: SimStore, event: SimEvent, attemptAt: Date): EncodedPush | undefined {
  switch (event.kind) {
    case "message":
      return encodeKuaishouPush(store, event.message, attemptAt);
    case "order": {
      const e = event.event;
      const order = kuaishouOrderJson(store, e.order);
      const info = {
        oid: e.order.orderId,
        status: (order.orderBaseInfo as { status: number }).status,
        updateTime: e.createdAt.getTime(),
        order,
      };
      return push(store, orderEvent[e.change], String(e.envelopeId), e.order.orderId, info, e.createdAt, attemptAt);
    }
    case "read": {
      const e = event.event;
      const info = {
        buyerOpenId: openIdOf(store, e.buyerNick),
        buyerNick: e.buyerNick,
        readTime: e.createdAt.getTime(),
      };
      return push(store, "kwaishop_cs_buyerRead", String(e.envelopeId), e.eventId, info, e.createdAt, attemptAt);
    }
    case "evaluation": {
      const e = event.event;
      const info = {
        commentId: e.eventId,
        oid: e.orderId ?? "",
        buyerOpenId: openIdOf(store, e.buyerNick),
        buyerNick: e.buyerNick,
        score: e.score,
        content: e.comment,
        createTime: e.createdAt.getTime(),
      };
      return push(
        store,
        "kwaishop_comment_commentCreate",
        String(e.envelopeId),
        e.eventId,
        info,
        e.createdAt,
        attemptAt,
      );
    }
  }
}
