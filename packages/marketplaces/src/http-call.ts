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

/** The gateway URL as stores hold it, without trailing slashes, for appending a path. */
export function gatewayBase(gatewayUrl: string): string {
  return gatewayUrl.replace(/\/+$/, "");
}

/** A form-encoded POST, as TOP, JOS, POP and Kuaishou take their parameters. */
export function formPost(params: Record<string, string>): {
  method: "POST";
  headers: Record<string, string>;
  body: string;
} {
  return {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded;charset=utf-8" },
    body: new URLSearchParams(params).toString(),
  };
}

/** A non-2xx answer as a PlatformError `http_<status>`, retryable where the status says it may pass. */
export function throwUnlessOk(label: string, answer: HttpAnswer): void {
  if (answer.status < 200 || answer.status >= 300) {
    throw new PlatformError(
      `http_${answer.status}`,
      `${label} answered HTTP ${answer.status}`,
      isRetryableHttpStatus(answer.status),
    );
  }
}

/** One call whose 2xx answer is a JSON object: the envelope, for the platform module to read. */
export async function callForJson(
  label: string,
  url: string,
  init: { method: "GET" | "POST"; headers?: Record<string, string>; body?: string },
  timeoutMs?: number,
): Promise<Record<string, unknown>> {
  const answer = await callPlatform(label, url, init, timeoutMs);
  throwUnlessOk(label, answer);
  return jsonBody(label, answer);
}

/** The " (sub_code: sub_msg)" that TOP, POP and 抖店 add to an error's message. */
export function subCodeDetail(subCode: string | undefined, subMsg: string | undefined): string {
  return subCode ? ` (${subCode}${subMsg ? `: ${subMsg}` : ""})` : "";
}
