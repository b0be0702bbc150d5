import { GlobalOutlined } from "@ant-design/icons";
import { Select } from "antd";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import { localeNames, locales } from "../i18n/locales.ts";

const options = locales.map((locale) => ({ value: locale, label: localeNames[locale] }));

export function LanguageSwitch() {
  const { locale, setLocale } = useLocale();
  const t = useT();
  return (
    <Select
      data-testid="language-switch"
      aria-label={t("header.language")}
      value={locale}
      onChange={setLocale}
      options={options}
      prefix={<GlobalOutlined />}
      variant="borderless"
      popupMatchSelectWidth={false}
    />
  );
}
