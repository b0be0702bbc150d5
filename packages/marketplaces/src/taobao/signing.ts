import { concatSorted, hmacHex, type SignableParams, wrappedMd5Upper } from "../signing.ts";

/**
 * Taobao Open Platform (TOP) request signing, as documented for `/router/rest`:
 * sort every parameter but `sign` by name, concatenate name+value, then
 * - md5:         UPPER(MD5(secret + s + secret))
 * - hmac:        UPPER(HMAC-MD5(key = secret, s))
 * - hmac-sha256: UPPER(HMAC-SHA256(key = secret, s))
 */

export const topSignMethods = ["md5", "hmac", "hmac-sha256"] as const;
export type TopSignMethod = (typeof topSignMethods)[number];

export function isTopSignMethod(value: string | undefined): value is TopSignMethod {
  return (topSignMethods as readonly string[]).includes(value ?? "");
}

export function topSign(params: SignableParams, secret: string, method: TopSignMethod): string {
  const s = concatSorted(params);
  switch (method) {
    case "md5":
      return wrappedMd5Upper(secret, s);
    case "hmac":
      return hmacHex("md5", secret, s).toUpperCase();
    case "hmac-sha256":
      return hmacHex("sha256", secret, s).toUpperCase();
  }
}

const beijingOffsetMs = 8 * 60 * 60 * 1000;
const topTimestampPattern = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** `yyyy-MM-dd HH:mm:ss` in Beijing time (UTC+8, no daylight saving), whatever the host's zone. */
export function formatTopTimestamp(date: Date): string {
  const iso = new Date(date.getTime() + beijingOffsetMs).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** The instant a TOP timestamp names, or undefined when it is not one. */
export function parseTopTimestamp(value: string): Date | undefined {
  const m = topTimestampPattern.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const utc = Date.UTC(year, month - 1, day, hour, minute, second) - beijingOffsetMs;
  const date = new Date(utc);
  // Date.UTC rolls "02-30" over to March; a real timestamp must round-trip.
  return formatTopTimestamp(date) === value ? date : undefined;
}
