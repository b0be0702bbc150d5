import { hmacHex } from "../signing.ts";
import { API_SIGNATURE_HEADER, API_TIMESTAMP_HEADER } from "./routes.ts";

/** The same on every retry of one delivery, so the receiver can drop repeats. */
export const API_DELIVERY_HEADER = "x-yunxi-delivery";

export interface SignedPost {
  url: string;
  secret: string;
  payload: { deliveryId: string };
  nowMs: number;
  timeoutMs: number;
}

export type SignedPostOutcome =
  | { kind: "delivered" }
  /** Not reached (refused, timed out): always worth another try. */
  | { kind: "unreachable"; message: string }
  /** Answered with an error: a timeout, 408, 429 or 5xx is worth another try, any other is not. */
  | { kind: "refused"; status: number; retryable: boolean };

/**
 * Every webhook Yunxi sends (API channel replies, scheduled reports) is signed the way
 * inbound API requests are: HMAC-SHA256 with the shared secret over `timestamp + "." + body`.
 * Redirects are not followed: the receiver is the URL it was configured with.
 */
export async function postSigned({ url, secret, payload, nowMs, timeoutMs }: SignedPost): Promise<SignedPostOutcome> {
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(nowMs / 1000));
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Yunxi-Webhook/1",
        [API_TIMESTAMP_HEADER]: timestamp,
        [API_SIGNATURE_HEADER]: `sha256=${hmacHex(secret, `${timestamp}.${body}`)}`,
        [API_DELIVERY_HEADER]: payload.deliveryId,
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    return { kind: "unreachable", message: (err as Error).message };
  }
  await response.body?.cancel();
  if (response.ok) return { kind: "delivered" };
  const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
  return { kind: "refused", status: response.status, retryable };
}
