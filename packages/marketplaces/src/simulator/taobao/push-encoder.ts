import { createHash } from "node:crypto";
import { formatTopTimestamp, topSign } from "../../taobao/signing.ts";
import type { SimStore } from "../options.ts";
import type { BuyerMessage, EncodedPush } from "../personality.ts";

/**
 * A buyer message as Taobao would push it to Yunxi (the assumed TMC-over-HTTP
 * format described in `taobao/push-format.ts`). Written out here by hand rather
 * than with the adapter's schemas, so the simulator checks the adapter instead
 * of agreeing with it by construction.
 */

/** Taobao's per-app buyer id (`buyer_open_uid`): stable for one app and nick, opaque. */
function openUid(appKey: string, nick: string): string {
  return `AAH${createHash("sha256").update(`${appKey}:${nick}`).digest("base64url").slice(0, 21)}`;
}

export function encodeTaobaoPush(store: SimStore, message: BuyerMessage, attemptAt: Date): EncodedPush {
  const content = {
    msg_id: message.msgId,
    buyer_nick: message.buyerNick,
    buyer_open_uid: openUid(store.appKey, message.buyerNick),
    content_type: "text",
    text: message.text,
    send_time: formatTopTimestamp(message.createdAt),
  };
  const body = JSON.stringify({
    messages: [
      {
        id: message.envelopeId,
        topic: "taobao_qianniu_BuyerMessage",
        pub_time: formatTopTimestamp(message.createdAt),
        user_nick: store.sellerId,
        content: JSON.stringify(content),
      },
    ],
  });
  const query = { app_key: store.appKey, timestamp: formatTopTimestamp(attemptAt), sign_method: store.signMethod };
  const sign = topSign({ ...query, body }, store.appSecret, store.signMethod);
  return {
    path: `/connect/taobao/${encodeURIComponent(store.storeKey)}`,
    query: { ...query, sign },
    headers: { "content-type": "application/json; charset=utf-8", "user-agent": "yunxi-marketplace-simulator" },
    body,
  };
}
