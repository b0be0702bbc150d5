import { concatSorted, type SignableParams, wrappedMd5Upper } from "../signing.ts";

/**
 * Pinduoduo Open Platform (POP) request signing, as documented for
 * `POST /api/router`: every parameter but `sign` (common and business ones,
 * which travel at the same level), sorted by name, concatenated name+value,
 * then UPPER(MD5(client_secret + s + client_secret)). MD5 is the only method.
 */
export function popSign(params: SignableParams, clientSecret: string): string {
  return wrappedMd5Upper(clientSecret, concatSorted(params));
}

/** POP timestamps are Unix seconds; the gateway refuses one more than 10 minutes off. */
export const popTimestampSkewMs = 10 * 60 * 1000;

export function popTimestamp(date: Date): string {
  return String(Math.floor(date.getTime() / 1000));
}

export function parseUnixSeconds(value: string | undefined): Date | undefined {
  if (!value || !/^\d{1,12}$/.test(value)) return undefined;
  return new Date(Number(value) * 1000);
}

const beijingOffsetMs = 8 * 60 * 60 * 1000;
const beijingPattern = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** `yyyy-MM-dd HH:mm:ss` in Beijing time (UTC+8), the format of POP's order times. */
export function formatBeijingTime(date: Date): string {
  const iso = new Date(date.getTime() + beijingOffsetMs).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** The instant a Beijing `yyyy-MM-dd HH:mm:ss` names; undefined for "" or anything else. */
export function parseBeijingTime(value: string | undefined | null): Date | undefined {
  const m = beijingPattern.exec(value ?? "");
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s) - beijingOffsetMs);
  return formatBeijingTime(date) === value ? date : undefined;
}
