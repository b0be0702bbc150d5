import { PlatformError } from "./adapter.ts";
import { parseJsonExact } from "./json.ts";

/**
 * One HTTP call to a platform, with the failure classes every adapter shares:
 * a timeout or a broken connection may pass (retryable); a 5xx, 408 or 429
 * too; any other non-2xx is the request's own fault. What a 2xx body means is
 * the platform module's business.
 */

export interface HttpAnswer {
  status: number;
  text: string;
}

export async function callPlatform(
  label: string,
  url: string,
  init: { method: "GET" | "POST"; headers?: Record<string, string>; body?: string },
  timeoutMs = 10_000,
): Promise<HttpAnswer> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    text = await response.text();
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    if (name === "TimeoutError" || name === "AbortError")
      throw new PlatformError("timeout", `${label} timed out`, true);
    throw new PlatformError("network", `${label} failed: ${(error as Error).message}`, true);
  }
  return { status: response.status, text };
}

export function isRetryableHttpStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

/** The JSON of a 2xx answer; a 200 that is not JSON is a proxy hiccup, not our request's fault. */
export function jsonBody(label: string, answer: HttpAnswer): Record<string, unknown> {
  try {
    const json = parseJsonExact(answer.text);
    if (json && typeof json === "object" && !Array.isArray(json)) return json as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new PlatformError("bad_response", `${label} answered non-JSON`, true);
}
