import { LockOutlined, MessageOutlined, SendOutlined } from "@ant-design/icons";
import type { AssistDraft } from "@yunxi/contracts";
import { Button, Input, Mentions } from "antd";
import type { TextAreaRef } from "antd/es/input/TextArea";
import type { MentionsRef } from "antd/es/mentions";
import type { KeyboardEvent } from "react";
import { useMemo, useRef, useState } from "react";
import { CannedReplyPicker, type CannedReplyPickerHandle } from "../assist/canned-reply-picker.tsx";
import { libraryApi } from "../assist/library-api.ts";
import { checkBeforeSend, sendGuardMessage } from "../assist/send-guard.ts";
import { useMe } from "../auth/auth-provider.tsx";
import { useT } from "../i18n/i18n-provider.tsx";
import { useInboxActions } from "../inbox/inbox-provider.tsx";
import { useAgentsById, useConversation } from "../inbox/selectors.ts";
import { AiDraftButton } from "../llm/ai-draft-button.tsx";
import { errorText } from "../shared/error-text.ts";
import { useShortcut } from "../shortcuts/shortcuts-provider.tsx";
import { EmojiPicker } from "./emoji-picker.tsx";
import { useInsertIntoReply } from "./insert-into-reply.ts";
import { collectMentions } from "./mentions.ts";
import { servesStore } from "./transfer.ts";

const maxLength = 5000;
export type ComposerMode = "reply" | "note";
/** Unsent text per conversation and mode, kept while the agent switches between conversations. */
const drafts = new Map<string, string>();
const draftKey = (conversationId: string, mode: ComposerMode) => `${conversationId}:${mode}`;

/** Whether the @mention list is open: Enter then picks an agent instead of sending. */
function mentionListOpen(element: HTMLElement): boolean {
  return element.closest(".ant-mentions")?.querySelector(".ant-mentions-measure") != null;
}

/**
 * The reply box, and the internal note box (备注) behind a toggle. Enter (or Ctrl/⌘+Enter) sends,
 * Shift+Enter starts a new line, an IME composition is never cut short, Esc leaves the box (so the
 * single-key shortcuts work again). A reply the platform would refuse (too long, an external link …)
 * comes back here with the reason, and its text is put back for editing. Notes go to the team only,
 * never to the buyer; `@` lists the agents to mention.
 */
