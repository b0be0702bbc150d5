import type { TestLlmRequest, UpdateLlmSettingsRequest } from "@yunxi/contracts";
import { AssistDraft, LlmSettings, LlmStatus, LlmTestResult } from "@yunxi/contracts";
import { requestJson } from "../api/client.ts";

/** The optional LLM's endpoints (contracts/llm.ts): admin settings and test, drafts for agents. */
export const llmApi = {
  settings: (signal?: AbortSignal) => requestJson("GET", "/api/assist/llm", LlmSettings, { signal }),
  update: (body: UpdateLlmSettingsRequest) => requestJson("PUT", "/api/assist/llm", LlmSettings, { body }),
  test: (body: TestLlmRequest) => requestJson("POST", "/api/assist/llm/test", LlmTestResult, { body }),
  status: (signal?: AbortSignal) => requestJson("GET", "/api/assist/llm/status", LlmStatus, { signal }),
  draft: (conversationId: string) =>
    requestJson("POST", `/api/conversations/${encodeURIComponent(conversationId)}/assist/draft`, AssistDraft),
};
