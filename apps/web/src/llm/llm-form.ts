import type { LlmSettings, TestLlmRequest, UpdateLlmSettingsRequest } from "@yunxi/contracts";

/** The settings form's values: timeouts in seconds, the key as typed (empty: keep the saved one). */
export interface LlmFormValues {
  enabled: boolean;
  baseUrl: string;
  model: string;
  apiKey: string;
  classify: boolean;
  classifyBelow: number;
  classifyTimeoutSeconds: number;
  drafts: boolean;
  draftTimeoutSeconds: number;
}

export const llmToValues = (settings: LlmSettings): LlmFormValues => ({
  enabled: settings.enabled,
  baseUrl: settings.baseUrl,
  model: settings.model,
  apiKey: "",
  classify: settings.classify,
  classifyBelow: settings.classifyBelow,
  classifyTimeoutSeconds: settings.classifyTimeoutMs / 1000,
  drafts: settings.drafts,
  draftTimeoutSeconds: settings.draftTimeoutMs / 1000,
});

const trimmed = (value: string) => value.trim();

/**
 * What is sent: an empty key field keeps the saved key (it is never shown, so "empty" cannot
 * mean "remove"; that is the explicit clear). Empty URL and model are left out (not yet set).
 */
export function llmRequest(values: LlmFormValues): UpdateLlmSettingsRequest {
  const baseUrl = trimmed(values.baseUrl);
  const model = trimmed(values.model);
  const apiKey = trimmed(values.apiKey);
  return {
    enabled: values.enabled,
    ...(baseUrl && { baseUrl }),
    ...(model && { model }),
    ...(apiKey && { apiKey }),
    classify: values.classify,
    classifyBelow: values.classifyBelow,
    classifyTimeoutMs: Math.round(values.classifyTimeoutSeconds * 1000),
    drafts: values.drafts,
    draftTimeoutMs: Math.round(values.draftTimeoutSeconds * 1000),
  };
}

/** Test what is in the form (a key left empty: the saved one). */
export function llmTestRequest(values: Pick<LlmFormValues, "baseUrl" | "model" | "apiKey">): TestLlmRequest {
  const baseUrl = trimmed(values.baseUrl);
  const model = trimmed(values.model);
  const apiKey = trimmed(values.apiKey);
  return { ...(baseUrl && { baseUrl }), ...(model && { model }), ...(apiKey && { apiKey }) };
}