export function Composer({ conversationId }: { conversationId: string }) {
  const t = useT();
  const me = useMe();
  const { send, addNote } = useInboxActions();
  const agentsById = useAgentsById();
  const [mode, setMode] = useState<ComposerMode>("reply");
  const [text, setText] = useState(() => drafts.get(draftKey(conversationId, "reply")) ?? "");
  const [refusal, setRefusal] = useState<string | null>(null);
  /** What the last AI draft was based on, until the agent edits it. */
  const [draftSources, setDraftSources] = useState<string | null>(null);
  const [posting, setPosting] = useState(false);
  const inputRef = useRef<TextAreaRef>(null);
  const mentionsRef = useRef<MentionsRef>(null);
  const pickerRef = useRef<CannedReplyPickerHandle>(null);
  const conversation = useConversation(conversationId);
  const textRef = useRef(text);
  const body = text.trim();

  // Only colleagues who serve the conversation's store can be mentioned (the server refuses others).
  const storeId = conversation?.storeId;
  const agents = useMemo(
    () =>
      [...agentsById.values()]
        .filter((agent) => storeId !== undefined && servesStore(agent, storeId))
        .map((agent) => ({ userId: agent.userId, name: agent.name })),
    [agentsById, storeId],
  );
  const mentionOptions = useMemo(
    () =>
      agents
        .filter((agent) => agent.userId !== me.user.id)
        .map((agent) => ({ key: agent.userId, value: agent.name, label: agent.name })),
    [agents, me.user.id],
  );

  const change = (value: string, forMode: ComposerMode = mode) => {
    textRef.current = value;
    setText(value);
    setRefusal(null);
    setDraftSources(null);
    const key = draftKey(conversationId, forMode);
    if (value) drafts.set(key, value);
    else drafts.delete(key);
  };

  const focus = () => {
    if (mode === "note") mentionsRef.current?.focus();
    else inputRef.current?.focus();
  };
  useShortcut("focusReply", focus);
  // A knowledge-base article inserted from the side panel lands in the reply draft.
  useInsertIntoReply(conversationId, (inserted) => {
    if (mode === "note") switchMode("reply");
    const current = textRef.current;
    change(current ? `${current}\n${inserted}` : inserted, "reply");
    requestAnimationFrame(() => inputRef.current?.focus());
  });

  const currentConversation = useRef(conversationId);
  currentConversation.current = conversationId;
  /** An AI draft fills the reply box (after what the agent typed); it is never sent by itself. */
  const fillDraft = (draft: AssistDraft, askedFor: string) => {
    if (askedFor !== currentConversation.current) {
      drafts.set(draftKey(askedFor, "reply"), draft.text);
      return;
    }
    if (mode === "note") switchMode("reply");
    const current = textRef.current;
    change(current.trim() ? `${current}\n${draft.text}` : draft.text, "reply");
    const basis = [
      ...draft.sources.articles.map((a) => `《${a.title}》`),
      ...(draft.sources.order ? [t("llm.draft.order", { orderId: draft.sources.order.orderId })] : []),
    ];
    setDraftSources(
      t("llm.draft.sources", { sources: basis.length > 0 ? basis.join("、") : t("llm.draft.noSources") }),
    );
    requestAnimationFrame(() => inputRef.current?.focus());
  };

  const switchMode = (next: ComposerMode) => {
    if (next === mode) return;
    setMode(next);
    const draft = drafts.get(draftKey(conversationId, next)) ?? "";
    textRef.current = draft;
    setText(draft);
    setRefusal(null);
    requestAnimationFrame(() => (next === "note" ? mentionsRef.current?.focus() : inputRef.current?.focus()));
  };

  const submitReply = () => {
    // A canned reply whose value the conversation lacks ({快递单号}) is never sent as a raw placeholder.
    const guard = checkBeforeSend(body);
    if (!guard.ok) {
      setRefusal(sendGuardMessage(guard.missing, t));
      return;
    }
    send(conversationId, { body }).catch((error: unknown) => {
      // Put the text back unless the agent already started the next message.
      if (!textRef.current) change(body, "reply");
      setRefusal(t("composer.refused", { reason: errorText(error, t) }));
    });
    change("");
  };

  const submitNote = () => {
    const mentions = collectMentions(body, agents);
    setPosting(true);
    change("");
    addNote(conversationId, body, mentions)
      .catch((error: unknown) => {
        if (!textRef.current) change(body, "note");
        setRefusal(t("composer.noteFailed", { reason: errorText(error, t) }));
      })
      .finally(() => setPosting(false));
  };

  const submit = () => {
    if (!body || body.length > maxLength || posting) return;
    if (mode === "note") submitNote();
    else submitReply();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // The canned-reply list (话术) takes ↑↓, Enter and Esc while it is open.
    if (mode === "reply" && pickerRef.current?.onKeyDown(event)) return;
    if (event.key === "Escape") {
      if (!mentionListOpen(event.currentTarget)) event.currentTarget.blur();
      return;
    }
    // keyCode 229: the Enter that confirms a pinyin candidate in some browsers.
    if (event.key !== "Enter" || event.shiftKey || event.nativeEvent.isComposing || event.keyCode === 229) return;
    if (mode === "note" && mentionListOpen(event.currentTarget)) return;
    event.preventDefault();
    submit();
  };

  const insertEmoji = (symbol: string) => {
    const area = mode === "note" ? mentionsRef.current?.textarea : inputRef.current?.resizableTextArea?.textArea;
    const start = area?.selectionStart ?? text.length;
    const end = area?.selectionEnd ?? text.length;
    change(text.slice(0, start) + symbol + text.slice(end));
    requestAnimationFrame(() => {
      area?.focus();
      area?.setSelectionRange(start + symbol.length, start + symbol.length);
    });
  };

  const tooLong = body.length > maxLength;
  const note = mode === "note";
  const placeholder = note ? t("composer.notePlaceholder") : t("composer.placeholder");
  return (
    <div className={`composer${note ? " is-note" : ""}`} data-mode={mode}>
      <div className="composer-modes" role="tablist" aria-label={t("composer.mode")}>
        <Button
          size="small"
          type={note ? "text" : "primary"}
          ghost={!note}
          role="tab"
          aria-selected={!note}
          icon={<MessageOutlined />}
          data-testid="composer-mode-reply"
          onClick={() => switchMode("reply")}
        >
          {t("composer.modeReply")}
        </Button>
        <Button
          size="small"
          type="text"
          role="tab"
          aria-selected={note}
          className={note ? "composer-mode-note is-active" : "composer-mode-note"}
          icon={<LockOutlined />}
          data-testid="composer-mode-note"
          onClick={() => switchMode("note")}
        >
          {t("composer.modeNote")}
        </Button>
        {note && <span className="composer-note-hint">{t("composer.noteHint")}</span>}
      </div>
      {note ? (
        <Mentions
          ref={mentionsRef}
          data-testid="composer-input"
          className="composer-input composer-note-input"
          value={text}
          onChange={(value) => change(value)}
          onKeyDown={onKeyDown}
          options={mentionOptions}
          placeholder={placeholder}
          aria-label={placeholder}
          autoSize={{ minRows: 2, maxRows: 8 }}
          status={tooLong || refusal ? "error" : undefined}
          notFoundContent={t("composer.noAgents")}
          placement="top"
        />
      ) : (
        <>
          {conversation && (
            <CannedReplyPicker
              conversation={conversation}
              query={text}
              handleRef={pickerRef}
              onInsert={(filled, hit) => {
                change(filled);
                void libraryApi.recordUsage(hit.reply.id, conversationId).catch(() => undefined);
                requestAnimationFrame(() => inputRef.current?.focus());
              }}
            />
          )}
          <Input.TextArea
            ref={inputRef}
            data-testid="composer-input"
            className="composer-input"
            value={text}
            onChange={(event) => change(event.target.value)}
            onKeyDown={onKeyDown}
            placeholder={placeholder}
            aria-label={placeholder}
            autoSize={{ minRows: 2, maxRows: 8 }}
            status={tooLong || refusal ? "error" : undefined}
          />
        </>
      )}
      {draftSources && !note && (
        <div className="composer-draft-sources" data-testid="composer-draft-sources">
          {draftSources}
        </div>
      )}
      <div className="composer-actions">
        <EmojiPicker onPick={insertEmoji} />
        {!note && <AiDraftButton conversationId={conversationId} onDraft={fillDraft} onError={setRefusal} />}
        <span className="composer-error" data-testid="composer-error" role={refusal ? "alert" : undefined}>
          {tooLong ? t("composer.tooLong", { max: maxLength }) : refusal}
        </span>
        <Button
          data-testid="send-button"
          type="primary"
          icon={note ? <LockOutlined /> : <SendOutlined />}
          onClick={submit}
          disabled={!body || tooLong}
          loading={posting}
          className={note ? "composer-send-note" : undefined}
        >
          {note ? t("composer.addNote") : t("composer.send")}
        </Button>
      </div>
    </div>
  );
}
