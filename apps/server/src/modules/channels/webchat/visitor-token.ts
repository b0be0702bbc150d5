import { z } from "zod";
import type { Vault } from "../../../platform/crypto.ts";
import { safeEqual } from "../../../platform/crypto.ts";

/**
 * The widget's credential: a stateless token the server signs with a key derived
 * from the master key, so any node can check it without a session table. It names
 * the store and the visitor; holding it is what lets a browser read that visitor's
 * thread, so it lives in the visitor's localStorage and nowhere else.
 */
export const VisitorClaims = z.object({
  /** org id */
  o: z.string(),
  /** store id */
  s: z.string(),
  /** the visitor's id: the buyer id of the web chat identity */
  v: z.string(),
  /** display name */
  n: z.string(),
  /** identified by the merchant's signature (true) or anonymous */
  i: z.boolean(),
  /** expiry, unix seconds */
  e: z.number(),
});
export type VisitorClaims = z.infer<typeof VisitorClaims>;

/** A visitor keeps their thread this long without coming back; each visit renews it. */
export const VISITOR_TOKEN_TTL_SECONDS = 90 * 24 * 3600;

const mac = (vault: Vault, body: string) => vault.keyedHash(`widget-visitor:${body}`).slice(0, 43);

export function issueVisitorToken(vault: Vault, claims: Omit<VisitorClaims, "e">, now: Date): string {
  const full: VisitorClaims = { ...claims, e: Math.floor(now.getTime() / 1000) + VISITOR_TOKEN_TTL_SECONDS };
  const body = Buffer.from(JSON.stringify(full)).toString("base64url");
  return `wv1.${body}.${mac(vault, body)}`;
}

/** The claims of a genuine, unexpired token; null for anything else. */
export function readVisitorToken(vault: Vault, token: string | undefined, now: Date): VisitorClaims | null {
  if (!token || token.length > 2000) return null;
  const [version, body, signature] = token.split(".");
  if (version !== "wv1" || !body || !signature || !safeEqual(signature, mac(vault, body))) return null;
  try {
    const claims = VisitorClaims.parse(JSON.parse(Buffer.from(body, "base64url").toString("utf8")));
    return claims.e * 1000 > now.getTime() ? claims : null;
  } catch {
    return null;
  }
}
