import { App } from "antd";
import { useCallback } from "react";
import { useAuth, useMe } from "../auth/auth-provider.tsx";
import { useT } from "../i18n/i18n-provider.tsx";
import { InboxProvider } from "../inbox/inbox-provider.tsx";
import { useRoute } from "../routing/use-route.ts";
import { errorText } from "../shared/error-text.ts";
import { AppHeader } from "../workspace/app-header.tsx";
import { SupervisorPage } from "./supervisor-page.tsx";

/**
 * The /supervisor page in the signed-in frame: the header (which needs the inbox store for the
 * connection state and the unread badge) over the supervisor view.
 */
export function SupervisorWorkspace() {
  const me = useMe();
  const { verifySession } = useAuth();
  const t = useT();
  const { message } = App.useApp();
  const { route, go } = useRoute();
  const showError = useCallback((error: unknown) => void message.error(errorText(error, t)), [message, t]);

  return (
    <InboxProvider me={me} onRealtimeRejected={verifySession} onError={showError}>
      <div className="workspace">
        <AppHeader route={route} onNavigate={go} />
        <SupervisorPage onNavigate={go} />
      </div>
    </InboxProvider>
  );
}
