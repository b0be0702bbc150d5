import { createHash } from "node:crypto";
import { centsToYuan } from "../../money.ts";
import { formatTopTimestamp, topSign } from "../../taobao/signing.ts";
import type { SimStore } from "../options.ts";
import {
  type BuyerMessage,
  type EncodedPush,
  jsonPushTo,
  type OrderEventMessage,
  type SimEvent,
} from "../personality.ts";
import { tradeJson } from "./trade-json.ts";

/**
 * Events as Taobao would push them to Yunxi (the TMC-over-HTTP format described
 * in `taobao/push-format.ts`, which says what is documented and what assumed).
 * Written out here by hand rather than with the adapter's schemas, so the
 * simulator checks the adapter instead of agreeing with it by construction.
 */

interface TmcMessage {
  id: number;
  topic: string;
  pub_time: string;
  user_nick: string;
  content: string;
}

/** Taobao's per-app buyer id (`buyer_open_uid`): stable for one app and nick, opaque. */
function openUid(appKey: string, nick: string): string {
  return `AAH${createHash("sha256").update(`${appKey}:${nick}`).digest("base64url").slice(0, 21)}`;
}

/** Sign any body as a Taobao push: TOP signing over {app_key, timestamp, sign_method, body}. */
export function signTaobaoPush(store: SimStore, body: string, attemptAt: Date): EncodedPush {
  const query = { app_key: store.appKey, timestamp: formatTopTimestamp(attemptAt), sign_method: store.signMethod };
  const sign = topSign({ ...query, body }, store.appSecret, store.signMethod);
  return jsonPushTo("taobao", store, body, { query: { ...query, sign } });
}

function tmc(store: SimStore, id: number, topic: string, at: Date, content: Record<string, unknown>): TmcMessage {
  return { id, topic, pub_time: formatTopTimestamp(at), user_nick: store.sellerId, content: JSON.stringify(content) };
}

function buyerMessage(store: SimStore, message: BuyerMessage): TmcMessage {
  return tmc(store, message.envelopeId, "taobao_qianniu_BuyerMessage", message.createdAt, {
    msg_id: message.msgId,
    buyer_nick: message.buyerNick,
    buyer_open_uid: openUid(store.appKey, message.buyerNick),
    content_type: "text",
    text: message.text,
    send_time: formatTopTimestamp(message.createdAt),
  });
}

function orderTopic(event: OrderEventMessage): string {
  switch (event.change) {
    case "created":
      return "taobao_trade_TradeCreate";
    case "paid":
      return "taobao_trade_TradeBuyerPay";
    case "shipped":
      return "taobao_trade_TradeSellerShip";
    case "delivered":
      return "taobao_logistics_LogsticDetailTrace";
    case "completed":
      return "taobao_trade_TradeSuccess";
    case "closed":
      return "taobao_trade_TradeClose";
    case "refund_requested":
      return "taobao_refund_RefundCreated";
    case "refund_agreed":
      return event.order.status === "refunded"
        ? "taobao_refund_RefundSuccess"
        : "taobao_refund_RefundSellerAgreeAgreement";
    case "refund_closed":
      return "taobao_refund_RefundClosed";
  }
}

function orderMessage(store: SimStore, event: OrderEventMessage): TmcMessage {
  const { order } = event;
  const trade = tradeJson(order);
  const common = {
    tid: Number(order.orderId),
    oid: Number(order.orderId),
    buyer_nick: order.buyerNick,
    seller_nick: store.sellerId,
  };
  const topic = orderTopic(event);
  let content: Record<string, unknown>;
  if (topic.startsWith("taobao_refund_")) {
    content = {
      ...common,
      refund_id: `R${order.orderId}`,
      refund_fee: centsToYuan(order.amountCents),
      modified: formatTopTimestamp(event.createdAt),
      trade,
    };
  } else if (topic === "taobao_logistics_LogsticDetailTrace") {
    content = {
      tid: common.tid,
      out_sid: order.logistics?.trackingNo ?? "",
      company_name: order.logistics?.carrier ?? "",
      action: "TMS_SIGN",
      desc: "已签收",
      time: formatTopTimestamp(event.createdAt),
      trade,
    };
  } else {
    content = { ...common, payment: centsToYuan(order.amountCents), status: trade.status, type: "fixed", trade };
  }
  // TMC carries 64-bit ids as numbers; the adapter must read tid_str from `trade`.
  return tmc(store, event.envelopeId, topic, event.createdAt, content);
}

function rateResult(score: number): "good" | "neutral" | "bad" {
  return score >= 4 ? "good" : score === 3 ? "neutral" : "bad";
}

function tmcMessage(store: SimStore, event: SimEvent): TmcMessage {
  switch (event.kind) {
    case "message":
      return buyerMessage(store, event.message);
    case "order":
      return orderMessage(store, event.event);
    case "read":
      return tmc(store, event.event.envelopeId, "taobao_qianniu_BuyerRead", event.event.createdAt, {
        buyer_nick: event.event.buyerNick,
        read_time: formatTopTimestamp(event.event.createdAt),
      });
    case "evaluation": {
      const e = event.event;
      return e.orderId
        ? tmc(store, e.envelopeId, "taobao_traderate_TradeRate", e.createdAt, {
            rate_id: e.eventId,
            tid: e.orderId,
            buyer_nick: e.buyerNick,
            result: rateResult(e.score),
            content: e.comment,
            created: formatTopTimestamp(e.createdAt),
          })
        : tmc(store, e.envelopeId, "taobao_qianniu_ServiceEvaluation", e.createdAt, {
            evaluation_id: e.eventId,
            buyer_nick: e.buyerNick,
            score: e.score,
            comment: e.comment,
            eval_time: formatTopTimestamp(e.createdAt),
          });
    }
  }
}

export function encodeTaobaoEvent(store: SimStore, event: SimEvent, attemptAt: Date): EncodedPush {
  return signTaobaoPush(store, JSON.stringify({ messages: [tmcMessage(store, event)] }), attemptAt);
}

export function encodeTaobaoPush(store: SimStore, message: BuyerMessage, attemptAt: Date): EncodedPush {
  return encodeTaobaoEvent(store, { kind: "message", message }, attemptAt);
}
