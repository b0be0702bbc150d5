import type { Message, MessageAttachment, Order, OutboundAttachment } from "@yunxi/contracts";
import { ApiRequestError } from "../api/client.ts";
import type { ThreadMessage } from "./inbox-state.ts";
import { localIdPrefix } from "./inbox-state.ts";

/** What an agent sends: text, and optionally a card or image shown as the message's attachment. */
export type OutgoingContent = { body: string; attachment?: MessageAttachment };

/** The message as it shows before the server confirms it (pending, id `local:<key>`). */
export function optimisticMessage(input: {
  conversationId: string;
  senderId: string;
  localKey: string;
  content: OutgoingContent;
  now: Date;
}): ThreadMessage {
  const attachment = input.content.attachment ?? null;
  return {
    id: `${localIdPrefix}${input.localKey}`,
    localKey: input.localKey,
    conversationId: input.conversationId,
    direction: "outbound",
    senderType: "agent",
    senderId: input.senderId,
    kind: attachment && attachment.type !== "system" ? attachment.type : "text",
    body: input.content.body,
    attachment,
    deliveryStatus: "pending",
    deliveryError: null,
    deliveryAttempts: 0,
    platformMessageId: null,
    createdAt: input.now.toISOString(),
    sentAt: null,
    mentions: [],
  };
}

/** The request's attachment for a message's attachment; system notices are never sent. */
export function toOutbound(attachment: MessageAttachment | null | undefined): OutboundAttachment | undefined {
  switch (attachment?.type) {
    case "image":
      return { type: "image", url: attachment.url };
    case "product_card":
      return { type: "product_card", productId: attachment.productId };
    case "order_card":
      return { type: "order_card", orderId: attachment.orderId };
    default:
      return undefined;
  }
}

/**
 * An order card for one of the buyer's orders. The card names the order by the platform's order
 * number: that is what the platform's card API takes and what the buyer sees.
 */
export function orderCard(order: Order): MessageAttachment {
  return {
    type: "order_card",
    orderId: order.orderId,
    title: order.items[0]?.title ?? null,
    status: order.status,
    totalCents: order.totalCents,
  };
}

/**
 * The platform would refuse this message (too long, an external link …): the server answers 422
 * before storing anything, so the agent fixes it at the composer instead of retrying a bubble.
 */
export function isRefusedBeforeSending(error: unknown): error is ApiRequestError {
  return error instanceof ApiRequestError && error.status === 422;
}

/** Whether the buyer has read this outbound message (platform read receipt up to `buyerReadAt`). */
export function isReadByBuyer(
  message: Pick<Message, "direction" | "deliveryStatus" | "createdAt" | "sentAt">,
  buyerReadAt: string | null | undefined,
): boolean {
  if (!buyerReadAt || message.direction !== "outbound" || message.deliveryStatus !== "sent") return false;
  return Date.parse(message.sentAt ?? message.createdAt) <= Date.parse(buyerReadAt);
}
