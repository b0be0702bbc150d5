import { Button, Result, Tabs } from "antd";
import { QualityRulesSettings } from "../analytics/quality-rules-settings.tsx";
import { ReportSchedulesSettings } from "../analytics/report-schedules.tsx";
import { useMe } from "../auth/auth-provider.tsx";
import { AutoReplySettings } from "../autoreply/auto-reply-settings.tsx";
import { useT } from "../i18n/i18n-provider.tsx";
import { LibraryAdmin } from "../library/library-admin.tsx";
import { LlmSettingsTab } from "../llm/llm-settings.tsx";
import type { AdminTab, Route } from "../routing/routes.ts";
import { isAdminTab } from "../routing/routes.ts";
import { GroupsSettings } from "../settings/groups-settings.tsx";
import { NotificationRulesSettings } from "../settings/notification-rules-settings.tsx";
import { PriorityRulesSettings } from "../settings/priority-rules-settings.tsx";
import { RoutingSettings } from "../settings/routing-settings.tsx";
import { visibleAdminTabs } from "../settings/settings-tabs.ts";
import { SurveySettingsForm } from "../settings/survey-settings.tsx";
import { StoresAdmin } from "./stores-admin.tsx";
import { UsersAdmin } from "./users-admin.tsx";

type Props = { tab: AdminTab; onNavigate: (route: Route) => void };

/** 管理后台: stores and members, for admins and owners; groups, routing, priority and notification rules, for supervisors too. */
export function AdminPage({ tab, onNavigate }: Props) {
  const t = useT();
  const me = useMe();

  const visible = visibleAdminTabs(me.user.role);
  const active = visible.includes(tab) ? tab : visible[0];

  if (!active) {
    return (
      <main className="admin-page" data-testid="admin-forbidden">
        <Result
          status="403"
          title={t("admin.forbidden")}
          extra={
            <Button type="primary" onClick={() => onNavigate({ page: "inbox" })}>
              {t("admin.backToInbox")}
            </Button>
          }
        />
      </main>
    );
  }

  return (
    <main className="admin-page" data-testid="admin-page">
      <h1 className="admin-title">{t("admin.title")}</h1>
      <Tabs
        activeKey={active}
        onChange={(key) => onNavigate({ page: "admin", tab: isAdminTab(key) ? key : active })}
        destroyOnHidden
        items={[
          { key: "stores", label: t("admin.tabStores"), children: <StoresAdmin /> },
          { key: "users", label: t("admin.tabUsers"), children: <UsersAdmin /> },
          { key: "groups", label: t("admin.tabGroups"), children: <GroupsSettings /> },
          { key: "routing", label: t("admin.tabRouting"), children: <RoutingSettings /> },
          { key: "priority", label: t("admin.tabPriority"), children: <PriorityRulesSettings /> },
          { key: "notifications", label: t("admin.tabNotifications"), children: <NotificationRulesSettings /> },
          { key: "autoreply", label: t("autoreply.tab"), children: <AutoReplySettings /> },
          { key: "quality", label: t("analytics.rules.tabTitle"), children: <QualityRulesSettings /> },
          { key: "llm", label: t("llm.tab"), children: <LlmSettingsTab /> },
          { key: "schedules", label: t("analytics.schedules.tab"), children: <ReportSchedulesSettings /> },
          { key: "survey", label: t("survey.tab"), children: <SurveySettingsForm /> },
          { key: "library", label: t("library.tabReplies"), children: <LibraryAdmin /> },
        ].filter((item) => isAdminTab(item.key) && visible.includes(item.key))}
      />
    </main>
  );
}
