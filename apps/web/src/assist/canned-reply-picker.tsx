import { ThunderboltOutlined, WarningOutlined } from "@ant-design/icons";
import type { CannedReplyHit, Conversation } from "@yunxi/contracts";
import { platformLabels } from "@yunxi/contracts";
import { Empty, Spin, Tag, Tooltip } from "antd";
import type { KeyboardEvent as ReactKeyboardEvent, Ref } from "react";
import { useEffect, useImperativeHandle, useMemo, useState } from "react";
import { useT } from "../i18n/i18n-provider.tsx";
import { pickerQuery } from "./picker-query.ts";
import { useCannedReplies } from "./use-canned-replies.ts";
import "./assist.css";

/** What the composer forwards to the picker: keys it may consume, so Enter inserts instead of sending. */
export type CannedReplyPickerHandle = {
  /** True when the picker is showing replies (Enter and arrows belong to it). */
  isOpen: () => boolean;
  /** Call first in the composer's onKeyDown; true when the picker consumed the key. */
  onKeyDown: (event: ReactKeyboardEvent | KeyboardEvent) => boolean;
};

type Props = {
  conversation: Pick<Conversation, "id" | "storeId" | "platform">;
  /** The composer's text: `/…` or a bare keyword opens the picker. */
  query: string;
  /** The chosen reply, with the conversation's values filled in (missing ones left as `{…}`). */
  onInsert: (text: string, hit: CannedReplyHit) => void;
  handleRef?: Ref<CannedReplyPickerHandle>;
  /** Also look up a short word typed without `/` as a keyword (default true); false: only `/` opens the picker. */
  bareKeywords?: boolean;
};

/**
 * The canned-reply list above the composer (话术). Typing `/` lists the most used replies
 * for the conversation's store (store, then platform, then org); `/尺码` or a bare keyword
 * such as `抖音-尺码` searches. ↑↓ choose, Enter or Tab inserts, Esc closes until the
 * text changes. Values the conversation lacks are flagged on the item; the composer's
 * send guard (`checkBeforeSend`) keeps their placeholders from being sent.
 */
export function CannedReplyPicker({ conversation, query, onInsert, handleRef, bareKeywords = true }: Props) {
  const t = useT();
  const found = pickerQuery(query);
  const parsed = found && (bareKeywords || found.match === "all") ? found : null;
  const [dismissedFor, setDismissedFor] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const open = parsed !== null && dismissedFor !== query;
  const { items, loading, error, use } = useCannedReplies({
    conversation,
    q: parsed?.q ?? "",
    match: parsed?.match ?? "all",
    enabled: open,
  });
  // A bare keyword shows the list only when something matches; `/` always shows it.
  const visible = open && (parsed?.match === "all" || items.length > 0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new query or new results start at the top
  useEffect(() => setActive(0), [query, items]);

  const insert = (hit: CannedReplyHit | undefined) => {
    if (!hit) return;
    const text = use(hit);
    // A short reply inserted must not reopen the list (its Enter is meant to send it).
    setDismissedFor(text);
    onInsert(text, hit);
  };

  // Recreated every render: the handle always sees the current list and choice.
  useImperativeHandle(handleRef, () => ({
    isOpen: () => visible && items.length > 0,
    onKeyDown: (event) => {
      if (!visible) return false;
      if (event.key === "Escape") {
        setDismissedFor(query);
        return true;
      }
      const composing = "nativeEvent" in event ? event.nativeEvent.isComposing : event.isComposing;
      if (items.length === 0 || composing) return false;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        const step = event.key === "ArrowDown" ? 1 : -1;
        setActive((i) => (i + step + items.length) % items.length);
        event.preventDefault();
        return true;
      }
      if ((event.key === "Enter" && !event.shiftKey) || event.key === "Tab") {
        event.preventDefault();
        insert(items[active]);
        return true;
      }
      return false;
    },
  }));

  const scopeLabel = useMemo(
    () => (hit: CannedReplyHit) => {
      const reply = hit.reply;
      if (reply.scope === "store") return reply.storeLabel ?? t("library.scope.store");
      if (reply.scope === "platform" && reply.platform) return platformLabels[reply.platform]["zh-CN"];
      return t("library.scope.org");
    },
    [t],
  );

  if (!visible) return null;
  return (
    <div
      className="canned-picker"
      data-testid="canned-reply-picker"
      role="listbox"
      aria-label={t("assist.picker.title")}
    >
      <div className="canned-picker-head">
        <ThunderboltOutlined /> {t("assist.picker.title")}
        <span className="canned-picker-hint">{t("assist.picker.hint")}</span>
        {loading && <Spin size="small" />}
      </div>
      {error && <div className="canned-picker-error">{error}</div>}
      {items.length === 0 && !loading && !error ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("assist.picker.empty")} />
      ) : (
        <div className="canned-picker-list" role="listbox" aria-label={t("assist.picker.title")}>
          {items.map((hit, i) => (
            <div
              key={hit.reply.id}
              role="option"
              tabIndex={-1}
              aria-selected={i === active}
              className={i === active ? "is-active" : undefined}
              data-testid="canned-reply-item"
              onMouseEnter={() => setActive(i)}
              onMouseDown={(event) => {
                // Keep the composer's focus: the click must not blur the text area first.
                event.preventDefault();
                insert(hit);
              }}
            >
              <div className="canned-picker-line">
                <strong className="canned-picker-title">{hit.reply.title}</strong>
                {hit.reply.keywords.slice(0, 3).map((k) => (
                  <Tag key={k} className="canned-picker-keyword">
                    {k}
                  </Tag>
                ))}
                <span className="canned-picker-scope">
                  {hit.reply.personal ? t("library.personal") : scopeLabel(hit)}
                </span>
                {hit.missing.length > 0 && (
                  <Tooltip title={t("assist.picker.missingHint")}>
                    <Tag color="warning" icon={<WarningOutlined />} data-testid="canned-reply-missing">
                      {t("assist.picker.missing", { names: hit.missing.join("、") })}
                    </Tag>
                  </Tooltip>
                )}
              </div>
              <div className="canned-picker-text">{hit.filledText}</div>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
