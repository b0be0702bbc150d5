import enUSAntd from "antd/locale/en_US";
import zhCNAntd from "antd/locale/zh_CN";
import { enUS } from "./en-US.ts";
import type { MessageKey, Messages } from "./zh-CN.ts";
import { zhCN } from "./zh-CN.ts";

export const locales = ["zh-CN", "en-US"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "zh-CN";

export const messagesByLocale: Record<Locale, Messages> = { "zh-CN": zhCN, "en-US": enUS };
export const antdLocales = { "zh-CN": zhCNAntd, "en-US": enUSAntd } as const;

/** Each language's own name, shown in the language switch. */
export const localeNames: Record<Locale, string> = { "zh-CN": "简体中文", "en-US": "English" };

export type TranslateVars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: TranslateVars) => string;

export function translator(locale: Locale): Translate {
  const messages = messagesByLocale[locale];
  return (key, vars) => {
    const text = messages[key];
    if (!vars) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
  };
}

const storageKey = "yunxi.locale";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}

export function loadLocale(): Locale {
  try {
    const saved = localStorage.getItem(storageKey);
    return isLocale(saved) ? saved : defaultLocale;
  } catch {
    return defaultLocale;
  }
}

export function saveLocale(locale: Locale): void {
  try {
    localStorage.setItem(storageKey, locale);
  } catch {
    // Private mode or storage disabled: the choice lasts for this page only.
  }
}
