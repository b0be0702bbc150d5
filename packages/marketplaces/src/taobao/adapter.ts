import { z } from "zod";
import type {
  AdapterCredentials,
  BuyerIdentity,
  InboundContent,
  InboundEvent,
  MarketplaceAdapter,
  OrderSummary,
  OutboundText,
  PushAck,
  PushRequest,
  PushVerification,
  SendResult,
  StoreContext,
} from "../adapter.ts";
import { PlatformError } from "../adapter.ts";
import { signaturesEqual } from "../signing.ts";
import { BuyerMessageContent, buyerMessageTopic, pushAckBody, pushFreshnessMs, TmcPushBody } from "./push-format.ts";
import { isTopSignMethod, parseTopTimestamp, topSign } from "./signing.ts";
import { callTop } from "./top-client.ts";

/**
 * Taobao / Tmall (千牛). What is documented and what is assumed:
 * - Request signing, common parameters, `/router/rest`, the response envelope
 *   and the platform error codes are TOP's documented conventions.
 * - `taobao.trades.sold.get` (fields, buyer_nick, page_no, page_size; answer
 *   `trades.trade[]` with tid, status, payment, created, orders.order[].title)
 *   is a documented API.
 * - The push (see push-format.ts) and the send method
 *   `taobao.qianniu.cloudkefu.message.send` (buyer_nick, content,
 *   client_msg_id → `result.msg_id`) are ASSUMED: Taobao gives buyer-chat APIs
 *   to partner ISVs only. They follow TMC and TOP conventions.
 */

export const taobaoSendMethod = "taobao.qianniu.cloudkefu.message.send";
export const taobaoOrdersMethod = "taobao.trades.sold.get";

function refuse(reason: "bad_signature" | "stale_timestamp" | "malformed", message: string): PushVerification {
  return { ok: false, reason, message };
}

function toContent(c: BuyerMessageContent): InboundContent {
  switch (c.content_type) {
    case "text":
      return { type: "text", text: c.text ?? "" };
    case "image":
      if (c.url) return { type: "image", url: c.url };
      break;
    case "item":
      if (c.item_id) return { type: "product_card", productId: c.item_id, title: c.item_title ?? "" };
      break;
    case "order":
      if (c.tid) return { type: "order_card", orderId: c.tid };
      break;
  }
  // A kind we do not know yet must not block the batch (the platform would
  // redeliver it forever); the agent sees that something arrived.
  return { type: "text", text: c.text ?? `[暂不支持的消息类型: ${c.content_type}]` };
}

function verifyPush(request: PushRequest, credentials: AdapterCredentials, now: Date): PushVerification {
  const { app_key: appKey, timestamp, sign_method: signMethod, sign } = request.query;
  if (!appKey || !timestamp || !signMethod || !sign) return refuse("bad_signature", "missing signature parameters");
  if (appKey !== credentials.appKey) return refuse("bad_signature", "app_key does not match the store");
  if (!isTopSignMethod(signMethod)) return refuse("bad_signature", `unsupported sign_method ${signMethod}`);
  const expected = topSign(
    { app_key: appKey, timestamp, sign_method: signMethod, body: request.rawBody },
    credentials.appSecret,
    signMethod,
  );
  if (!signaturesEqual(expected, sign)) return refuse("bad_signature", "signature does not match");

  const sentAt = parseTopTimestamp(timestamp);
  if (!sentAt) return refuse("stale_timestamp", "timestamp is not yyyy-MM-dd HH:mm:ss");
  if (Math.abs(now.getTime() - sentAt.getTime()) > pushFreshnessMs) {
    return refuse("stale_timestamp", "timestamp is more than 5 minutes from now");
  }

  let json: unknown;
  try {
    json = JSON.parse(request.rawBody);
  } catch {
    return refuse("malformed", "body is not JSON");
  }
  const body = TmcPushBody.safeParse(json);
  if (!body.success) return refuse("malformed", `body: ${z.prettifyError(body.error)}`);

  const events: InboundEvent[] = [];
  for (const message of body.data.messages) {
    // Other TMC topics (trades, refunds) are valid pushes we do not normalize yet.
    if (message.topic !== buyerMessageTopic) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(message.content);
    } catch {
      return refuse("malformed", `message ${message.id}: content is not JSON`);
    }
    const content = BuyerMessageContent.safeParse(raw);
    if (!content.success) return refuse("malformed", `message ${message.id}: ${z.prettifyError(content.error)}`);
    const sent = parseTopTimestamp(content.data.send_time);
    if (!sent) return refuse("malformed", `message ${message.id}: send_time is not a TOP timestamp`);
    const nick = content.data.buyer_nick;
    events.push({
      kind: "message",
      platformMessageId: content.data.msg_id,
      // Taobao nicks are global across stores, so the nick is the identity.
      buyer: { platformBuyerId: nick, displayName: nick },
      content: toContent(content.data),
      sentAt: sent,
    });
  }
  return { ok: true, events };
}

function acknowledgePush(): PushAck {
  return { status: 200, contentType: "application/json; charset=utf-8", body: pushAckBody };
}

const SendResponse = z.object({
  result: z.object({ success: z.boolean().optional(), msg_id: z.union([z.string(), z.number()]).transform(String) }),
});

async function sendText(store: StoreContext, message: OutboundText): Promise<SendResult> {
  const body = await callTop(store, taobaoSendMethod, {
    buyer_nick: message.buyer.platformBuyerId,
    content: message.text,
    client_msg_id: message.clientMessageId,
  });
  const parsed = SendResponse.safeParse(body);
  if (!parsed.success) throw new PlatformError("bad_response", "send answered without result.msg_id", true);
  if (parsed.data.result.success === false) throw new PlatformError("send_failed", "platform refused the send", false);
  return { platformMessageId: parsed.data.result.msg_id };
}

const Trade = z.object({
  tid: z.union([z.string(), z.number()]).optional(),
  tid_str: z.string().optional(),
  status: z.string(),
  title: z.string().optional(),
  payment: z.string().optional(),
  created: z.string(),
  orders: z.object({ order: z.array(z.object({ title: z.string().optional() })) }).optional(),
});
const TradesSoldGetResponse = z.object({
  total_results: z.number().optional(),
  trades: z.object({ trade: z.array(Trade) }).optional(),
});

/** "199.9" yuan → 19990 fen, without floating-point rounding. */
export function yuanToCents(yuan: string | undefined): number {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(yuan?.trim() ?? "");
  if (!m) return 0;
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

async function fetchBuyerOrders(store: StoreContext, buyer: BuyerIdentity): Promise<OrderSummary[]> {
  const body = await callTop(store, taobaoOrdersMethod, {
    fields: "tid,tid_str,status,title,payment,created,orders.title",
    buyer_nick: buyer.platformBuyerId,
    page_no: "1",
    page_size: "20",
  });
  const parsed = TradesSoldGetResponse.safeParse(body);
  if (!parsed.success) throw new PlatformError("bad_response", "trades.sold.get answered an unexpected shape", true);
  return (parsed.data.trades?.trade ?? []).map((t) => ({
    orderId: t.tid_str ?? String(t.tid ?? ""),
    status: t.status,
    title: t.orders?.order[0]?.title ?? t.title ?? "",
    amountCents: yuanToCents(t.payment),
    createdAt: (parseTopTimestamp(t.created) ?? new Date(0)).toISOString(),
  }));
}

export const taobaoAdapter: MarketplaceAdapter = {
  platform: "taobao",
  verifyPush,
  acknowledgePush,
  sendText,
  fetchBuyerOrders,
};
