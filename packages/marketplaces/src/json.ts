/**
 * JSON.parse that keeps integers too large for a double as their exact digits.
 * Platforms send 64-bit ids (TMC's tid, message ids) as JSON numbers; parsed
 * as numbers they silently change ("4123456789012345678" → …346000). The
 * reviver's `source` (JSON.parse source text access, in Node ≥ 21) gives the
 * literal as written.
 */
export function parseJsonExact(text: string): unknown {
  return JSON.parse(text, (_key: string, value: unknown, context?: { source?: string }) =>
    typeof value === "number" && !Number.isSafeInteger(value) && context?.source && /^-?\d+$/.test(context.source)
      ? context.source
      : value,
  );
}
