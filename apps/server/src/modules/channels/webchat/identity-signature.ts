import { safeEqual } from "../../../platform/crypto.ts";
import { hmacHex } from "../signing.ts";

/**
 * An identified visitor: the merchant's page (server side, where the store secret
 * lives) signs `userId + ts` with HMAC-SHA256 under the store's appSecret. A
 * signature older than this is refused, so one copied out of a page cannot be
 * used for long to pose as that customer.
 */
export const IDENTITY_MAX_AGE_SECONDS = 15 * 60;

export interface SignedIdentity {
  userId: string;
  name?: string | undefined;
  /** unix seconds when the page signed it */
  ts: number;
  signature: string;
}

export function signIdentity(secret: string, userId: string, ts: number): string {
  return hmacHex(secret, `${userId}${ts}`);
}

export type IdentityVerdict =
  | { ok: true }
  | { ok: false; reason: "bad_signature" | "stale_timestamp"; message: string };

export function verifyIdentity(secret: string, identity: SignedIdentity, now: Date): IdentityVerdict {
  const expected = signIdentity(secret, identity.userId, identity.ts);
  if (!safeEqual(identity.signature.toLowerCase(), expected)) {
    return { ok: false, reason: "bad_signature", message: "The visitor's identity signature does not match" };
  }
  const age = now.getTime() / 1000 - identity.ts;
  // A little allowance for clocks running ahead of ours; none for signatures from long ago.
  if (age > IDENTITY_MAX_AGE_SECONDS || age < -300) {
    return { ok: false, reason: "stale_timestamp", message: "The visitor's identity signature has expired" };
  }
  return { ok: true };
}
