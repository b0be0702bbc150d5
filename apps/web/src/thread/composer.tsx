import { SendOutlined } from "@ant-design/icons";
import { Button, Input } from "antd";
import type { TextAreaRef } from "antd/es/input/TextArea";
import type { KeyboardEvent } from "react";
import { useRef, useState } from "react";
import { useT } from "../i18n/i18n-provider.tsx";
import { useInboxActions } from "../inbox/inbox-provider.tsx";
import { errorText } from "../shared/error-text.ts";
import { EmojiPicker } from "./emoji-picker.tsx";

const maxLength = 5000;
/** Unsent text per conversation, kept while the agent switches between conversations. */
const drafts = new Map<string, string>();

/**
 * The reply box: Enter sends, Shift+Enter starts a new line, an IME composition is never cut short.
 * A message the platform would refuse (too long, an external link …) comes back here with the
 * reason, and its text is put back for editing.
 */
export function Composer({ conversationId }: { conversationId: string }) {
  const t = useT();
  const { send } = useInboxActions();
  const [text, setText] = useState(() => drafts.get(conversationId) ?? "");
  const [refusal, setRefusal] = useState<string | null>(null);
  const inputRef = useRef<TextAreaRef>(null);
  const textRef = useRef(text);
  const body = text.trim();

  const change = (value: string) => {
    textRef.current = value;
    setText(value);
    setRefusal(null);
    if (value) drafts.set(conversationId, value);
    else drafts.delete(conversationId);
  };

  const submit = () => {
    if (!body || body.length > maxLength) return;
    send(conversationId, { body }).catch((error: unknown) => {
      // Put the text back unless the agent already started the next message.
      if (!textRef.current) change(body);
      setRefusal(t("composer.refused", { reason: errorText(error, t) }));
    });
    change("");
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // keyCode 229: the Enter that confirms a pinyin candidate in some browsers.
    if (event.key !== "Enter" || event.shiftKey || event.nativeEvent.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    submit();
  };

  const insertEmoji = (symbol: string) => {
    const area = inputRef.current?.resizableTextArea?.textArea;
    const start = area?.selectionStart ?? text.length;
    const end = area?.selectionEnd ?? text.length;
    change(text.slice(0, start) + symbol + text.slice(end));
    requestAnimationFrame(() => {
      area?.focus();
      area?.setSelectionRange(start + symbol.length, start + symbol.length);
    });
  };

  const tooLong = body.length > maxLength;
  return (
    <div className="composer">
      <Input.TextArea
        ref={inputRef}
        data-testid="composer-input"
        className="composer-input"
        value={text}
        onChange={(event) => change(event.target.value)}
        onKeyDown={onKeyDown}
        placeholder={t("composer.placeholder")}
        aria-label={t("composer.placeholder")}
        autoSize={{ minRows: 2, maxRows: 8 }}
        status={tooLong || refusal ? "error" : undefined}
      />
      <div className="composer-actions">
        <EmojiPicker onPick={insertEmoji} />
        <span className="composer-error" data-testid="composer-error" role={refusal ? "alert" : undefined}>
          {tooLong ? t("composer.tooLong", { max: maxLength }) : refusal}
        </span>
        <Button
          data-testid="send-button"
          type="primary"
          icon={<SendOutlined />}
          onClick={submit}
          disabled={!body || tooLong}
        >
          {t("composer.send")}
        </Button>
      </div>
    </div>
  );
}
