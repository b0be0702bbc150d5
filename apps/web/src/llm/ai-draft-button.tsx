import { RobotOutlined } from "@ant-design/icons";
import type { AssistDraft } from "@yunxi/contracts";
import { Button, Tooltip } from "antd";
import { useState } from "react";
import { ApiRequestError } from "../api/client.ts";
import { useT } from "../i18n/i18n-provider.tsx";
import type { Translate } from "../i18n/locales.ts";
import { errorText } from "../shared/error-text.ts";
import { useDraftsOffered } from "./drafts-offered.ts";
import { llmApi } from "./llm-api.ts";
import "./llm.css";

export function draftErrorText(error: unknown, t: Translate): string {
  if (error instanceof ApiRequestError && error.code === "llm_disabled") return t("llm.draft.disabled");
  if (error instanceof ApiRequestError && error.code === "llm_unavailable") return t("llm.draft.unavailable");
  return errorText(error, t);
}

/**
 * 「AI 草稿」: asks the org's LLM for a reply and hands it to the composer, which only fills
 * the box: the agent reads, edits and sends. Shown only when the admin has drafts on.
 */
export function AiDraftButton({
  conversationId,
  onDraft,
  onError,
}: {
  conversationId: string;
  /** With the conversation it was asked for (the agent may have moved on meanwhile). */
  onDraft: (draft: AssistDraft, conversationId: string) => void;
  onError: (message: string) => void;
}) {
  const t = useT();
  const offered = useDraftsOffered();
  const [loading, setLoading] = useState(false);
  if (!offered) return null;

  const ask = () => {
    setLoading(true);
    llmApi
      .draft(conversationId)
      .then(
        (draft) => onDraft(draft, conversationId),
        (error: unknown) => onError(draftErrorText(error, t)),
      )
      .finally(() => setLoading(false));
  };

  return (
    <Tooltip title={t("llm.draft.hint")}>
      <Button size="small" icon={<RobotOutlined />} loading={loading} onClick={ask} data-testid="ai-draft-button">
        {t("llm.draft.button")}
      </Button>
    </Tooltip>
  );
}
