import { createHmac } from "node:crypto";
import { safeEqual } from "../../platform/crypto.ts";

/** HMAC-SHA256 as lowercase hex: the one signature every own channel uses (widget identity, API, webhooks). */
export function hmacHex(secret: string, data: string): string {
  return createHmac("sha256", secret).update(data, "utf8").digest("hex");
}

export type SignatureVerdict =
  | { ok: true }
  | { ok: false; reason: "bad_signature" | "stale_timestamp"; message: string };

/**
 * Check a signature over `timestamp + separator + payload` and that the timestamp
 * (unix seconds) lies within `maxSkewSeconds` of now: a captured request replayed
 * later is refused even though its signature is good.
 */
export function verifyTimestamped(input: {
  secret: string;
  timestamp: string | undefined;
  payload: string;
  signature: string | undefined;
  now: Date;
  maxSkewSeconds: number;
  separator?: string;
}): SignatureVerdict {
  const { timestamp, signature } = input;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || !signature) {
    return { ok: false, reason: "bad_signature", message: "Missing or malformed timestamp or signature" };
  }
  const expected = hmacHex(input.secret, `${timestamp}${input.separator ?? ""}${input.payload}`);
  const given = signature.replace(/^sha256=/i, "").toLowerCase();
  if (!safeEqual(given, expected)) return { ok: false, reason: "bad_signature", message: "Signature does not match" };
  const skew = Math.abs(input.now.getTime() / 1000 - Number(timestamp));
  if (skew > input.maxSkewSeconds) {
    return { ok: false, reason: "stale_timestamp", message: `Timestamp is ${Math.round(skew)} s away from now` };
  }
  return { ok: true };
}
