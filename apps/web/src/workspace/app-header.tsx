import { LogoutOutlined, UserOutlined } from "@ant-design/icons";
import { Avatar, Button, Tag, Tooltip } from "antd";
import { useState } from "react";
import { useAuth, useMe } from "../auth/auth-provider.tsx";
import { useT } from "../i18n/i18n-provider.tsx";
import { Brand } from "../shared/brand.tsx";
import { LanguageSwitch } from "../shared/language-switch.tsx";
import { ConnectionIndicator } from "./connection-indicator.tsx";

export function AppHeader() {
  const t = useT();
  const me = useMe();
  const { logout } = useAuth();
  const [leaving, setLeaving] = useState(false);

  return (
    <header className="app-header">
      <Brand />
      <ConnectionIndicator />
      <span className="app-header-spacer" />
      <span className="app-header-user" data-testid="current-user" title={`${me.user.email} · ${me.org.name}`}>
        <Avatar size="small" icon={<UserOutlined />} />
        <span className="app-header-name">{me.user.name}</span>
        <Tag className="app-header-role" data-testid="current-role">
          {t(`role.${me.user.role}`)}
        </Tag>
      </span>
      <LanguageSwitch />
      <Tooltip title={t("header.logout")}>
        <Button
          data-testid="logout-button"
          type="text"
          icon={<LogoutOutlined />}
          loading={leaving}
          aria-label={t("header.logout")}
          onClick={() => {
            setLeaving(true);
            logout().catch(() => setLeaving(false));
          }}
        >
          <span className="app-header-logout-text">{t("header.logout")}</span>
        </Button>
      </Tooltip>
    </header>
  );
}
