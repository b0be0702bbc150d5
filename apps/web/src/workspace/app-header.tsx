import { LogoutOutlined, MessageOutlined, SettingOutlined, UserOutlined } from "@ant-design/icons";
import { Avatar, Button, Tag, Tooltip } from "antd";
import { useState } from "react";
import { canOpenAdmin } from "../admin/permissions.ts";
import { useAuth, useMe } from "../auth/auth-provider.tsx";
import { useT } from "../i18n/i18n-provider.tsx";
import type { Route } from "../routing/routes.ts";
import { Brand } from "../shared/brand.tsx";
import { LanguageSwitch } from "../shared/language-switch.tsx";
import { ConnectionIndicator } from "./connection-indicator.tsx";

type Props = { route: Route; onNavigate: (route: Route) => void };

/** Brand, realtime state, the way between the inbox and the admin console (admins only), and me. */
export function AppHeader({ route, onNavigate }: Props) {
  const t = useT();
  const me = useMe();
  const { logout } = useAuth();
  const [leaving, setLeaving] = useState(false);

  return (
    <header className="app-header">
      <Brand />
      <ConnectionIndicator />
      {canOpenAdmin(me.user.role) && (
        <nav className="app-nav">
          <Button
            type="text"
            className={route.page === "inbox" ? "app-nav-item is-active" : "app-nav-item"}
            icon={<MessageOutlined />}
            aria-current={route.page === "inbox" ? "page" : undefined}
            onClick={() => onNavigate({ page: "inbox" })}
            data-testid="nav-inbox"
          >
            <span className="app-nav-text">{t("nav.inbox")}</span>
          </Button>
          <Button
            type="text"
            className={route.page === "admin" ? "app-nav-item is-active" : "app-nav-item"}
            icon={<SettingOutlined />}
            aria-current={route.page === "admin" ? "page" : undefined}
            onClick={() => onNavigate({ page: "admin", tab: "stores" })}
            data-testid="nav-admin"
          >
            <span className="app-nav-text">{t("nav.admin")}</span>
          </Button>
        </nav>
      )}
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
