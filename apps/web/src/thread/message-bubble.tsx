import { memo } from "react";
import { formatTime } from "../i18n/format.ts";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import type { ThreadMessage } from "../inbox/inbox-state.ts";
import { DeliveryState } from "./delivery-state.tsx";

type Props = { message: ThreadMessage; onRetry: (message: ThreadMessage) => void };

/**
 * One message. The body is always a React text node: buyer text can hold anything, and it is
 * shown as typed, never interpreted as HTML.
 */
export const MessageBubble = memo(function MessageBubble({ message, onRetry }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const { direction, senderType, kind, body, deliveryStatus } = message;

  if (senderType === "system" || kind === "system") {
    return (
      <div className="message message-system" data-testid="message" data-direction={direction}>
        <span className="message-system-text">{body}</span>
      </div>
    );
  }

  return (
    <div
      className={`message message-${direction}`}
      data-testid="message"
      data-message-id={message.id}
      data-direction={direction}
      data-delivery-status={deliveryStatus ?? undefined}
    >
      {senderType === "bot" && <span className="message-sender">{t("message.sender.bot")}</span>}
      <div className="message-bubble">
        {kind !== "text" && <span className="message-kind">[{t(`message.kind.${kind}`)}]</span>}
        <span className="message-body">{body}</span>
      </div>
      <div className="message-meta">
        <time dateTime={message.createdAt}>{formatTime(message.createdAt, locale)}</time>
        {direction === "outbound" && <DeliveryState message={message} onRetry={onRetry} />}
      </div>
    </div>
  );
});
