import { PlatformError } from "@yunxi/marketplaces";
import nodemailer from "nodemailer";
import type { AppContext } from "../../../platform/context.ts";
import { type ChannelDelivery, registerChannelSender } from "../../connect/index.ts";
import { conversationThread } from "../../inbox/index.ts";
import { widgetMessageOf } from "../webchat/messages.ts";
import { replySubject } from "./mail-text.ts";

/** The thread's ids kept in References: enough to thread in every client without growing without bound. */
const MAX_REFERENCES = 20;

/**
 * An agent's reply as a mail from the store's address, through the store's SMTP
 * relay. It answers the buyer's latest mail (In-Reply-To) and lists the thread
 * (References), so the buyer's client shows one conversation and the buyer's
 * answer comes back into it. Our Message-ID is `<message id@store domain>`, kept
 * as the platform message id. A relay's 5xx fails the reply; anything else retries.
 */
export function registerMailSender(ctx: AppContext): void {
  registerChannelSender(ctx, "email", (delivery) => sendMail(ctx, delivery));
}

export async function sendMail(ctx: AppContext, { target, message, buyer }: ChannelDelivery) {
  const { store, credentials } = target;
  const relay = credentials.smtp;
  if (!relay) throw new PlatformError("no_smtp_relay", "The store has no SMTP relay configured for replies", false);
  const domain = store.sellerId.includes("@") ? store.sellerId.split("@")[1]! : "yunxi.local";
  const messageId = `<${message.id}@${domain}>`;
  const thread = await conversationThread(ctx.db, store.orgId, message.conversationId);
  const ids = thread.map((m) => m.platformMessageId!).filter((id) => id.startsWith("<") && !id.includes("#"));
  const lastInbound = thread.filter((m) => m.direction === "inbound" && ids.includes(m.platformMessageId!)).at(-1);
  const firstInbound = thread.find((m) => m.direction === "inbound");
  const shown = widgetMessageOf(message);
  const transport = nodemailer.createTransport({
    host: relay.host,
    port: relay.port,
    secure: relay.secure ?? relay.port === 465,
    ...(relay.user && { auth: { user: relay.user, pass: relay.pass ?? "" } }),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  try {
    await transport.sendMail({
      from: { name: store.name, address: store.sellerId },
      to: { name: buyer.displayName, address: buyer.platformBuyerId },
      subject: replySubject(firstInbound?.body, `${store.name} 客服回复`),
      messageId,
      ...(lastInbound && { inReplyTo: lastInbound.platformMessageId! }),
      ...(ids.length > 0 && { references: ids.slice(-MAX_REFERENCES) }),
      text: shown.imageUrl ? `${message.body}\n${shown.imageUrl}`.trim() : message.body,
    });
  } catch (err) {
    const code = (err as { responseCode?: number }).responseCode;
    const permanent = code !== undefined && code >= 500;
    throw new PlatformError(code ? `smtp_${code}` : "smtp_unreachable", (err as Error).message, !permanent);
  } finally {
    transport.close();
  }
  return { platformMessageId: messageId };
}
