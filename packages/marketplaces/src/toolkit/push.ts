import { z } from "zod";
import type { BuyerIdentity, InboundEvent, PushAck, PushVerification } from "../adapter.ts";
import { parseJsonExact } from "../json.ts";

/**
 * The skeleton every push verifier shares: refusals, the signed-time window,
 * the JSON acknowledgement, and for TMC-like pushes (Taobao, JD) the
 * parse-then-normalize step that turns any bad field into one "malformed"
 * refusal. What is signed, how, and which topics mean what stays with each platform.
 */

export type PushRefusal = Extract<PushVerification, { ok: false }>;

export function refuse(reason: PushRefusal["reason"], message: string): PushRefusal {
  return { ok: false, reason, message };
}

/** Thrown by a normalizer for a push it cannot read; becomes a "malformed" refusal. */
export class Malformed extends Error {}

/** A buyer known by a per-shop open id; the nick is only a display name. */
export function buyerOf(openId: string, nick: string | null | undefined): BuyerIdentity {
  return { platformBuyerId: openId, displayName: nick || openId };
}

/** JSON.parse, undefined for text that is not JSON (the caller says which part was not). */
export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The push's signed time within `freshnessMs` of now, both ways, so a replay is
 * refused. `undefined` is a time that did not parse as `format`; an invalid Date
 * counts as out of the window.
 */
export function checkPushTime(
  sentAt: Date | undefined,
  now: Date,
  freshnessMs: number,
  format: string,
): PushRefusal | undefined {
  if (!sentAt) return refuse("stale_timestamp", `timestamp is not ${format}`);
  if (!(Math.abs(now.getTime() - sentAt.getTime()) <= freshnessMs)) {
    return refuse("stale_timestamp", "timestamp is more than 5 minutes from now");
  }
  return undefined;
}

export function jsonPushAck(body: string): PushAck {
  return { status: 200, contentType: "application/json; charset=utf-8", body };
}

/**
 * Parse a signature-checked body exactly (64-bit ids kept), validate it with
 * `schema` and normalize it; a `Malformed` thrown by `normalize` refuses the push.
 */
export function normalizeJsonPush<S extends z.ZodType>(
  rawBody: string,
  schema: S,
  normalize: (body: z.output<S>) => InboundEvent[],
): PushVerification {
  let json: unknown;
  try {
    json = parseJsonExact(rawBody);
  } catch {
    return refuse("malformed", "body is not JSON");
  }
  const body = schema.safeParse(json);
  if (!body.success) return refuse("malformed", `body: ${z.prettifyError(body.error)}`);
  try {
    return { ok: true, events: normalize(body.data) };
  } catch (error) {
    if (error instanceof Malformed) return refuse("malformed", error.message);
    throw error;
  }
}
