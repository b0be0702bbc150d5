import { useT } from "../i18n/i18n-provider.tsx";

/** The product mark and name: 云席 Yunxi. */
export function Brand({ size = "small" }: { size?: "small" | "large" }) {
  const t = useT();
  return (
    <span className={`brand brand-${size}`}>
      <img className="brand-logo" src="/favicon.svg" alt="" />
      <span className="brand-name">{t("app.name")}</span>
      <span className="brand-latin">{t("app.nameLatin")}</span>
    </span>
  );
}
