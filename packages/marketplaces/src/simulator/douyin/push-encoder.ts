import { douyinPushSign } from "../../douyin/signing.ts";
import type { SimStore } from "../options.ts";
import { openIdOf } from "../pdd/shared-facts.ts";
import {
  type BuyerMessage,
  type EncodedPush,
  jsonPushTo,
  type OrderEventMessage,
  type SimEvent,
} from "../personality.ts";
import { douyinOrderJson } from "./order-json.ts";

/**
 * 抖店 pushes (see douyin/push-format.ts): a JSON array of `{tag, msg_id,
 * data}` with `data` a JSON string, header `event-sign` = md5(app_key + body +
 * app_secret). Written by hand so the simulator checks the adapter rather than
 * agreeing with it by construction. Douyin signs no time, so a retry sends the
 * same bytes again.
 */

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

function tagOf(event: OrderEventMessage): string | undefined {
  switch (event.change) {
    case "created":
      return "100";
    case "paid":
      return "101";
    case "shipped":
      return "102";
    case "completed":
      return "103";
    case "closed":
      return "106";
    case "refund_requested":
      return "200";
    case "refund_agreed":
      // 206 退款成功 once the money is back, 201 同意退款 before.
      return event.order.status === "refunded" ? "206" : "201";
    case "refund_closed":
      return "207";
    default:
      return undefined;
  }
}

function push(store: SimStore, tag: string, msgId: string, data: object): EncodedPush {
  return signDouyinPush(store, JSON.stringify([{ tag, msg_id: msgId, data: JSON.stringify(data) }]));
}

/** Any body, signed and addressed as 抖店 pushes it (the conformance suite signs malformed ones). */
export function signDouyinPush(store: SimStore, body: string, _at?: Date): EncodedPush {
  // 抖店 signs in headers, not in the query.
  const headers = { "app-id": store.appKey, "event-sign": douyinPushSign(store.appKey, body, store.appSecret) };
  return jsonPushTo("douyin", store, body, { headers });
}

export function encodeDouyinPush(store: SimStore, message: BuyerMessage, _attemptAt: Date): EncodedPush {
  return push(store, "im_buyer_message", String(message.envelopeId), {
    msg_id: message.msgId,
    doudian_open_id: openIdOf(store, message.buyerNick),
    nick_name: message.buyerNick,
    msg_type: "text",
    content: message.text,
    create_time: seconds(message.createdAt),
  });
}

export function encodeDouyinEvent(store: SimStore, event: SimEvent, attemptAt: Date): EncodedPush | undefined {
  switch (event.kind) {
    case "message":
      return encodeDouyinPush(store, event.message, attemptAt);
    case "order": {
      const e = event.event;
      const tag = tagOf(e);
      if (!tag) return undefined;
      const order = douyinOrderJson(store, e.order);
      return push(store, tag, String(e.envelopeId), {
        p_id: e.order.orderId,
        s_ids: [e.order.orderId],
        shop_id: store.sellerId,
        order_status: order.order_status,
        update_time: seconds(e.createdAt),
        order,
      });
    }
    case "read": {
      const e = event.event;
      return push(store, "im_buyer_read", String(e.envelopeId), {
        doudian_open_id: openIdOf(store, e.buyerNick),
        nick_name: e.buyerNick,
        read_time: seconds(e.createdAt),
      });
    }
    case "evaluation": {
      const e = event.event;
      return push(store, "comment_created", String(e.envelopeId), {
        comment_id: e.eventId,
        order_id: e.orderId ?? "",
        doudian_open_id: openIdOf(store, e.buyerNick),
        nick_name: e.buyerNick,
        rank: e.score,
        content: e.comment,
        create_time: seconds(e.createdAt),
      });
    }
  }
}
