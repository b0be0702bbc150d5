import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * Pieces shared by the marketplaces whose open APIs sign "every parameter but
 * `sign`, sorted by name, concatenated as name+value" (Taobao TOP, JD JOS,
 * Pinduoduo POP). Each platform module decides what wraps the string and which
 * hash it uses; these helpers only do the parts they all agree on.
 */

export type SignableParams = Record<string, string | undefined>;

/**
 * Sorted name+value concatenation. `sign` and absent values are skipped, as the
 * platforms' SDKs do. Names sort by UTF-16 code unit, which equals ASCII order
 * for the ASCII parameter names these APIs use.
 */
export function concatSorted(params: SignableParams, exclude: readonly string[] = ["sign"]): string {
  return Object.keys(params)
    .filter((name) => !exclude.includes(name) && params[name] !== undefined)
    .sort()
    .map((name) => `${name}${params[name]}`)
    .join("");
}

export function md5Hex(data: string): string {
  return createHash("md5").update(data, "utf8").digest("hex");
}

export function hmacHex(algorithm: "md5" | "sha256", key: string, data: string): string {
  return createHmac(algorithm, key).update(data, "utf8").digest("hex");
}

/** UPPER(MD5(secret + s + secret)): the "MD5 wrapped in the secret" of TOP, JOS and POP. */
export function wrappedMd5Upper(secret: string, s: string): string {
  return md5Hex(`${secret}${s}${secret}`).toUpperCase();
}

/** Compare signatures without leaking, through timing, how many leading characters matched. */
export function signaturesEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected.toUpperCase(), "utf8");
  const b = Buffer.from(given.toUpperCase(), "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}
