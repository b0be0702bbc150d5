import type { ApiWebhookPayload } from "@yunxi/contracts";
import { PlatformError } from "@yunxi/marketplaces";
import type { AppContext } from "../../../platform/context.ts";
import { type ChannelDelivery, registerChannelSender } from "../../connect/index.ts";
import { hmacHex } from "../signing.ts";
import { widgetMessageOf } from "../webchat/messages.ts";
import { API_SIGNATURE_HEADER, API_TIMESTAMP_HEADER } from "./routes.ts";

export const API_DELIVERY_HEADER = "x-yunxi-delivery";
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
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(ctx.now().getTime() / 1000));
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Yunxi-Webhook/1",
        [API_TIMESTAMP_HEADER]: timestamp,
        [API_SIGNATURE_HEADER]: `sha256=${hmacHex(target.credentials.appSecret, `${timestamp}.${body}`)}`,
        [API_DELIVERY_HEADER]: message.id,
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
  } catch (err) {
    throw new PlatformError("webhook_unreachable", `Webhook not reachable: ${(err as Error).message}`, true);
  }
  await response.body?.cancel();
  if (response.ok) return { platformMessageId: `webhook:${message.id}` };
  const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
  throw new PlatformError(`http_${response.status}`, `Webhook answered HTTP ${response.status}`, retryable);
}
