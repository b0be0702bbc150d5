import { z } from "zod";

/**
 * An optional large language model behind an OpenAI-compatible endpoint (DeepSeek, Qwen,
 * vLLM, Ollama …), per org and off by default: it drafts replies grounded in the knowledge
 * base and the buyer's order, and settles the intent when the local classifier is unsure.
 * Everything works without it. The API key is write-only: answers say only whether one is
 * saved and its last characters.
 */

/**
 * The local classifier's own confidence threshold (assist/classifier CONFIDENCE_THRESHOLD):
 * the model is asked only below it, where the local tag is a guess, so a local re-triage
 * never overwrites the model's label with a confident local one (docs/decisions/0009).
 */
export const LLM_CLASSIFY_BELOW_MAX = 0.5;

/** http(s) only, no user:password in it (the key has its own, encrypted, field). */
export const LlmBaseUrl = z
  .url({ protocol: /^https?$/ })
  .max(500)
  .refine((value) => {
    const url = URL.canParse(value) ? new URL(value) : null;
    return url !== null && url.username === "" && url.password === "";
  }, "Put the key in the API key field, not in the URL");

const Timeout = z.number().int().min(500).max(120_000);

export const LlmSettings = z.object({
  enabled: z.boolean(),
  /** Up to and without `/chat/completions`, e.g. `https://api.deepseek.com/v1`, `http://127.0.0.1:11434/v1`. */
  baseUrl: z.string(),
  model: z.string(),
  hasKey: z.boolean(),
  /** The key's last four characters (`…a1b2`), null without a key. */
  keyHint: z.string().nullable(),
  /** Ask the model when the local classifier's confidence is below `classifyBelow`. */
  classify: z.boolean(),
  classifyBelow: z.number().min(0).max(LLM_CLASSIFY_BELOW_MAX),
  classifyTimeoutMs: Timeout,
  /** Offer agents the 「AI 草稿」 button. */
  drafts: z.boolean(),
  draftTimeoutMs: Timeout,
  updatedAt: z.string().nullable(),
});
export type LlmSettings = z.infer<typeof LlmSettings>;

export const UpdateLlmSettingsRequest = z.strictObject({
  enabled: z.boolean().optional(),
  baseUrl: LlmBaseUrl.optional(),
  model: z.string().trim().min(1).max(200).optional(),
  /** A new key; empty or absent keeps the saved one. */
  apiKey: z.string().trim().max(500).optional(),
  /** Remove the saved key (a local Ollama or vLLM needs none). */
  clearApiKey: z.boolean().optional(),
  classify: z.boolean().optional(),
  classifyBelow: z.number().min(0).max(LLM_CLASSIFY_BELOW_MAX).optional(),
  classifyTimeoutMs: Timeout.optional(),
  drafts: z.boolean().optional(),
  draftTimeoutMs: Timeout.optional(),
});
export type UpdateLlmSettingsRequest = z.infer<typeof UpdateLlmSettingsRequest>;

/** Test the endpoint: the saved settings, or the ones being edited (a key left empty: the saved key). */
export const TestLlmRequest = z.strictObject({
  baseUrl: LlmBaseUrl.optional(),
  model: z.string().trim().min(1).max(200).optional(),
  apiKey: z.string().trim().max(500).optional(),
});
export type TestLlmRequest = z.infer<typeof TestLlmRequest>;

export const LlmTestResult = z.object({
  ok: z.boolean(),
  latencyMs: z.number().int(),
  /** llm_timeout | llm_unreachable | llm_http_<status> | llm_bad_response | llm_not_configured */
  code: z.string().nullable(),
  message: z.string().nullable(),
  /** What the model answered (first characters). */
  reply: z.string().nullable(),
});
export type LlmTestResult = z.infer<typeof LlmTestResult>;

/** What every signed-in user may know: whether the 「AI 草稿」 button is offered. */
export const LlmStatus = z.object({ drafts: z.boolean() });
export type LlmStatus = z.infer<typeof LlmStatus>;

export const AssistDraft = z.object({
  /** The draft, for the agent to edit and send (never sent by itself). */
  text: z.string(),
  sources: z.object({
    articles: z.array(z.object({ id: z.string(), title: z.string() })),
    /** The buyer's order the draft is about (`orderId`: the platform's order number). */
    order: z.object({ id: z.string(), orderId: z.string() }).nullable(),
  }),
  tookMs: z.number().int(),
});
export type AssistDraft = z.infer<typeof AssistDraft>;
