import { ArrowDownOutlined } from "@ant-design/icons";
import { Button, Empty, Spin } from "antd";
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { useT } from "../i18n/i18n-provider.tsx";
import { useInboxActions } from "../inbox/inbox-provider.tsx";
import type { ThreadMessage } from "../inbox/inbox-state.ts";
import { isReadByBuyer } from "../inbox/outgoing.ts";
import { useAgentsById } from "../inbox/selectors.ts";
import { MessageBubble } from "./message-bubble.tsx";

const nearBottomPx = 80;

type Props = {
  conversationId: string;
  messages: readonly ThreadMessage[];
  loading: boolean;
  /** The buyer's read receipt, when the platform gives one. */
  buyerReadAt: string | null | undefined;
};

/**
 * The scrolling thread. Sticks to the bottom when a conversation opens, when I send, and when
 * new messages arrive while I am at the bottom; otherwise offers a "new messages" button.
 */
export function MessageList({ conversationId, messages, loading, buyerReadAt }: Props) {
  const t = useT();
  const { retry } = useInboxActions();
  const agentsById = useAgentsById();
  const scrollRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const shown = useRef({ conversationId: "", count: 0 });
  const [hasUnseen, setHasUnseen] = useState(false);

  const scrollToBottom = () => {
    const element = scrollRef.current;
    if (element) element.scrollTop = element.scrollHeight;
    atBottom.current = true;
    setHasUnseen(false);
  };

  useLayoutEffect(() => {
    const previous = shown.current;
    shown.current = { conversationId, count: messages.length };
    const opened = previous.conversationId !== conversationId;
    const grew = messages.length > previous.count;
    const last = messages.at(-1);
    if (opened || (grew && (atBottom.current || last?.localKey !== undefined))) scrollToBottom();
    else if (grew) setHasUnseen(true);
  });

  // Keep the bottom in view when the pane shrinks (the composer grows, the window resizes) and when
  // the content grows after layout (an image or card thumbnail finished loading).
  useEffect(() => {
    const element = scrollRef.current;
    const content = contentRef.current;
    if (!element || !content) return;
    const observer = new ResizeObserver(() => {
      if (atBottom.current) element.scrollTop = element.scrollHeight;
    });
    observer.observe(element);
    observer.observe(content);
    return () => observer.disconnect();
  }, []);

  const onScroll = () => {
    const element = scrollRef.current;
    if (!element) return;
    atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < nearBottomPx;
    if (atBottom.current) setHasUnseen(false);
  };

  return (
    <div className="message-list-wrap">
      <div ref={scrollRef} className="message-list" data-testid="thread" onScroll={onScroll} aria-live="polite">
        {messages.length === 0 && (
          <div className="message-list-empty">
            {loading ? <Spin /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("thread.empty")} />}
          </div>
        )}
        <div ref={contentRef} className="message-list-content">
          {messages.map((message) => (
            <MessageBubble
              key={message.id}
              message={message}
              read={isReadByBuyer(message, buyerReadAt)}
              onRetry={retry}
              agentsById={agentsById}
            />
          ))}
        </div>
      </div>
      {hasUnseen && (
        <Button className="new-messages" shape="round" icon={<ArrowDownOutlined />} onClick={scrollToBottom}>
          {t("thread.newMessages")}
        </Button>
      )}
    </div>
  );
}
