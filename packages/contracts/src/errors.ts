import { z } from "zod";

/** Every 4xx/5xx answer of the API has this shape. */
export const ApiError = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
  }),
});
export type ApiError = z.infer<typeof ApiError>;

export const errorCodes = [
  "bad_request",
  "validation_failed",
  "unauthenticated",
  "forbidden",
  "csrf_failed",
  "not_found",
  "conflict",
  "rate_limited",
  "account_locked",
  "payload_too_large",
  "unsupported_media_type",
  "bad_signature",
  "stale_timestamp",
  "store_disabled",
  "platform_limit",
  "platform_error",
  "authorization_lapsed",
  // The workspace: who holds a conversation, whom it may go to.
  "already_assigned",
  "not_serving_store",
  "unknown_agent",
  "unknown_group",
  "unknown_user",
  "unknown_store",
  "unknown_mention",
  "different_buyer",
  // The optional LLM (assist/llm): switched off, or it did not answer in time.
  "llm_disabled",
  "llm_unavailable",
  "internal",
] as const;
export type ErrorCode = (typeof errorCodes)[number];
