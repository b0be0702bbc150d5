import { concatSorted, type SignableParams, wrappedMd5Upper } from "../signing.ts";

/**
 * JD JOS request signing, as the developer guide documents it for `/routerjson`:
 * sort every parameter actually sent except `sign` by name, concatenate
 * name+value, sign = UPPER(MD5(secret + s + secret)). The business parameters
 * travel as one JSON string, `360buy_param_json`, which is signed as one value.
 * Timestamps are `yyyy-MM-dd HH:mm:ss.SSS+0800` (Beijing time).
 */

export function jdSign(params: SignableParams, secret: string): string {
  return wrappedMd5Upper(secret, concatSorted(params));
}

const beijingOffsetMs = 8 * 60 * 60 * 1000;
const jdTimestampPattern = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{3}))?(?:\+0800)?$/;

/** `yyyy-MM-dd HH:mm:ss.SSS+0800`, the JOS request timestamp. */
export function formatJdTimestamp(date: Date): string {
  const iso = new Date(date.getTime() + beijingOffsetMs).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}+0800`;
}

/** `yyyy-MM-dd HH:mm:ss` in Beijing time: how JD writes times inside orders and messages. */
export function formatJdTime(date: Date): string {
  const iso = new Date(date.getTime() + beijingOffsetMs).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** Either form back to an instant; undefined when it is neither or names no real time. */
export function parseJdTimestamp(value: string): Date | undefined {
  const m = jdTimestampPattern.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Number(m[7] ?? "0");
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms) - beijingOffsetMs);
  // Date.UTC rolls "02-30" over to March; a real time must round-trip.
  return formatJdTime(date) === value.slice(0, 19) ? date : undefined;
}
