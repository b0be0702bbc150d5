import type { ApiWebhookPayload } from "@yunxi/contracts";
import { PlatformError } from "@yunxi/marketplaces";
import type { AppContext } from "../../../platform/context.ts";
import { type ChannelDelivery, registerChannelSender } from "../../connect/index.ts";
import { widgetMessageOf } from "../webchat/messages.ts";
import { API_DELIVERY_HEADER, postSigned } from "./signed-post.ts";

export { API_DELIVERY_HEADER };

const WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * Replies of the API channel go out as webhooks to the store's webhookUrl, signed
 * like inbound requests (`timestamp + "." + body`, HMAC-SHA256 with the store
 * secret). 2xx is delivered; a timeout, 408, 429 or 5xx is retried by the
 * delivery worker with back-off; any other answer fails the reply for the agent
 * to see. The delivery id is the same on every retry so the receiver can dedupe.
 */
export function registerWebhookSender(ctx: AppContext): void {
  registerChannelSender(ctx, "api", (delivery) => sendWebhook(ctx, delivery));
}

export async function sendWebhook(ctx: AppContext, { target, message, buyer }: ChannelDelivery) {
  const url = target.credentials.webhookUrl;
  if (!url) throw new PlatformError("no_webhook", "The store has no webhookUrl for replies", false);
  const shown = widgetMessageOf(message);
  const payload: ApiWebhookPayload = {
    event: "message.created",
    deliveryId: message.id,
    conversationId: message.conversationId,
    user: { id: buyer.platformBuyerId, name: buyer.displayName },
    message: {
      id: message.id,
      kind: message.kind,
      text: message.body,
      imageUrl: shown.imageUrl,
      createdAt: shown.createdAt,
    },
  };
  const outcome = await postSigned({
    url,
    secret: target.credentials.appSecret,
    payload,
    nowMs: ctx.now().getTime(),
    timeoutMs: WEBHOOK_TIMEOUT_MS,
  });
  if (outcome.kind === "delivered") return { platformMessageId: `webhook:${message.id}` };
  if (outcome.kind === "unreachable") {
    throw new PlatformError("webhook_unreachable", `Webhook not reachable: ${outcome.message}`, true);
  }
  throw new PlatformError(`http_${outcome.status}`, `Webhook answered HTTP ${outcome.status}`, outcome.retryable);
}
