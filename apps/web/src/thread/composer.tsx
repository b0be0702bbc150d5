import { SendOutlined } from "@ant-design/icons";
import { Button, Input } from "antd";
import type { KeyboardEvent } from "react";
import { useState } from "react";
import { useT } from "../i18n/i18n-provider.tsx";
import { useInboxActions } from "../inbox/inbox-provider.tsx";

const maxLength = 5000;
/** Unsent text per conversation, kept while the agent switches between conversations. */
const drafts = new Map<string, string>();

/** The reply box: Enter sends, Shift+Enter starts a new line, an IME composition is never cut short. */
export function Composer({ conversationId }: { conversationId: string }) {
  const t = useT();
  const { send } = useInboxActions();
  const [text, setText] = useState(() => drafts.get(conversationId) ?? "");
  const body = text.trim();

  const change = (value: string) => {
    setText(value);
    if (value) drafts.set(conversationId, value);
    else drafts.delete(conversationId);
  };

  const submit = () => {
    if (!body || body.length > maxLength) return;
    send(conversationId, body);
    change("");
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // keyCode 229: the Enter that confirms a pinyin candidate in some browsers.
    if (event.key !== "Enter" || event.shiftKey || event.nativeEvent.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    submit();
  };

  return (
    <div className="composer">
      <Input.TextArea
        data-testid="composer-input"
        className="composer-input"
        value={text}
        onChange={(event) => change(event.target.value)}
        onKeyDown={onKeyDown}
        placeholder={t("composer.placeholder")}
        aria-label={t("composer.placeholder")}
        autoSize={{ minRows: 2, maxRows: 8 }}
        status={body.length > maxLength ? "error" : undefined}
      />
      <div className="composer-actions">
        {body.length > maxLength && <span className="composer-error">{t("composer.tooLong", { max: maxLength })}</span>}
        <Button
          data-testid="send-button"
          type="primary"
          icon={<SendOutlined />}
          onClick={submit}
          disabled={!body || body.length > maxLength}
        >
          {t("composer.send")}
        </Button>
      </div>
    </div>
  );
}
