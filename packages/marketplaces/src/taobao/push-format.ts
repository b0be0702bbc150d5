import { z } from "zod";

/**
 * The shape of a Taobao buyer-chat push, in one place.
 *
 * DOCUMENTED (TMC, Taobao Message Channel): messages are `{id, topic, content}`
 * with `content` a JSON *string*, plus `pub_time` and `user_nick` (the seller
 * the message concerns); the consumer must confirm each message or it is sent
 * again. TOP timestamps are `yyyy-MM-dd HH:mm:ss` in UTC+8.
 *
 * ASSUMED (buyer-chat pushes are only given to partner ISVs):
 * - delivery is an HTTP POST of `{"messages":[…]}` to our endpoint
 *   `/connect/taobao/<storeKey>` instead of TMC's WebSocket channel;
 * - the topic `taobao_qianniu_BuyerMessage` and the fields of its content
 *   (`msg_id, buyer_nick, buyer_open_uid, content_type, text, send_time`,
 *   and `url` / `item_id, item_title` / `tid` for image, item and order cards);
 * - authentication by query parameters `app_key, timestamp, sign_method, sign`,
 *   where `sign` is the TOP signature over {app_key, timestamp, sign_method,
 *   body = the raw request body} — TOP's own request signing applied to a push;
 * - a ±5 minute freshness window (TOP's gateway allows ±10 min for requests);
 * - the acknowledgement `{"code":0,"msg":"success"}` with HTTP 200 (what
 *   Douyin documents for its pushes; any HTTP 2xx counts as confirmation).
 */

export const buyerMessageTopic = "taobao_qianniu_BuyerMessage";
export const pushFreshnessMs = 5 * 60 * 1000;
export const pushAckBody = JSON.stringify({ code: 0, msg: "success" });

/** The query parameters a push carries; `body` is signed but travels as the request body. */
export const pushSignedParamNames = ["app_key", "timestamp", "sign_method"] as const;

export const TmcMessage = z.object({
  // TMC ids are 64-bit; we never do arithmetic on them, so a string is as good.
  id: z.union([z.number(), z.string()]).transform(String),
  topic: z.string(),
  pub_time: z.string().optional(),
  user_nick: z.string().optional(),
  content: z.string(),
});
export type TmcMessage = z.infer<typeof TmcMessage>;

export const TmcPushBody = z.object({ messages: z.array(TmcMessage).min(1) });

export const BuyerMessageContent = z.object({
  msg_id: z.union([z.number(), z.string()]).transform(String),
  buyer_nick: z.string().min(1),
  buyer_open_uid: z.string().optional(),
  content_type: z.string(),
  text: z.string().optional(),
  url: z.string().optional(),
  item_id: z.union([z.number(), z.string()]).transform(String).optional(),
  item_title: z.string().optional(),
  tid: z.union([z.number(), z.string()]).transform(String).optional(),
  send_time: z.string(),
});
export type BuyerMessageContent = z.infer<typeof BuyerMessageContent>;
