import type { PlatformId } from "@yunxi/contracts";
import { platformLabels } from "@yunxi/contracts";
import { Tag } from "antd";
import { useLocale } from "../i18n/i18n-provider.tsx";
import type { Locale } from "../i18n/locales.ts";

/** `淘宝-旗舰店` in Chinese, `Taobao-旗舰店` in English (store names are the merchant's own). */
export function sourceLabel(platform: PlatformId, storeName: string, locale: Locale): string {
  return `${platformLabels[platform][locale]}-${storeName}`;
}

type Props = {
  platform: PlatformId;
  /** The store's name if known; otherwise `fallback` (the server's `storeLabel`) is shown. */
  storeName: string | undefined;
  fallback: string;
};

/** The conversation's source as a tag in the platform's colour. */
export function SourceTag({ platform, storeName, fallback }: Props) {
  const { locale } = useLocale();
  const label = storeName === undefined ? fallback : sourceLabel(platform, storeName, locale);
  return (
    <Tag className="source-tag" color={platformLabels[platform].color} data-platform={platform} title={label}>
      {label}
    </Tag>
  );
}
