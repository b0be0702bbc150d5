import { Spin } from "antd";
import { Suspense } from "react";
import { AnalyticsWorkspace } from "./analytics/index.ts";
import { AuthProvider, useAuth } from "./auth/auth-provider.tsx";
import { LoginPage } from "./auth/login-page.tsx";
import { I18nProvider } from "./i18n/i18n-provider.tsx";
import { useRoute } from "./routing/use-route.ts";
import { SupervisorWorkspace } from "./supervisor/supervisor-workspace.tsx";
import { WorkspacePage } from "./workspace/workspace-page.tsx";

export function App() {
  return (
    <I18nProvider>
      <AuthProvider>
        <Screen />
      </AuthProvider>
    </I18nProvider>
  );
}

function Screen() {
  const { auth } = useAuth();
  const { route } = useRoute();
  switch (auth.status) {
    case "checking":
      return (
        <div className="app-loading">
          <Spin size="large" />
        </div>
      );
    case "signedOut":
      return <LoginPage notice={auth.notice} />;
    case "signedIn":
      // Keyed by user: a different sign-in starts from an empty inbox.
      if (route.page === "supervisor") return <SupervisorWorkspace key={auth.me.user.id} />;
      if (route.page === "dashboard" || route.page === "reports") {
        return (
          <Suspense
            fallback={
              <div className="app-loading">
                <Spin size="large" />
              </div>
            }
          >
            <AnalyticsWorkspace key={auth.me.user.id} />
          </Suspense>
        );
      }
      return <WorkspacePage key={auth.me.user.id} />;
  }
}
