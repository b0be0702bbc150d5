import {
  BarChartOutlined,
  DashboardOutlined,
  FundOutlined,
  LogoutOutlined,
  MessageOutlined,
  SettingOutlined,
  UserOutlined,
} from "@ant-design/icons";
import { Avatar, Button, Tag, Tooltip } from "antd";
import type { ReactNode } from "react";
import { useState } from "react";
import { useAuth, useMe } from "../auth/auth-provider.tsx";
import { useT } from "../i18n/i18n-provider.tsx";
import { NotificationCenter } from "../notifications/notification-center.tsx";
import { NotificationControls, UnreadBadge } from "../notifications/notification-controls.tsx";
import { AgentStatusControl } from "../presence/agent-status-control.tsx";
import { PresenceProvider } from "../presence/presence-provider.tsx";
import type { Route } from "../routing/routes.ts";
import { visibleAdminTabs } from "../settings/settings-tabs.ts";
import { Brand } from "../shared/brand.tsx";
import { LanguageSwitch } from "../shared/language-switch.tsx";
import { canSupervise } from "../supervisor/supervisor-state.ts";
import { ConnectionIndicator } from "./connection-indicator.tsx";
import "../notifications/notifications.css";
import "../presence/presence.css";

type Props = { route: Route; onNavigate: (route: Route) => void };

/**
 * Brand, realtime state, the way between the inbox, the supervisor view and the admin console
 * (each for the roles that may use it), my availability, notification controls, and me. It also
 * hosts what runs on every signed-in page: the availability heartbeat and the notification center.
 */
export function AppHeader(props: Props) {
  return (
    <PresenceProvider>
      <NotificationCenter>
        <HeaderBar {...props} />
      </NotificationCenter>
    </PresenceProvider>
  );
}

function HeaderBar({ route, onNavigate }: Props) {
  const t = useT();
  const me = useMe();
  const { logout } = useAuth();
  const [leaving, setLeaving] = useState(false);
  const adminTabs = visibleAdminTabs(me.user.role);
  const firstAdminTab = adminTabs[0];
  const supervises = canSupervise(me.user.role);

  const navItem = (page: Route["page"], label: string, icon: ReactNode, target: Route, testId: string) => (
    <Button
      type="text"
      className={route.page === page ? "app-nav-item is-active" : "app-nav-item"}
      icon={icon}
      aria-current={route.page === page ? "page" : undefined}
      aria-label={label}
      onClick={() => onNavigate(target)}
      data-testid={testId}
    >
      <span className="app-nav-text">{label}</span>
    </Button>
  );

  return (
    <header className="app-header">
      <UnreadBadge />
      <Brand />
      <ConnectionIndicator />
      {/* Every role has the reports (an agent sees their own figures), so the way between pages is always there. */}
      <nav className="app-nav">
        {navItem("inbox", t("nav.inbox"), <MessageOutlined />, { page: "inbox" }, "nav-inbox")}
        {supervises &&
          navItem("supervisor", t("nav.supervisor"), <DashboardOutlined />, { page: "supervisor" }, "nav-supervisor")}
        {supervises &&
          navItem("dashboard", t("nav.dashboard"), <FundOutlined />, { page: "dashboard" }, "nav-dashboard")}
        {navItem("reports", t("nav.reports"), <BarChartOutlined />, { page: "reports" }, "nav-reports")}
        {firstAdminTab &&
          navItem("admin", t("nav.admin"), <SettingOutlined />, { page: "admin", tab: firstAdminTab }, "nav-admin")}
      </nav>
      <span className="app-header-spacer" />
      <AgentStatusControl />
      <NotificationControls />
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
