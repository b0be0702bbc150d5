/**
 * A minimal OpenAI-compatible chat-completions client: `POST {baseUrl}/chat/completions`,
 * what DeepSeek, Qwen (DashScope compatible mode), vLLM and Ollama all speak. One attempt
 * under a hard deadline and no retries: callers either have a human waiting (a draft) or a
 * local answer to fall back on (classification).
 */

export interface LlmEndpoint {
  baseUrl: string;
  model: string;
  apiKey: string | null;
}

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  temperature: number;
  maxTokens: number;
}

/** llm_timeout | llm_unreachable | llm_http_<status> | llm_bad_response */
export type LlmErrorCode = "llm_timeout" | "llm_unreachable" | "llm_bad_response" | `llm_http_${number}`;

export class LlmError extends Error {
  readonly code: LlmErrorCode;
  readonly latencyMs: number;
  constructor(code: LlmErrorCode, message: string, latencyMs: number) {
    super(message);
    this.name = "LlmError";
    this.code = code;
    this.latencyMs = latencyMs;
  }
}

export interface ChatAnswer {
  text: string;
  latencyMs: number;
}

/** An answer larger than this is no chat completion we asked for. */
const MAX_RESPONSE_CHARS = 200_000;

export const completionsUrl = (baseUrl: string): string => `${baseUrl.replace(/\/+$/, "")}/chat/completions`;

/** Reasoning models (DeepSeek-R1, QwQ) may put their thinking in the content: only the answer counts. */
const withoutThinking = (text: string): string => text.replace(/<think>[\s\S]*?<\/think>/g, "").trim();

function answerText(body: unknown): string | null {
  if (typeof body !== "object" || body === null) return null;
  const choices = (body as { choices?: unknown }).choices;
  if (!Array.isArray(choices) || choices.length === 0) return null;
  const message = (choices[0] as { message?: { content?: unknown } } | null)?.message;
  return typeof message?.content === "string" ? message.content : null;
}

export async function chatCompletion(
  endpoint: LlmEndpoint,
  request: ChatRequest,
  timeoutMs: number,
): Promise<ChatAnswer> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const signal = AbortSignal.timeout(timeoutMs);
  let text: string;
  let status: number;
  try {
    const response = await fetch(completionsUrl(endpoint.baseUrl), {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        ...(endpoint.apiKey && { authorization: `Bearer ${endpoint.apiKey}` }),
      },
      body: JSON.stringify({
        model: endpoint.model,
        messages: request.messages,
        temperature: request.temperature,
        max_tokens: request.maxTokens,
        stream: false,
      }),
      signal,
      redirect: "error",
    });
    status = response.status;
    // The deadline covers the body too: a server that sends headers and then stalls is cut off.
    text = await response.text();
  } catch (err) {
    if (signal.aborted) throw new LlmError("llm_timeout", `No answer within ${timeoutMs} ms`, elapsed());
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err);
    throw new LlmError("llm_unreachable", `Could not reach the model endpoint: ${cause}`, elapsed());
  }
  if (status < 200 || status > 299) {
    throw new LlmError(
      `llm_http_${status}`,
      `The model endpoint answered HTTP ${status}: ${text.slice(0, 200)}`,
      elapsed(),
    );
  }
  let body: unknown;
  try {
    body = text.length > MAX_RESPONSE_CHARS ? null : JSON.parse(text);
  } catch {
    body = null;
  }
  const content = answerText(body);
  if (content === null) throw new LlmError("llm_bad_response", "Not a chat-completions answer", elapsed());
  return { text: withoutThinking(content), latencyMs: elapsed() };
}
