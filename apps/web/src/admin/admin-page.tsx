import { Button, Result, Tabs } from "antd";
import { useMe } from "../auth/auth-provider.tsx";
import { useT } from "../i18n/i18n-provider.tsx";
import type { AdminTab, Route } from "../routing/routes.ts";
import { canOpenAdmin } from "./permissions.ts";
import { StoresAdmin } from "./stores-admin.tsx";
import { UsersAdmin } from "./users-admin.tsx";

type Props = { tab: AdminTab; onNavigate: (route: Route) => void };

/** 管理后台: stores and members, for admins and owners. */
export function AdminPage({ tab, onNavigate }: Props) {
  const t = useT();
  const me = useMe();

  if (!canOpenAdmin(me.user.role)) {
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
        activeKey={tab}
        onChange={(key) => onNavigate({ page: "admin", tab: key === "users" ? "users" : "stores" })}
        destroyOnHidden
        items={[
          { key: "stores", label: t("admin.tabStores"), children: <StoresAdmin /> },
          { key: "users", label: t("admin.tabUsers"), children: <UsersAdmin /> },
        ]}
      />
    </main>
  );
}
