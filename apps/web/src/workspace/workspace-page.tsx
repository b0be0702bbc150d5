import { App } from "antd";
import { useCallback, useState } from "react";
import { AdminPage } from "../admin/admin-page.tsx";
import { useAuth, useMe } from "../auth/auth-provider.tsx";
import { ConversationPane } from "../conversations/conversation-pane.tsx";
import { useT } from "../i18n/i18n-provider.tsx";
import { InboxProvider } from "../inbox/inbox-provider.tsx";
import { useRoute } from "../routing/use-route.ts";
import { errorText } from "../shared/error-text.ts";
import { ThreadPane } from "../thread/thread-pane.tsx";
import { AppHeader } from "./app-header.tsx";
import { DetailsPane } from "./details-pane.tsx";

/**
 * The signed-in app: header, then the inbox (list | thread | details; narrow screens show list or
 * thread) or the admin console. One inbox store and realtime connection serve both.
 */
export function WorkspacePage() {
  const me = useMe();
  const { verifySession } = useAuth();
  const t = useT();
  const { message } = App.useApp();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const { route, go } = useRoute();

  const showError = useCallback((error: unknown) => void message.error(errorText(error, t)), [message, t]);
  const back = useCallback(() => setSelectedId(null), []);

  return (
    <InboxProvider me={me} onRealtimeRejected={verifySession} onError={showError}>
      <div className="workspace">
        <AppHeader route={route} onNavigate={go} />
        {route.page === "admin" ? (
          <AdminPage tab={route.tab} onNavigate={go} />
        ) : (
          <div className={`workspace-panes${selectedId ? " has-selection" : ""}`}>
            <aside className="pane pane-list">
              <ConversationPane selectedId={selectedId} onSelect={setSelectedId} />
            </aside>
            <section className="pane pane-thread">
              <ThreadPane conversationId={selectedId} onBack={back} onError={showError} />
            </section>
            <aside className="pane pane-details">
              <DetailsPane conversationId={selectedId} />
            </aside>
          </div>
        )}
      </div>
    </InboxProvider>
  );
}
