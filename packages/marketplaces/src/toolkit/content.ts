import type { InboundContent, OutboundContent, OutboundMessage, PlatformLimits } from "../adapter.ts";
import { PlatformError } from "../adapter.ts";
import { checkOutbound } from "../limits.ts";

/**
 * Chat content between Yunxi's four kinds and a platform's message types. Every
 * marketplace has the same four kinds under its own words (Taobao `item`, JD
 * `sku`, Pinduoduo `goods` …) and its own parameter names; those facts stay in
 * the platform's folder as a `MessageKinds` table and a `SendFields` table, and
 * the mapping itself is written once here.
 */

type ContentKind = OutboundContent["type"];

/** The platform's msg type word for each of Yunxi's kinds; the same words go out and come back. */
export type MessageKinds = Record<ContentKind, string>;

/**
 * The send API's parameter names: the buyer, the one naming the kind, the one
 * carrying each kind's value, and our message id as the platform's dedupe key.
 */
export type SendFields = { buyer: string; kind: string; clientMessageId: string } & Record<ContentKind, string>;

function outboundValue(content: OutboundContent): string {
  switch (content.type) {
    case "text":
      return content.text;
    case "image":
      return content.url;
    case "product_card":
      return content.productId;
    case "order_card":
      return content.orderId;
  }
}

/** The send call's business parameters for one message. */
export function sendParams(kinds: MessageKinds, fields: SendFields, message: OutboundMessage): Record<string, string> {
  const { content } = message;
  return {
    [fields.buyer]: message.buyer.platformBuyerId,
    [fields.kind]: kinds[content.type],
    [fields[content.type]]: outboundValue(content),
    [fields.clientMessageId]: message.clientMessageId,
  };
}

/** Refuse before calling the platform what the platform would refuse (PlatformError, not retryable). */
export function assertSendable(limits: PlatformLimits, content: OutboundContent): void {
  const check = checkOutbound(limits, content);
  if (!check.ok) throw new PlatformError(check.code, check.message, false);
}

/** What an inbound chat message carries, read from the platform's own field names by the caller. */
export interface InboundFields {
  /** The platform's msg type word. */
  kind: string;
  text?: string | null | undefined;
  imageUrl?: string | null | undefined;
  productId?: string | null | undefined;
  productTitle?: string | null | undefined;
  orderId?: string | null | undefined;
}

export function inboundContent(kinds: MessageKinds, m: InboundFields): InboundContent {
  switch (m.kind) {
    case kinds.text:
      return { type: "text", text: m.text ?? "" };
    case kinds.image:
      if (m.imageUrl) return { type: "image", url: m.imageUrl };
      break;
    case kinds.product_card:
      if (m.productId) return { type: "product_card", productId: m.productId, title: m.productTitle ?? "" };
      break;
    case kinds.order_card:
      if (m.orderId) return { type: "order_card", orderId: m.orderId };
      break;
  }
  // A kind we do not know yet must not block the push (the platform would
  // redeliver it forever); the agent sees that something arrived.
  return { type: "text", text: m.text ?? `[暂不支持的消息类型: ${m.kind}]` };
}
