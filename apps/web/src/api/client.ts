import { ApiError } from "@yunxi/contracts";

/** Anything that turns unknown JSON into a typed value or throws: the contracts' zod schemas fit. */
export type Parser<T> = { parse(data: unknown): T };

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Codes of failures that never reached the API, beside the server's own `ErrorCode`s. */
export const clientErrorCodes = { network: "network_error", invalidResponse: "invalid_response" } as const;

/** A failed API call. `message` is the server's `error.message` when the server answered. */
export class ApiRequestError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = "ApiRequestError";
    this.status = status;
    this.code = code;
  }
}

let csrfToken: string | null = null;
const unauthenticatedListeners = new Set<() => void>();

/** The token from `Me.csrfToken`, echoed on every state-changing request. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a request of a signed-in user is refused with 401 (session expired or revoked). */
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

/** Requests whose 401 is an expected answer, not a lost session. */
const authProbePaths = new Set(["/api/auth/login", "/api/auth/me"]);

async function send(method: Method, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["x-csrf-token"] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      signal,
    });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new ApiRequestError(0, clientErrorCodes.network, cause instanceof Error ? cause.message : String(cause));
  }
  if (!response.ok) throw await toError(method, path, response);
  return response;
}

async function toError(method: Method, path: string, response: Response): Promise<ApiRequestError> {
  if (response.status === 401 && !authProbePaths.has(path)) {
    for (const listener of unauthenticatedListeners) listener();
  }
  const parsed = ApiError.safeParse(await response.json().catch(() => null));
  if (parsed.success) return new ApiRequestError(response.status, parsed.data.error.code, parsed.data.error.message);
  return new ApiRequestError(response.status, "http_error", `${method} ${path}: HTTP ${response.status}`);
}

async function readJson<T>(response: Response, parser: Parser<T>): Promise<T> {
  try {
    return parser.parse(await response.json());
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new ApiRequestError(response.status, clientErrorCodes.invalidResponse, detail);
  }
}

/** A JSON request whose answer is checked against the contract's schema. */
export async function requestJson<T>(
  method: Method,
  path: string,
  parser: Parser<T>,
  options: { body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const response = await send(method, path, options.body, options.signal);
  return readJson(response, parser);
}

/** A request whose answer body, if any, is not needed. */
export async function requestVoid(method: Method, path: string, body?: unknown): Promise<void> {
  await send(method, path, body);
}

export function queryString(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
