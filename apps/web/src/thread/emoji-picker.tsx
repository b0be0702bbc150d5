import { SmileOutlined } from "@ant-design/icons";
import { Button, Popover } from "antd";
import { useState } from "react";
import { useT } from "../i18n/i18n-provider.tsx";

/** The emoji agents use most with buyers; Unicode, so every platform shows them. */
const emoji = [..."😀😊😄😉😍🥰😘😂🤣😅🙂🤗🤔😮😢😭😤😡🙏👍👌👏💪🤝🎉🎁❤️🌹☀️🌙✨🔥📦🚚⏰✅❌❓💰🧧"];

type Props = { onPick: (emoji: string) => void };

export function EmojiPicker({ onPick }: Props) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const grid = (
    <div className="emoji-grid" role="listbox" aria-label={t("composer.emoji")}>
      {emoji.map((symbol) => (
        <button
          key={symbol}
          type="button"
          role="option"
          aria-selected={false}
          className="emoji-option"
          onClick={() => {
            onPick(symbol);
            setOpen(false);
          }}
        >
          {symbol}
        </button>
      ))}
    </div>
  );
  return (
    <Popover content={grid} trigger="click" open={open} onOpenChange={setOpen} placement="topLeft">
      <Button type="text" icon={<SmileOutlined />} aria-label={t("composer.emoji")} data-testid="emoji-button" />
    </Popover>
  );
}
