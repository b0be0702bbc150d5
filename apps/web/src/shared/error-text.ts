import { ApiRequestError, clientErrorCodes } from "../api/client.ts";
import type { Translate } from "../i18n/locales.ts";

/** What to show the user for a failed call: the server's own message, or a localized one for client-side failures. */
export function errorText(error: unknown, t: Translate): string {
  if (error instanceof ApiRequestError) {
    if (error.code === clientErrorCodes.network) return t("errors.network");
    if (error.code === clientErrorCodes.invalidResponse) return t("errors.invalidResponse");
    return error.message || t("errors.unknown");
  }
  return t("errors.unknown");
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}
