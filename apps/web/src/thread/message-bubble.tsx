import { LockOutlined } from "@ant-design/icons";
import type { AgentState, MessageAttachment } from "@yunxi/contracts";
import { memo } from "react";
import { formatTime } from "../i18n/format.ts";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import type { ThreadMessage } from "../inbox/inbox-state.ts";
import { DeliveryState } from "./delivery-state.tsx";
import { splitMentions } from "./mentions.ts";
import { ImageAttachment, OrderCard, ProductCard } from "./message-attachments.tsx";
import { noticeKey } from "./system-notice.ts";

type Props = {
  message: ThreadMessage;
  /** The buyer has read it (platform read receipt). */
  read: boolean;
  onRetry: (message: ThreadMessage) => void;
  /** Names of note authors and of the agents a note mentions. */
  agentsById: ReadonlyMap<string, AgentState>;
};

/**
 * One message. Text is always a React text node: buyer text can hold anything, and it is shown
 * as typed (emoji included), never interpreted as HTML. Images and cards render from the
 * attachment; a message whose attachment is missing falls back to its plain-text body.
 */
export const MessageBubble = memo(function MessageBubble({ message, read, onRetry, agentsById }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const { direction, senderType, kind, attachment, deliveryStatus } = message;

  if (kind === "note") return <NoteBubble message={message} agentsById={agentsById} />;
  if (senderType === "system" || kind === "system" || attachment?.type === "system") {
    return <SystemNotice message={message} />;
  }
  // Anything else internal is between agents too: never drawn like a buyer's message.
  if (direction === "internal") return <NoteBubble message={message} agentsById={agentsById} />;

  const card = attachment ? <Attachment attachment={attachment} /> : null;
  return (
    <div
      className={`message message-${direction}`}
      data-testid="message"
      data-message-id={message.id}
      data-direction={direction}
      data-kind={kind}
      data-delivery-status={deliveryStatus ?? undefined}
    >
      {senderType === "bot" && <span className="message-sender">{t("message.sender.bot")}</span>}
      {card ?? (
        <div className="message-bubble">
          {kind !== "text" && <span className="message-kind">[{t(`message.kind.${kind}`)}]</span>}
          <span className="message-body">{message.body}</span>
        </div>
      )}
      <div className="message-meta">
        <time dateTime={message.createdAt}>{formatTime(message.createdAt, locale)}</time>
        {direction === "outbound" && <DeliveryState message={message} read={read} onRetry={onRetry} />}
      </div>
    </div>
  );
});

function Attachment({ attachment }: { attachment: Exclude<MessageAttachment, { type: "system" }> }) {
  switch (attachment.type) {
    case "image":
      return <ImageAttachment url={attachment.url} />;
    case "product_card":
      return <ProductCard card={attachment} />;
    case "order_card":
      return <OrderCard card={attachment} />;
  }
}

/** 订单已付款 · 订单 123…: a centred grey line, in the reader's language when the event is known. */
function SystemNotice({ message }: { message: ThreadMessage }) {
  const t = useT();
  const { attachment } = message;
  let text = message.body;
  if (attachment?.type === "system") {
    const key = noticeKey(attachment.event);
    if (key) {
      text = attachment.orderId ? t("notice.withOrder", { notice: t(key), orderId: attachment.orderId }) : t(key);
    }
  }
  return (
    <div
      className="message message-system"
      data-testid="system-notice"
      data-message-id={message.id}
      data-event={attachment?.type === "system" ? attachment.event : undefined}
    >
      {/* The server's own wording (amount, parcel) stays available on hover. */}
      <span className="message-system-text" title={text === message.body ? undefined : message.body}>
        {text}
      </span>
    </div>
  );
}

/**
 * An internal note: yellow, marked 内部备注 with its author, mentions highlighted. Not sent to the
 * buyer, so it has no delivery state.
 */
function NoteBubble({ message, agentsById }: { message: ThreadMessage; agentsById: ReadonlyMap<string, AgentState> }) {
  const t = useT();
  const { locale } = useLocale();
  const author = message.senderId ? agentsById.get(message.senderId)?.name : undefined;
  const mentionable = message.mentions.flatMap((userId) => {
    const name = agentsById.get(userId)?.name;
    return name ? [{ userId, name }] : [];
  });
  return (
    <div
      className="message message-note"
      data-testid="message"
      data-message-id={message.id}
      data-direction="internal"
      data-kind="note"
    >
      <span className="message-sender">
        <LockOutlined /> {author ? t("message.noteBy", { name: author }) : t("message.kind.note")}
      </span>
      <div className="message-bubble note-bubble">
        {splitMentions(message.body, mentionable).map((segment, index) =>
          segment.mention ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: segments of one immutable text
            <span key={index} className="note-mention" data-user-id={segment.mention}>
              {segment.text}
            </span>
          ) : (
            // biome-ignore lint/suspicious/noArrayIndexKey: segments of one immutable text
            <span key={index}>{segment.text}</span>
          ),
        )}
      </div>
      <div className="message-meta">
        <time dateTime={message.createdAt}>{formatTime(message.createdAt, locale)}</time>
      </div>
    </div>
  );
}
