import { createHash } from "node:crypto";
import type { InboundEvent } from "@yunxi/marketplaces";
import type { ParsedMail } from "mailparser";
import type { AppContext } from "../../../platform/context.ts";
import { conversationByPlatformMessageIds, type IngestResult, ingestInbound } from "../../inbox/index.ts";
import type { StoreWithCredentials } from "../../stores/index.ts";
import { storeRef } from "../channel-store.ts";
import { saveImage } from "../uploads.ts";
import { mailBody, messageIdsIn, normalizeMessageId } from "./mail-text.ts";

/**
 * One received mail into the store's inbox. The buyer is the From address; the
 * mail's Message-ID is the platform message id, so a mail delivered twice (an MTA
 * retrying after a lost acknowledgement) is stored once, and a reply whose
 * In-Reply-To/References name one of the thread's ids is recognised as part of it.
 * Image attachments become image messages after the text.
 */
export async function ingestMail(
  ctx: AppContext,
  target: StoreWithCredentials,
  mail: ParsedMail,
  raw: Buffer,
): Promise<IngestResult | null> {
  const from = mail.from?.value[0];
  const address = from?.address?.trim().toLowerCase();
  if (!address) return null;
  const messageId = mail.messageId
    ? normalizeMessageId(mail.messageId)
    : `<${createHash("sha256").update(raw).digest("hex").slice(0, 32)}@no-message-id.yunxi>`;
  const references = [...messageIdsIn(mail.inReplyTo), ...messageIdsIn(mail.references)];
  const thread = await conversationByPlatformMessageIds(ctx.db, target.store.orgId, target.store.id, references);
  const buyer = { platformBuyerId: address, displayName: from?.name?.trim() || address };
  const sentAt = ctx.now();
  const events: InboundEvent[] = [];
  const text = mail.text ?? "";
  if (text.trim() || mail.subject) {
    events.push({
      kind: "message",
      platformMessageId: messageId,
      buyer,
      content: { type: "text", text: mailBody(mail.subject, text, thread === null) },
      sentAt,
    });
  }
  mail.attachments
    .filter((a) => a.contentType.startsWith("image/") && a.size <= ctx.config.uploadMaxBytes)
    .forEach((a, i) => {
      const saved = saveImage(ctx.config.dataDir, a.contentType, a.content);
      if (!saved.ok) return;
      events.push({
        kind: "message",
        platformMessageId: `${messageId}#${i + 1}`,
        buyer,
        content: { type: "image", url: saved.url },
        sentAt,
      });
    });
  if (events.length === 0) return null;
  return ingestInbound(ctx, storeRef(target), events);
}
