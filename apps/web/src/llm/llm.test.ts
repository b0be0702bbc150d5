import type { LlmSettings } from "@yunxi/contracts";
import { describe, expect, it } from "vitest";
import { ApiRequestError } from "../api/client.ts";
import { draftErrorText } from "./ai-draft-button.tsx";
import { llmRequest, llmTestRequest, llmToValues } from "./llm-form.ts";

const settings: LlmSettings = {
  enabled: true,
  baseUrl: "https://api.deepseek.com/v1",
  model: "deepseek-chat",
  hasKey: true,
  keyHint: "…a1b2",
  classify: true,
  classifyBelow: 0.5,
  classifyTimeoutMs: 4000,
  drafts: true,
  draftTimeoutMs: 8000,
  updatedAt: null,
};

describe("the LLM settings form", () => {
  it("never holds the key: the field starts empty, and empty keeps the saved key", () => {
    const values = llmToValues(settings);
    expect(values.apiKey).toBe("");
    expect(values.classifyTimeoutSeconds).toBe(4);
    const request = llmRequest(values);
    expect(request).not.toHaveProperty("apiKey");
    expect(request).not.toHaveProperty("clearApiKey");
    expect(request).toMatchObject({ classifyTimeoutMs: 4000, draftTimeoutMs: 8000, baseUrl: settings.baseUrl });
  });

  it("sends a newly typed key, trimmed, and tests what is in the form", () => {
    const values = { ...llmToValues(settings), apiKey: "  sk-new-key  ", draftTimeoutSeconds: 2.5 };
    expect(llmRequest(values)).toMatchObject({ apiKey: "sk-new-key", draftTimeoutMs: 2500 });
    expect(llmTestRequest({ baseUrl: " http://127.0.0.1:11434/v1 ", model: "qwen2.5:7b", apiKey: "" })).toEqual({
      baseUrl: "http://127.0.0.1:11434/v1",
      model: "qwen2.5:7b",
    });
  });

  it("says why a draft failed in the user's words", () => {
    const t = (key: string) => key;
    expect(draftErrorText(new ApiRequestError(503, "llm_unavailable", "The language model did not answer"), t)).toBe(
      "llm.draft.unavailable",
    );
    expect(draftErrorText(new ApiRequestError(409, "llm_disabled", "off"), t)).toBe("llm.draft.disabled");
  });
});
