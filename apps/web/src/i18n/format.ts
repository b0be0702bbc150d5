import type { Locale, Translate } from "./locales.ts";

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

const relativeFormats = new Map<Locale, Intl.RelativeTimeFormat>();
const shortDateFormats = new Map<Locale, Intl.DateTimeFormat>();
const timeFormats = new Map<Locale, Intl.DateTimeFormat>();
const dateTimeFormats = new Map<Locale, Intl.DateTimeFormat>();

function cached<F>(cache: Map<Locale, F>, locale: Locale, make: () => F): F {
  let format = cache.get(locale);
  if (!format) {
    format = make();
    cache.set(locale, format);
  }
  return format;
}

/** "刚刚", "5 分钟前", "3 小时前", "昨天", then a date: how the conversation list shows time. */
export function formatRelative(iso: string, now: number, locale: Locale, t: Translate): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return "";
  const ago = now - at;
  if (ago < minute) return t("time.justNow");
  const rtf = cached(relativeFormats, locale, () => new Intl.RelativeTimeFormat(locale, { numeric: "auto" }));
  if (ago < hour) return rtf.format(-Math.floor(ago / minute), "minute");
  if (ago < day) return rtf.format(-Math.floor(ago / hour), "hour");
  if (ago < 7 * day) return rtf.format(-Math.floor(ago / day), "day");
  return cached(
    shortDateFormats,
    locale,
    () => new Intl.DateTimeFormat(locale, { month: "2-digit", day: "2-digit" }),
  ).format(at);
}

/** "14:05" for a message bubble. */
export function formatTime(iso: string, locale: Locale): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return "";
  return cached(
    timeFormats,
    locale,
    () => new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit" }),
  ).format(at);
}

export function formatDateTime(iso: string, locale: Locale): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return "";
  return cached(
    dateTimeFormats,
    locale,
    () => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }),
  ).format(at);
}

const moneyFormats = new Map<Locale, Intl.NumberFormat>();

/** "¥129.00" from fen (the platforms' and the contracts' unit). */
export function formatMoney(cents: number, locale: Locale): string {
  return cached(
    moneyFormats,
    locale,
    () => new Intl.NumberFormat(locale, { style: "currency", currency: "CNY", currencyDisplay: "narrowSymbol" }),
  ).format(cents / 100);
}
