import type { StoreAuthorization } from "@yunxi/contracts";
import { Badge, Tooltip } from "antd";
import { formatDateTime } from "../i18n/format.ts";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import { authorizationLooks, hasExpired } from "./store-authorization.ts";

type Props = { authorization: StoreAuthorization; now: number };

/** 已授权 / 即将过期 / 授权失效 / 未授权, the expiry under it, and the platform's last refusal on hover. */
export function AuthorizationBadge({ authorization, now }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const look = authorizationLooks[authorization.state];
  const { expiresAt, lastError, refreshedAt } = authorization;

  const details = [
    lastError && t("authorization.lastError", { error: lastError }),
    refreshedAt && t("authorization.refreshedAt", { time: formatDateTime(refreshedAt, locale) }),
  ].filter(Boolean);

  return (
    <Tooltip title={details.length > 0 ? details.map((line) => <div key={line}>{line}</div>) : undefined}>
      <span className="auth-state" data-testid="store-auth-state" data-state={authorization.state}>
        <Badge status={look.status} text={t(look.text)} />
        {expiresAt && (
          <span className="auth-state-expiry">
            {hasExpired(authorization, now)
              ? t("authorization.expiredAt", { time: formatDateTime(expiresAt, locale) })
              : t("authorization.expiresAt", { time: formatDateTime(expiresAt, locale) })}
          </span>
        )}
        {lastError && (
          <span className="auth-state-error" title={lastError}>
            {lastError}
          </span>
        )}
      </span>
    </Tooltip>
  );
}
