import { App as AntApp, ConfigProvider } from "antd";
import type { ReactNode } from "react";
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { Locale, Translate } from "./locales.ts";
import { antdLocales, loadLocale, saveLocale, translator } from "./locales.ts";

type I18nContextValue = { locale: Locale; setLocale: (locale: Locale) => void; t: Translate };

const I18nContext = createContext<I18nContextValue | null>(null);

const theme = { token: { colorPrimary: "#1677ff", borderRadius: 8 } };

/** Holds the UI language (persisted), and switches antd's own texts with it. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(loadLocale);

  const setLocale = useCallback((next: Locale) => {
    saveLocale(next);
    setLocaleState(next);
  }, []);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const value = useMemo(() => ({ locale, setLocale, t: translator(locale) }), [locale, setLocale]);

  return (
    <I18nContext value={value}>
      <ConfigProvider locale={antdLocales[locale]} theme={theme}>
        <AntApp>{children}</AntApp>
      </ConfigProvider>
    </I18nContext>
  );
}

function useI18n(): I18nContextValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useT/useLocale must be used inside <I18nProvider>");
  return value;
}

/** The translate function of the current language: `t("login.submit")`. */
export function useT(): Translate {
  return useI18n().t;
}

export function useLocale(): { locale: Locale; setLocale: (locale: Locale) => void } {
  const { locale, setLocale } = useI18n();
  return { locale, setLocale };
}
