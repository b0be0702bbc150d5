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
  "internal",
] as const;
export type ErrorCode = (typeof errorCodes)[number];
