import { z } from "zod";
import type { OrderChange } from "../adapter.ts";
import type { MessageKinds } from "../toolkit/content.ts";
import { TopTrade } from "./trade.ts";

/**
 * The shape of Taobao pushes, in one place.
 *
 * DOCUMENTED (TMC, Taobao Message Channel): messages are `{id, topic, content}`
 * with `content` a JSON *string*, plus `pub_time` and `user_nick` (the seller
 * the message concerns); the consumer must confirm each message or it is sent
 * again. TOP timestamps are `yyyy-MM-dd HH:mm:ss` in UTC+8. Documented topics
 * used here: `taobao_trade_TradeCreate`, `taobao_trade_TradeBuyerPay`,
 * `taobao_trade_TradeSellerShip`, `taobao_trade_TradeSuccess`,
 * `taobao_trade_TradeClose`, `taobao_refund_RefundCreated`,
 * `taobao_refund_RefundSellerAgreeAgreement`, `taobao_refund_RefundSuccess`,
 * `taobao_refund_RefundClosed`, `taobao_logistics_LogsticDetailTrace`. Their
 * documented content fields: trades `tid, oid, buyer_nick, seller_nick,
 * payment, status, type`; refunds `refund_id, tid, oid, buyer_nick,
 * seller_nick, refund_fee, modified`; logistics `tid, out_sid, company_name,
 * action, desc, time`.
 *
 * ASSUMED (buyer-chat pushes are only given to partner ISVs; the rest fills
 * gaps so that a push can be normalized without a round trip):
 * - delivery is an HTTP POST of `{"messages":[…]}` to our endpoint
 *   `/connect/taobao/<storeKey>` instead of TMC's WebSocket channel;
 * - the topic `taobao_qianniu_BuyerMessage` and its content
 *   (`msg_id, buyer_nick, buyer_open_uid, content_type, text, send_time`,
 *   and `url` / `item_id, item_title` / `tid` for image, item and order cards);
 * - the read receipt `taobao_qianniu_BuyerRead` (`buyer_nick, read_time`);
 * - the trade rating `taobao_traderate_TradeRate` (`rate_id, tid, buyer_nick,
 *   result` good|neutral|bad, `content, created`) and the service rating
 *   `taobao_qianniu_ServiceEvaluation` (`evaluation_id, buyer_nick, score` 1–5,
 *   `comment, eval_time`);
 * - trade, refund and logistics contents also carry `trade`, the full trade as
 *   `taobao.trade.fullinfo.get` answers it. Without it the adapter builds a thin
 *   order from the documented fields (items empty): fetchOrder fills it in;
 * - `action: "TMS_SIGN"` on the logistics topic means the buyer signed
 *   (delivered); other actions are progress the inbox does not need;
 * - authentication by query parameters `app_key, timestamp, sign_method, sign`,
 *   where `sign` is the TOP signature over {app_key, timestamp, sign_method,
 *   body = the raw request body} — TOP's own request signing applied to a push;
 * - a ±5 minute freshness window (TOP's gateway allows ±10 min for requests);
 * - the acknowledgement `{"code":0,"msg":"success"}` with HTTP 200 (what
 *   Douyin documents for its pushes; any HTTP 2xx counts as confirmation).
 */

export const buyerMessageTopic = "taobao_qianniu_BuyerMessage";
export const readReceiptTopic = "taobao_qianniu_BuyerRead";
export const tradeRateTopic = "taobao_traderate_TradeRate";
export const serviceEvaluationTopic = "taobao_qianniu_ServiceEvaluation";
export const logisticsTraceTopic = "taobao_logistics_LogsticDetailTrace";
/** The logistics action that means the parcel was signed for. */
export const signedAction = "TMS_SIGN";

/** Order topics and the change each one means. */
export const orderTopics: Record<string, OrderChange> = {
  taobao_trade_TradeCreate: "created",
  taobao_trade_TradeBuyerPay: "paid",
  taobao_trade_TradeSellerShip: "shipped",
  taobao_trade_TradeSuccess: "completed",
  taobao_trade_TradeClose: "closed",
  taobao_refund_RefundCreated: "refund_requested",
  taobao_refund_RefundSellerAgreeAgreement: "refund_agreed",
  taobao_refund_RefundSuccess: "refund_agreed",
  taobao_refund_RefundClosed: "refund_closed",
};

export const pushFreshnessMs = 5 * 60 * 1000;
export const pushAckBody = JSON.stringify({ code: 0, msg: "success" });

/** Qianniu's message type words: `content_type` of a buyer-message push and `msg_type` of the send API. */
export const taobaoMessageKinds: MessageKinds = {
  text: "text",
  image: "image",
  product_card: "item",
  order_card: "order",
};

/** The query parameters a push carries; `body` is signed but travels as the request body. */
export const pushSignedParamNames = ["app_key", "timestamp", "sign_method"] as const;

const Id = z.union([z.number(), z.string()]).transform(String);

export const TmcMessage = z.object({
  // TMC ids are 64-bit; we never do arithmetic on them, so a string is as good.
  id: Id,
  topic: z.string(),
  pub_time: z.string().optional(),
  user_nick: z.string().optional(),
  content: z.string(),
});
export type TmcMessage = z.infer<typeof TmcMessage>;

export const TmcPushBody = z.object({ messages: z.array(TmcMessage).min(1) });

export const BuyerMessageContent = z.object({
  msg_id: Id,
  buyer_nick: z.string().min(1),
  buyer_open_uid: z.string().optional(),
  content_type: z.string(),
  text: z.string().optional(),
  url: z.string().optional(),
  item_id: Id.optional(),
  item_title: z.string().optional(),
  tid: Id.optional(),
  send_time: z.string(),
});
export type BuyerMessageContent = z.infer<typeof BuyerMessageContent>;

export const ReadReceiptContent = z.object({ buyer_nick: z.string().min(1), read_time: z.string() });

/** Trade, refund and logistics contents: documented thin fields plus the assumed full `trade`. */
export const OrderContent = z.object({
  tid: Id,
  buyer_nick: z.string().optional(),
  seller_nick: z.string().optional(),
  payment: z.string().optional(),
  status: z.string().optional(),
  refund_id: Id.optional(),
  refund_fee: z.string().optional(),
  modified: z.string().optional(),
  action: z.string().optional(),
  time: z.string().optional(),
  trade: TopTrade.optional(),
});
export type OrderContent = z.infer<typeof OrderContent>;

export const TradeRateContent = z.object({
  rate_id: Id,
  tid: Id.optional(),
  buyer_nick: z.string().min(1),
  result: z.enum(["good", "neutral", "bad"]),
  content: z.string().default(""),
  created: z.string(),
});

export const ServiceEvaluationContent = z.object({
  evaluation_id: Id,
  buyer_nick: z.string().min(1),
  score: z.number().int().min(1).max(5),
  comment: z.string().default(""),
  eval_time: z.string(),
});

/** TOP's three-level trade rating on Yunxi's 1–5 scale. */
export const rateScores = { good: 5, neutral: 3, bad: 1 } as const;
