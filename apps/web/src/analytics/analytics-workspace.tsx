import { App } from "antd";
import { useCallback } from "react";
import { useAuth, useMe } from "../auth/auth-provider.tsx";
import { useT } from "../i18n/i18n-provider.tsx";
import { InboxProvider } from "../inbox/inbox-provider.tsx";
import { useRoute } from "../routing/use-route.ts";
import { errorText } from "../shared/error-text.ts";
import { AppHeader } from "../workspace/app-header.tsx";
import { DashboardPage } from "./dashboard-page.tsx";
import { ReportsPage } from "./reports-page.tsx";
import { useWallboard } from "./use-wallboard.ts";

/**
 * The data hub's pages (/dashboard, /reports) in the signed-in frame. One inbox store serves both:
 * its realtime connection keeps the dashboard live, and its stores and agents fill the filters.
 * The wallboard (`/dashboard?wallboard=1`) goes without the header.
 */
export function AnalyticsWorkspace() {
  const me = useMe();
  const { verifySession } = useAuth();
  const t = useT();
  const { message } = App.useApp();
  const { route, go } = useRoute();
  const [wallboard] = useWallboard();
  const showError = useCallback((error: unknown) => void message.error(errorText(error, t)), [message, t]);
  const onDashboard = route.page === "dashboard";

  return (
    <InboxProvider me={me} onRealtimeRejected={verifySession} onError={showError}>
      <div className="workspace">
        {!(onDashboard && wallboard) && <AppHeader route={route} onNavigate={go} />}
        {onDashboard ? <DashboardPage onNavigate={go} /> : <ReportsPage />}
      </div>
    </InboxProvider>
  );
}
